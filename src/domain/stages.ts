// What a ticket change does to its ladder stage and to the deadline clock. Pure: the lifecycle
// decides the effect, these rules say what it means for the stage's recorded facts and for the
// pause that stops the clock; the change module only writes what they return.
import type { BodyOutcome, EscalationReason, Level, Status } from './ladder.js'

/** How the current ladder stage changes with an action. */
export type StageEffect =
  | { kind: 'none' }
  | { kind: 'enter'; level: Level; reason: EscalationReason; externalRef: string | null }
  | { kind: 'body_said'; outcome: BodyOutcome; externalRef: string | null }
  | { kind: 'answered' }
  | { kind: 'first_response' }

/**
 * What happens to the clock's pause on the stage that is current after the change. Entering a
 * stage always ends the pause of the stage it leaves; `start` then opens one on the new stage.
 */
export type PauseChange = 'start' | 'end' | 'none'

export interface ClockChange {
  /** Whether the clock runs after the change. */
  runs: boolean
  pause: PauseChange
}

/** Whether the deadline clock runs in this status; any other status pauses or stops it. */
export function clockRuns(status: Status): boolean {
  return status === 'new' || status === 'open' || status === 'waiting_body'
}

/** The clock's change when a ticket moves from one status to another (with this stage effect). */
export function clockChange(from: Status, to: Status, effect: StageEffect): ClockChange {
  const was = clockRuns(from)
  const runs = clockRuns(to)
  if (effect.kind === 'enter') return { runs, pause: runs ? 'none' : 'start' }
  if (was && !runs) return { runs, pause: 'start' }
  if (!was && runs) return { runs, pause: 'end' }
  return { runs, pause: 'none' }
}

/** What a stage records of the body's answers; each moment is kept from the first time it happened. */
export interface StageFacts {
  firstResponseAt: number | null
  answeredAt: number | null
  acceptedAt: number | null
  outcome: string | null
  answer: string | null
  externalRef: string | null
}

// What the body said that counts as its answer at this level (an acceptance is only a receipt).
const ANSWERING_OUTCOMES: readonly BodyOutcome[] = ['answered', 'refused', 'resolved']

/** Whether the stage effect counts as the body (or our side) having answered. */
export function answers(effect: StageEffect): boolean {
  return (
    effect.kind === 'answered' ||
    (effect.kind === 'body_said' && ANSWERING_OUTCOMES.includes(effect.outcome))
  )
}

/**
 * The current stage's facts after an effect that stays on it, or null when nothing changes.
 * `body` is the event's text: what the body said becomes the stage's answer.
 */
export function nextStageFacts(
  stage: StageFacts,
  effect: StageEffect,
  body: string | null,
  now: number,
): StageFacts | null {
  if (effect.kind !== 'first_response' && effect.kind !== 'answered' && effect.kind !== 'body_said')
    return null
  const said = effect.kind === 'body_said' ? effect : null
  return {
    firstResponseAt: stage.firstResponseAt ?? now,
    answeredAt: answers(effect) ? (stage.answeredAt ?? now) : stage.answeredAt,
    acceptedAt: said?.outcome === 'accepted' ? (stage.acceptedAt ?? now) : stage.acceptedAt,
    outcome: said ? said.outcome : stage.outcome,
    answer: said ? body : stage.answer,
    externalRef: said?.externalRef ? said.externalRef : stage.externalRef,
  }
}

/**
 * The ticket's own clock fields: its due date while the clock runs, or when the clock stopped
 * (the start of the stage's open pause) while it does not.
 */
export function ticketClock(
  runs: boolean,
  stageDueAt: number | null,
  pauses: readonly { start: number; end: number | null }[],
): { dueAt: number | null; pausedAt: number | null } {
  if (runs) return { dueAt: stageDueAt, pausedAt: null }
  return { dueAt: null, pausedAt: pauses.find((p) => p.end === null)?.start ?? null }
}
