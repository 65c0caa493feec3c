// Local dates and midnights in a time zone, without a date library. Pure: the memos below only
// remember answers that depend on nothing but their arguments.

export const DAY_MS = 86_400_000

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
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
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
    day = {
      date,
      start: startOfLocalDay(date, timeZone),
      end: startOfLocalDay(next, timeZone),
      next,
      weekday: weekday(date),
    }
    if (days.size >= DAYS_KEPT) days.clear()
    days.set(date, day)
  }
  return day
}
