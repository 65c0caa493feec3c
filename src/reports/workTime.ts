// Working time between instants, for many stages at once. clockDaysBetween() walks the calendar
// day by day for every call; a report measuring thousands of stages instead builds this index
// once (one entry per local day) and answers each question with two binary searches. Pure.
import { clockDaysBetween, type ClockRule, type Interval } from '../domain/clocks.js'
import { isWorkingDay, type WorkCalendar } from '../domain/workCalendar.js'
import { DAY_MS, addLocalDays, localDate, startOfLocalDay } from '../domain/zoneTime.js'

export interface WorkIndex {
  /** Clock days from `from` to `to` (working days for business-day rules), less the pauses. */
  days(from: number, to: number, pauses?: readonly Interval[]): number
}

/**
 * An index over the local days that contain [start, end]. Instants outside it are measured the
 * slow, exact way, so a wrong guess of the span costs time, never correctness.
 */
export function workIndex(
  unit: ClockRule['unit'],
  cal: WorkCalendar,
  start: number,
  end: number,
): WorkIndex {
  if (unit === 'calendar_days') {
    return { days: (from, to, pauses = []) => clockDaysBetween(from, to, unit, cal, pauses) }
  }
  const starts: number[] = []
  /** Working time (scaled to DAY_MS per working day) before each day begins. */
  const before: number[] = []
  const working: boolean[] = []
  let date = localDate(start, cal.timeZone)
  let dayStart = startOfLocalDay(date, cal.timeZone)
  let total = 0
  while (dayStart <= end) {
    const next = addLocalDays(date, 1)
    const nextStart = startOfLocalDay(next, cal.timeZone)
    const w = isWorkingDay(date, cal)
    starts.push(dayStart)
    before.push(total)
    working.push(w)
    if (w) total += DAY_MS
    date = next
    dayStart = nextStart
  }
  starts.push(dayStart)
  before.push(total)
  const lo = starts[0]!
  const hi = starts[starts.length - 1]!

  /** Working time from the index's first day up to instant x. */
  const at = (x: number): number => {
    let a = 0
    let b = starts.length - 1
    while (b - a > 1) {
      const m = (a + b) >> 1
      if (starts[m]! <= x) a = m
      else b = m
    }
    if (!working[a]) return before[a]!
    const length = starts[a + 1]! - starts[a]!
    return before[a]! + ((x - starts[a]!) * DAY_MS) / length
  }

  return {
    days(from, to, pauses = []) {
      if (to <= from) return 0
      if (from < lo || to > hi || pauses.some((p) => p.start < lo || (p.end ?? to) > hi)) {
        return clockDaysBetween(from, to, unit, cal, pauses)
      }
      let ms = at(to) - at(from)
      for (const [a, b] of mergedWithin(pauses, from, to)) ms -= at(b) - at(a)
      return ms / DAY_MS
    },
  }
}

/** Pauses clipped to [from, to] and merged, so overlapping pauses are not subtracted twice. */
function mergedWithin(pauses: readonly Interval[], from: number, to: number): [number, number][] {
  const clipped = pauses
    .map((p): [number, number] => [Math.max(p.start, from), Math.min(p.end ?? to, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  const out: [number, number][] = []
  for (const [a, b] of clipped) {
    const last = out[out.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}
