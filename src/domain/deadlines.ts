// Deadline arithmetic: per-level clocks in calendar or working days, paused while the ticket
// waits on the complainant. Pure: calendars, policies and times are passed in.
import type { Level } from './ladder.js'

export const DAY_MS = 86_400_000

export interface WorkCalendar {
  timeZone: string
  /** Days of the week that are not worked, 0 = Sunday … 6 = Saturday. */
  weekend: readonly number[]
  /** Public holidays, as local dates `YYYY-MM-DD`. */
  holidays: ReadonlySet<string>
  /** Make-up working days (调休) that fall on a weekend, as local dates. */
  workdays: ReadonlySet<string>
}

export interface ClockRule {
  unit: 'calendar_days' | 'business_days'
  days: number
  /** The longer limit once the case is marked complex (PBoC art. 43: 60 days; DISP: 35). */
  complexDays?: number
}

export interface LevelPolicy {
  /** The body's time to accept the case, before the answer clock starts (12315: 7 working days). */
  accept: ClockRule | null
  answer: ClockRule | null
}

export interface DeadlinePolicy {
  key: string
  calendar: string
  timeZone: string
  levels: Record<Level, LevelPolicy>
}

export const DEADLINE_PRESETS: Record<'cn' | 'gb', DeadlinePolicy> = {
  cn: {
    key: 'cn',
    calendar: 'CN',
    timeZone: 'Asia/Shanghai',
    levels: {
      // PBoC Order 2020 No. 5 art. 43: final answer within 15 days, 60 when complex.
      platform: { accept: null, answer: { unit: 'calendar_days', days: 15, complexDays: 60 } },
      // SAMR Order 2019 No. 20: accept within 7 working days, mediate within 45 working days.
      consumer_association: {
        accept: { unit: 'business_days', days: 7 },
        answer: { unit: 'business_days', days: 45 },
      },
      regulator: { accept: null, answer: { unit: 'calendar_days', days: 15, complexDays: 60 } },
      // Courts and lawyers keep no clock of ours; the agent sets a reminder date instead.
      legal: { accept: null, answer: null },
    },
  },
  gb: {
    key: 'gb',
    calendar: 'GB',
    timeZone: 'Europe/London',
    levels: {
      // FCA DISP 1.6.2A: payment services complaints, 15 business days, 35 in exceptional cases.
      platform: { accept: null, answer: { unit: 'business_days', days: 15, complexDays: 35 } },
      // The Financial Ombudsman Service sets no binding answer time.
      consumer_association: { accept: null, answer: null },
      regulator: { accept: null, answer: null },
      legal: { accept: null, answer: null },
    },
  },
}

export interface Interval {
  start: number
  /** null: still going. */
  end: number | null
}

// ---------------------------------------------------------------------------------------------
// Local dates in a time zone, without a date library.

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

type WallParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>

/** The wall-clock parts of an instant in a zone, as Intl gives them. */
function intlParts(instant: number, timeZone: string): WallParts {
  const parts: Record<string, number> = {}
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return parts as WallParts
}

function intlOffset(instant: number, timeZone: string): number {
  const p = intlParts(instant, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(instant / 1000) * 1000
}

// A zone's offset changes a few times a year at most, and formatToParts() is the costliest step of
// a deadline (clocks walk day by day): the offset is asked of Intl twice per zone and UTC day
// and used for every instant of that day. Days in which it changes are left to Intl.
const dayOffsets = new Map<string, Map<number, number | null>>()
/** Entries each memo of days below keeps before it forgets them all (two years are ≈ 730). */
const DAYS_KEPT = 20_000

/** The zone's offset at `instant` when it holds for the whole UTC day, else null. */
function steadyOffset(instant: number, timeZone: string): number | null {
  let days = dayOffsets.get(timeZone)
  if (!days) dayOffsets.set(timeZone, (days = new Map()))
  const day = Math.floor(instant / DAY_MS)
  let offset = days.get(day)
  if (offset === undefined) {
    const start = intlOffset(day * DAY_MS, timeZone)
    offset = start === intlOffset(day * DAY_MS + DAY_MS - 1000, timeZone) ? start : null
    if (days.size >= DAYS_KEPT) days.clear()
    days.set(day, offset)
  }
  return offset
}

/**
 * The instant's wall-clock time in the zone, as milliseconds read as UTC, when the zone's offset
 * holds all that UTC day and the year is one Intl writes plainly (1000–9999); else null, and the
 * caller asks Intl.
 */
export function steadyWallTime(instant: number, timeZone: string): number | null {
  if (!(Math.abs(instant) < 8e15)) return null
  const offset = steadyOffset(instant, timeZone)
  if (offset === null) return null
  const local = instant + offset
  const year = new Date(local).getUTCFullYear()
  return year >= 1000 && year <= 9999 ? local : null
}

function zoneParts(instant: number, timeZone: string): WallParts {
  const local = steadyWallTime(instant, timeZone)
  if (local === null) return intlParts(instant, timeZone)
  const d = new Date(local)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
}

/** Milliseconds to add to UTC to get local wall time at this instant. */
export function zoneOffset(instant: number, timeZone: string): number {
  const p = zoneParts(instant, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The local date `YYYY-MM-DD` of an instant. */
export function localDate(instant: number, timeZone: string): string {
  const p = zoneParts(instant, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}

// Deadline clocks and working-day durations ask for the same few thousand local midnights over
// and over, and each answer costs two Intl formatToParts() calls: they are remembered (a pure
// function of date and zone; the memo is emptied when it grows past a few years of days).
const midnights = new Map<string, number>()

/** The instant a local date begins (its local midnight). */
export function startOfLocalDay(date: string, timeZone: string): number {
  const key = timeZone + date
  const known = midnights.get(key)
  if (known !== undefined) return known
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d)
  let instant = wall - zoneOffset(wall, timeZone)
  // A second pass settles days on which the offset changes (summer time).
  instant = wall - zoneOffset(instant, timeZone)
  if (midnights.size >= DAYS_KEPT) midnights.clear()
  midnights.set(key, instant)
  return instant
}

export function addLocalDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + days))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  return worksOn(localDay(date, cal.timeZone), cal)
}

function worksOn(day: LocalDay, cal: WorkCalendar): boolean {
  if (cal.workdays.has(day.date)) return true
  if (cal.holidays.has(day.date)) return false
  return !cal.weekend.includes(day.weekday)
}

/** A local date in a zone, with what walking the calendar needs of it. */
export interface LocalDay {
  date: string
  /** Its local midnight. */
  start: number
  /** The next day's local midnight (23 or 25 hours later on summer-time days). */
  end: number
  /** The next date. */
  next: string
  /** 0 Sunday … 6 Saturday. */
  weekday: number
}

// The clocks walk the calendar day by day, over the same few thousand days again and again:
// parsing and formatting each date string was most of a deadline's cost (a pure function of
// date and zone, so remembered; emptied when it grows past decades of days).
const localDays = new Map<string, Map<string, LocalDay>>()

export function localDay(date: string, timeZone: string): LocalDay {
  let days = localDays.get(timeZone)
  if (!days) localDays.set(timeZone, (days = new Map()))
  let day = days.get(date)
  if (!day) {
    const next = addLocalDays(date, 1)
    day = { date, start: startOfLocalDay(date, timeZone), end: startOfLocalDay(next, timeZone), next, weekday: weekday(date) }
    if (days.size >= DAYS_KEPT) days.clear()
    days.set(date, day)
  }
  return day
}

// ---------------------------------------------------------------------------------------------
// Clocks

/** The parts of [from, to) that are not inside any pause. */
function activeSegments(from: number, to: number, pauses: readonly Interval[]): [number, number][] {
  let segments: [number, number][] = [[from, to]]
  for (const p of pauses) {
    const pEnd = p.end ?? Number.POSITIVE_INFINITY
    const next: [number, number][] = []
    for (const [a, b] of segments) {
      if (pEnd <= a || p.start >= b) next.push([a, b])
      else {
        if (p.start > a) next.push([a, p.start])
        if (pEnd < b) next.push([pEnd, b])
      }
    }
    segments = next
  }
  return segments
}

const MAX_DAYS_WALKED = 3660

/**
 * The instant a clock of `rule` started at `start` runs out. Counting begins the local day after
 * `start` (the day of receipt does not count); only working days count for business days; time
 * inside pauses does not count. The result is the last millisecond of the last counted day,
 * shifted by whatever part of a day pauses took. null while a pause is still open.
 */
export function clockDue(
  start: number,
  rule: ClockRule,
  complex: boolean,
  cal: WorkCalendar,
  pauses: readonly Interval[] = [],
): number | null {
  if (pauses.some((p) => p.end === null && p.start >= start)) return null
  const days = complex && rule.complexDays ? rule.complexDays : rule.days
  let remaining = days * DAY_MS
  let date = addLocalDays(localDate(start, cal.timeZone), 1)
  for (let walked = 0; walked < MAX_DAYS_WALKED; walked++) {
    const day = localDay(date, cal.timeZone)
    if (rule.unit === 'calendar_days' || worksOn(day, cal)) {
      // A day shorter or longer for summer time still counts as one whole day.
      const scale = DAY_MS / (day.end - day.start)
      const segments: readonly (readonly [number, number])[] = pauses.length ? activeSegments(day.start, day.end, pauses) : [[day.start, day.end]]
      for (const [a, b] of segments) {
        const worth = (b - a) * scale
        if (worth >= remaining) return Math.round(a + remaining / scale) - 1
        remaining -= worth
      }
    }
    date = day.next
  }
  throw new Error('deadline beyond ten years: check the calendar and policy')
}

/** Clock time between two instants in days (working days for business-day rules), less pauses. */
export function clockDaysBetween(
  from: number,
  to: number,
  unit: ClockRule['unit'],
  cal: WorkCalendar,
  pauses: readonly Interval[] = [],
): number {
  if (to <= from) return 0
  if (unit === 'calendar_days') {
    const active = activeSegments(from, to, pauses).reduce((sum, [a, b]) => sum + (b - a), 0)
    return active / DAY_MS
  }
  let total = 0
  let date = localDate(from, cal.timeZone)
  for (let walked = 0; walked < MAX_DAYS_WALKED * 3; walked++) {
    const day = localDay(date, cal.timeZone)
    if (day.start >= to) break
    if (worksOn(day, cal)) {
      const scale = DAY_MS / (day.end - day.start)
      for (const [a, b] of activeSegments(Math.max(from, day.start), Math.min(to, day.end), pauses)) {
        if (b > a) total += (b - a) * scale
      }
    }
    date = day.next
  }
  return total / DAY_MS
}

export interface StageClockInput {
  level: Level
  enteredAt: number
  acceptedAt: number | null
  complex: boolean
  /** Pauses of this stage's clock. */
  pauses: readonly Interval[]
  /** The agent's own reminder, for levels without a clock (legal). */
  reminderAt: number | null
}

export interface StageDue {
  dueAt: number | null
  phase: 'accept' | 'answer' | 'reminder' | 'none'
  paused: boolean
}

/** The deadline now running for a ladder stage, under a policy. */
export function stageDue(input: StageClockInput, policy: DeadlinePolicy, cal: WorkCalendar): StageDue {
  const level = policy.levels[input.level]
  const paused = input.pauses.some((p) => p.end === null)
  if (level.accept && input.acceptedAt === null) {
    return { dueAt: clockDue(input.enteredAt, level.accept, false, cal, input.pauses), phase: 'accept', paused }
  }
  if (level.answer) {
    const from = level.accept && input.acceptedAt !== null ? input.acceptedAt : input.enteredAt
    return { dueAt: clockDue(from, level.answer, input.complex, cal, input.pauses), phase: 'answer', paused }
  }
  if (input.reminderAt !== null) return { dueAt: input.reminderAt, phase: 'reminder', paused: false }
  return { dueAt: null, phase: 'none', paused }
}

// ---------------------------------------------------------------------------------------------
// The complainant's own windows

export const LIMITATION_YEARS = 3
export const WINDOW_WARNING_DAYS = 14

export interface WindowWarning {
  kind: 'dispute_window' | 'limitation'
  endsAt: number
  expired: boolean
}

/**
 * Windows the complainant can lose: the 60-day dispute window after a proposed resolution, and
 * the 3-year limitation period from the incident. Returned when within the warning period.
 */
export function complainantWindows(
  t: { proposedAt: number | null; occurredAt: number | null; disputeWindowDays: number },
  now: number,
  warnDays = WINDOW_WARNING_DAYS,
): WindowWarning[] {
  const out: WindowWarning[] = []
  if (t.proposedAt !== null) {
    const endsAt = t.proposedAt + t.disputeWindowDays * DAY_MS
    if (now >= endsAt - warnDays * DAY_MS) out.push({ kind: 'dispute_window', endsAt, expired: now > endsAt })
  }
  if (t.occurredAt !== null) {
    const d = new Date(t.occurredAt)
    const endsAt = Date.UTC(
      d.getUTCFullYear() + LIMITATION_YEARS,
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    )
    if (now >= endsAt - 90 * DAY_MS) out.push({ kind: 'limitation', endsAt, expired: now > endsAt })
  }
  return out
}

export function buildCalendar(
  timeZone: string,
  days: readonly { date: string; kind: 'holiday' | 'workday' }[],
  weekend: readonly number[] = [0, 6],
): WorkCalendar {
  return {
    timeZone,
    weekend,
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
  }
}
