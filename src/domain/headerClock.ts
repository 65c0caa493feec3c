// The ticket header's one line about time: which clock runs or is paused, whom we wait for, and
// the deadline that matters now. Pure: the caller passes the ticket's state and the time.
//
// While a proposed resolution waits for the complainant, the body's clock is paused and the
// only deadline is the complainant's window to dispute it (domain/lifecycle DISPUTE_WINDOW_DAYS);
// the body's phase ("must answer") is not shown then, since the body is not the one we wait for.
import { OPEN_STATUSES, type Status } from './ladder.js'
import { clockRuns } from './stages.js'
import { DAY_MS } from './zoneTime.js'

export type ClockState = 'running' | 'paused' | 'stopped' | 'none'
export type WaitingFor = 'body' | 'complainant' | 'agent' | 'nobody'

/** What the line says; each kind has its own message (tickets/clockLine view). */
export type ClockLineKind =
  | 'body_accept'
  | 'body_answer'
  | 'reminder'
  | 'no_clock'
  | 'complainant_answer'
  | 'complainant_decision'
  | 'stopped'

export interface ClockLine {
  kind: ClockLineKind
  clock: ClockState
  waitingFor: WaitingFor
  /** The deadline of the one we wait for; null when none applies. */
  deadline: { at: number; whose: 'body' | 'complainant' | 'agent'; passed: boolean } | null
}

export interface ClockLineInput {
  status: Status
  /** The current stage's phase (domain/deadlines stageDue); 'none' when no stage clock applies. */
  phase: 'accept' | 'answer' | 'reminder' | 'none'
  /** The ticket's due date while its clock runs (or the reminder date at a level without a clock). */
  dueAt: number | null
  /** When the current pause began, if the clock is paused. */
  pausedAt: number | null
  proposedAt: number | null
  disputeWindowDays: number
  now: number
}

export function headerClock(i: ClockLineInput): ClockLine {
  if (!OPEN_STATUSES.includes(i.status))
    return { kind: 'stopped', clock: 'stopped', waitingFor: 'nobody', deadline: null }

  if (i.status === 'resolution_proposed') {
    const deadline =
      i.proposedAt === null
        ? null
        : (() => {
            const at = i.proposedAt + i.disputeWindowDays * DAY_MS
            return { at, whose: 'complainant' as const, passed: i.now > at }
          })()
    return { kind: 'complainant_decision', clock: 'paused', waitingFor: 'complainant', deadline }
  }
  // Waiting for the complainant's answer to a question: no window of theirs, the body's is paused.
  if (!clockRuns(i.status) || i.pausedAt !== null)
    return {
      kind: 'complainant_answer',
      clock: 'paused',
      waitingFor: 'complainant',
      deadline: null,
    }

  // The body's clock runs: we wait for the body when the case is with it, else the move is ours.
  const waitingFor: WaitingFor = i.status === 'waiting_body' ? 'body' : 'agent'
  if (i.phase === 'reminder' && i.dueAt !== null)
    return {
      kind: 'reminder',
      clock: 'none',
      waitingFor,
      deadline: { at: i.dueAt, whose: 'agent', passed: i.now > i.dueAt },
    }
  if ((i.phase === 'accept' || i.phase === 'answer') && i.dueAt !== null)
    return {
      kind: i.phase === 'accept' ? 'body_accept' : 'body_answer',
      clock: 'running',
      waitingFor,
      deadline: { at: i.dueAt, whose: 'body', passed: i.now > i.dueAt },
    }
  return { kind: 'no_clock', clock: 'none', waitingFor, deadline: null }
}
