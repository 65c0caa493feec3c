// A staff or complainant action on a ticket: the lifecycle decides, then the ticket (guarded by
// its version), its ladder stage, its clock and its event are written, and the listeners run.
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import type { DeadlineContext } from '../deadlines/context.js'
import type { ActionInput } from '../domain/actions.js'
import { stageDue } from '../domain/deadlines.js'
import type { Level } from '../domain/ladder.js'
import { decide, type Actor, type Decision, type Refusal } from '../domain/lifecycle.js'
import { nextStageFacts, ticketClock } from '../domain/stages.js'
import { actorColumns, announce } from './listeners.js'
import {
  currentStage,
  endPause,
  insertEvent,
  insertStage,
  leaveStage,
  pausesOfStage,
  setStageDue,
  stageFacts,
  startPause,
  tagsOfTicket,
  ticketForChange,
  updateStageFacts,
  updateTicket,
  writeTag,
} from './store.js'
import { ticketState } from './ticketState.js'
import type { ChangeListener, NotifyContext } from './types.js'

export interface ActRequest {
  ticketId: number
  /** The version the actor saw; null for complainant actions, which never race an edit form. */
  expectedVersion: number | null
  input: ActionInput
  actor: Actor
  now: number
  /** Runs in the same transaction after the event is written (evidence rows, contact log). */
  alsoWrite?: (trx: DB, ctx: { ticket: Ticket; eventId: number }) => Promise<void>
  /** The mails this change causes (complainant, assignee) are queued with it. */
  notify?: NotifyContext
  /** Recorded in the event's payload besides the decision's (the macro a step belongs to). */
  eventExtra?: Record<string, unknown>
}

export type ActResult =
  | { ok: true; ticket: Ticket; eventId: number; decision: Decision }
  | { ok: false; kind: 'refused'; refusal: Refusal; ticket: Ticket }
  | { ok: false; kind: 'stale'; ticket: Ticket }
  | { ok: false; kind: 'not_found' }

/** The actions whose decision looks at the ticket's tags (read only for them). */
const TAG_ACTIONS: ReadonlySet<string> = new Set(['add_tag', 'remove_tag'])

/**
 * Another writer changed the ticket between our read and our write. Thrown, so that the stage
 * rows already written in this transaction are undone with it.
 */
export class StaleTicket extends Error {
  constructor(readonly ticket: Ticket) {
    super(`ticket ${ticket.id} changed meanwhile`)
  }
}

export async function act(
  trx: DB,
  listeners: readonly ChangeListener[],
  deadlines: DeadlineContext,
  req: ActRequest,
): Promise<ActResult> {
  const ticket = await ticketForChange(trx, req.ticketId)
  if (!ticket) return { ok: false, kind: 'not_found' }
  if (req.expectedVersion !== null && req.expectedVersion !== ticket.version)
    return { ok: false, kind: 'stale', ticket }
  const state = ticketState(ticket)
  if (TAG_ACTIONS.has(req.input.type)) state.tags = await tagsOfTicket(trx, ticket.id)
  const decision = decide(state, req.input, req.actor, req.now)
  if (!decision.ok) return { ok: false, kind: 'refused', refusal: decision, ticket }

  const clock = await moveStageAndClock(trx, ticket, decision, req, deadlines)
  const f = decision.fields
  const updated = await updateTicket(trx, ticket.id, ticket.version, {
    status: decision.status,
    level: decision.level,
    priority: decision.priority,
    assignee_id: decision.assigneeId,
    disputed_at: decision.disputedAt,
    proposed_at: decision.proposedAt,
    due_at: clock.dueAt,
    paused_at: clock.pausedAt,
    ...(decision.complex !== undefined ? { complex: decision.complex ? 1 : 0 } : {}),
    ...(decision.reminderAt !== undefined ? { reminder_at: decision.reminderAt } : {}),
    ...(f.closedAt !== undefined ? { closed_at: f.closedAt } : {}),
    ...(f.outcome !== undefined ? { outcome: f.outcome } : {}),
    ...(f.duplicateOfId !== undefined ? { duplicate_of_id: f.duplicateOfId } : {}),
    ...(f.relief !== undefined ? { relief: f.relief } : {}),
    ...(f.amountRecoveredMinor !== undefined
      ? { amount_recovered_minor: f.amountRecoveredMinor }
      : {}),
    updated_at: req.now,
  })
  if (!updated) throw new StaleTicket(ticket)
  if (decision.tag) await writeTag(trx, ticket.id, decision.tag, req.now)

  const event = {
    ...decision.event,
    payload: { ...decision.event.payload, ...req.eventExtra, version: updated.version },
  }
  const eventId = await insertEvent(trx, {
    ticketId: ticket.id,
    ...event,
    ...actorColumns(req.actor),
    createdAt: req.now,
  })
  await req.alsoWrite?.(trx, { ticket: updated, eventId })
  await announce(trx, listeners, {
    kind: 'acted',
    before: ticket,
    ticket: updated,
    event: { id: eventId, ...event },
    actor: req.actor,
    decision,
    now: req.now,
    deadlines,
    notify: req.notify ?? null,
    trackingToken: null,
  })
  return { ok: true, ticket: updated, eventId, decision }
}

/** Writes the decision's stage and pause changes; returns the ticket's new due date and pause state. */
async function moveStageAndClock(
  trx: DB,
  ticket: Ticket,
  d: Decision,
  req: ActRequest,
  deadlines: DeadlineContext,
): Promise<{ dueAt: number | null; pausedAt: number | null }> {
  const now = req.now
  let stage = await currentStage(trx, ticket.id)
  if (!stage) throw new Error(`ticket ${ticket.id} has no open ladder stage`)
  if (d.stage.kind === 'enter') {
    await leaveStage(trx, stage.id, now)
    stage = await insertStage(trx, {
      ticketId: ticket.id,
      level: d.stage.level,
      enteredAt: now,
      dueAt: null,
      externalRef: d.stage.externalRef,
      reason: d.stage.reason,
      enteredBy: req.actor.kind === 'staff' ? req.actor.userId : null,
    })
  } else {
    const facts = nextStageFacts(stageFacts(stage), d.stage, d.event.body, now)
    if (facts) stage = await updateStageFacts(trx, stage.id, facts)
  }
  if (d.clock.pause === 'start') await startPause(trx, ticket.id, stage.id, now)
  if (d.clock.pause === 'end') await endPause(trx, stage.id, now)

  const pauses = await pausesOfStage(trx, stage.id)
  const due = stageDue(
    {
      level: stage.level as Level,
      enteredAt: stage.entered_at,
      acceptedAt: stage.accepted_at,
      complex: d.complex ?? ticket.complex === 1,
      pauses,
      reminderAt: d.reminderAt !== undefined ? d.reminderAt : ticket.reminder_at,
    },
    deadlines.policy,
    deadlines.calendar,
  )
  if (due.dueAt !== null && due.dueAt !== stage.due_at) await setStageDue(trx, stage.id, due.dueAt)
  return ticketClock(d.clock.runs, due.dueAt, pauses)
}
