// Report days and weeks as integers, and a date range as a few runs of rollup rows. Pure.
//
// Rollup rows are kept per local day (grain 0) and per Monday-to-Sunday week (grain 1), so a
// range of whole days reads its full weeks from week rows and only the loose days at either end
// from day rows: two years cost about 116 periods, not 730. (Coarser blocks would make long
// ranges cheaper to read but every ticket change dearer to write; weeks are the balance.)
import { DAY_MS } from '../domain/zoneTime.js'

/**
 * The office's zone, Asia/Shanghai (DISPLAY_TIME_ZONE), is UTC+8 all year, so its local day is
 * plain arithmetic; migrations compute the same number in SQL. A test pins the two together.
 */
export const REPORT_DAY_OFFSET_MS = 8 * 3_600_000

export const GRAIN_DAY = 0
export const GRAIN_WEEK = 1
export const WEEK_MS = 7 * DAY_MS

/** The local day number of an instant: days since 1970-01-01 in the office's zone. */
export function reportDay(ms: number): number {
  return Math.floor((ms + REPORT_DAY_OFFSET_MS) / DAY_MS)
}

/** The instant a report day begins. */
export function dayStart(day: number): number {
  return day * DAY_MS - REPORT_DAY_OFFSET_MS
}

/** The day number of a `YYYY-MM-DD` local date. */
export function dayOfDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS)
}

/** Weeks start on Monday: day 0 (1970-01-01) was a Thursday, day 4 a Monday. */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7)
}

export function firstDayOfWeek(week: number): number {
  return week * 7 - 3
}

/** The (grain, period) rows a contribution on `day` is written to. */
export function periodsOf(day: number): [number, number][] {
  return [
    [GRAIN_DAY, day],
    [GRAIN_WEEK, weekOfDay(day)],
  ]
}

export interface PeriodRun {
  grain: number
  from: number
  to: number
}

/** Days `from`…`to` (inclusive) as runs of day rows and week rows that cover each day once. */
export function periodRuns(from: number, to: number): PeriodRun[] {
  if (to < from) return []
  const firstMonday = from + ((7 - ((from + 3) % 7)) % 7)
  const firstWeek = weekOfDay(firstMonday)
  const lastWeek = weekOfDay(to + 1) - 1
  if (firstWeek > lastWeek) return [{ grain: GRAIN_DAY, from, to }]
  const runs: PeriodRun[] = []
  if (firstMonday > from) runs.push({ grain: GRAIN_DAY, from, to: firstMonday - 1 })
  runs.push({ grain: GRAIN_WEEK, from: firstWeek, to: lastWeek })
  const afterWeeks = firstDayOfWeek(lastWeek) + 7
  if (afterWeeks <= to) runs.push({ grain: GRAIN_DAY, from: afterWeeks, to })
  return runs
}

/** Every day from `day` on, open-ended. */
export function fromDayRuns(day: number): PeriodRun[] {
  const monday = day + ((7 - ((day + 3) % 7)) % 7)
  const runs: PeriodRun[] = []
  if (monday > day) runs.push({ grain: GRAIN_DAY, from: day, to: monday - 1 })
  runs.push({ grain: GRAIN_WEEK, from: weekOfDay(monday), to: 2 ** 31 })
  return runs
}

/** The whole days inside [fromMs, toMs), and the partial pieces at either end (instants). */
export function splitInstants(
  fromMs: number,
  toMs: number,
): { days: [number, number] | null; partial: [number, number][] } {
  if (toMs <= fromMs) return { days: null, partial: [] }
  const firstFull = Math.ceil((fromMs + REPORT_DAY_OFFSET_MS) / DAY_MS)
  const lastFull = Math.floor((toMs + REPORT_DAY_OFFSET_MS) / DAY_MS) - 1
  if (lastFull < firstFull) return { days: null, partial: [[fromMs, toMs]] }
  const partial: [number, number][] = []
  if (dayStart(firstFull) > fromMs) partial.push([fromMs, dayStart(firstFull)])
  if (dayStart(lastFull + 1) < toMs) partial.push([dayStart(lastFull + 1), toMs])
  return { days: [firstFull, lastFull], partial }
}
