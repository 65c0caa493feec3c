// Which levels the reports measure in working days, and a fingerprint of everything a stored
// working-day duration depends on, so a changed holiday or policy makes the stored ones stale.
import { createHash } from 'node:crypto'
import type { ClockRule, Interval } from '../domain/clocks.js'
import { LEVELS, type Level } from '../domain/ladder.js'
import type { DeadlineContext } from '../deadlines/context.js'
import { workIndex, type WorkIndex } from './workTime.js'

/** The unit a level's clock counts in; levels without a clock are measured in calendar days. */
export function levelUnit(d: DeadlineContext, level: Level): ClockRule['unit'] | null {
  const rules = d.policy.levels[level]
  return rules.answer?.unit ?? rules.accept?.unit ?? null
}

export function businessLevels(d: DeadlineContext): Level[] {
  return LEVELS.filter((l) => levelUnit(d, l) === 'business_days')
}

const fingerprints = new WeakMap<DeadlineContext, string>()

/** The calendar (zone, weekend, holidays, make-up days) and the working-day levels, hashed. */
export function workdayFingerprint(d: DeadlineContext): string {
  let fp = fingerprints.get(d)
  if (fp === undefined) {
    const c = d.calendar
    const text = JSON.stringify([
      c.timeZone,
      [...c.weekend].sort(),
      [...c.holidays].sort(),
      [...c.workdays].sort(),
      businessLevels(d),
    ])
    fp = createHash('sha256').update(text).digest('hex').slice(0, 32)
    fingerprints.set(d, fp)
  }
  return fp
}

// One working-time index per calendar for the life of the process: building it walks each day of
// ten years back and two ahead once (a few tens of milliseconds); afterwards each duration is two
// binary searches. Instants outside it are measured the slow, exact way (workIndex falls back).
const indexes = new Map<string, { index: WorkIndex; until: number }>()
const YEAR_MS = 365 * 86_400_000

export function workingDays(
  d: DeadlineContext,
  from: number,
  to: number,
  pauses: readonly Interval[],
  now: number,
): number {
  const fp = workdayFingerprint(d)
  let entry = indexes.get(fp)
  if (!entry || to > entry.until) {
    if (indexes.size > 8) indexes.clear()
    const until = Math.max(to, now) + 2 * YEAR_MS
    entry = {
      index: workIndex('business_days', d.calendar, Math.min(from, now) - 10 * YEAR_MS, until),
      until,
    }
    indexes.set(fp, entry)
  }
  return entry.index.days(from, to, pauses)
}
