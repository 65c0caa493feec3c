// The statutory deadlines: per-level clocks under each preset's rules, the one now running for a
// ladder stage, and the complainant's own windows. Pure: calendars, policies and times are passed in.
import { clockDue, type ClockRule, type Interval } from './clocks.js'
import type { Level } from './ladder.js'
import type { WorkCalendar } from './workCalendar.js'
import { DAY_MS } from './zoneTime.js'

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
export function stageDue(
  input: StageClockInput,
  policy: DeadlinePolicy,
  cal: WorkCalendar,
): StageDue {
  const level = policy.levels[input.level]
  const paused = input.pauses.some((p) => p.end === null)
  if (level.accept && input.acceptedAt === null) {
    return {
      dueAt: clockDue(input.enteredAt, level.accept, false, cal, input.pauses),
      phase: 'accept',
      paused,
    }
  }
  if (level.answer) {
    const from = level.accept && input.acceptedAt !== null ? input.acceptedAt : input.enteredAt
    return {
      dueAt: clockDue(from, level.answer, input.complex, cal, input.pauses),
      phase: 'answer',
      paused,
    }
  }
  if (input.reminderAt !== null)
    return { dueAt: input.reminderAt, phase: 'reminder', paused: false }
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
    if (now >= endsAt - warnDays * DAY_MS)
      out.push({ kind: 'dispute_window', endsAt, expired: now > endsAt })
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
