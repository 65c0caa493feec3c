// Clock arithmetic: how long a clock of calendar or working days runs, and how much of it has
// run, less the pauses while the ticket waits on the complainant. Pure.
import { worksOn, type WorkCalendar } from './workCalendar.js'
import { addLocalDays, DAY_MS, localDate, localDay } from './zoneTime.js'

export interface ClockRule {
  unit: 'calendar_days' | 'business_days'
  days: number
  /** The longer limit once the case is marked complex (PBoC art. 43: 60 days; DISP: 35). */
  complexDays?: number
}

export interface Interval {
  start: number
  /** null: still going. */
  end: number | null
}

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
      const segments: readonly (readonly [number, number])[] = pauses.length
        ? activeSegments(day.start, day.end, pauses)
        : [[day.start, day.end]]
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
      for (const [a, b] of activeSegments(
        Math.max(from, day.start),
        Math.min(to, day.end),
        pauses,
      )) {
        if (b > a) total += (b - a) * scale
      }
    }
    date = day.next
  }
  return total / DAY_MS
}
