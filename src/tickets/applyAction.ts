import type { DB } from '../db/connection.js'
import { groupedWrite } from '../db/groupCommit.js'
import type { Ticket } from '../db/schema.js'
import { stageDue } from '../domain/deadlines.js'
import { isLevel, isStatus, type Level, type Priority, type Status } from '../domain/ladder.js'
import {
  clockRuns,
  decide,
  type ActionInput,
  type Actor,
  type Decision,
  type Refusal,
  type TicketState,
} from '../domain/lifecycle.js'
import { reportTicketChanged } from '../reports/rollups.js'
import { moveCounters } from './counters.js'
import { loadDeadlineContext, type DeadlineContext } from './deadlineContext.js'
import { queueNotifications, type NotifyContext } from './notify.js'
import { currentStage, insertEvent, pausesOfStage } from './queries.js'

export type ApplyResult =
  | { ok: true; ticket: Ticket; eventId: number; decision: Decision }
  | { ok: false; kind: 'refused'; refusal: Refusal; ticket: Ticket }
  | { ok: false; kind: 'stale'; ticket: Ticket }
  | { ok: false; kind: 'not_found' }

export interface ApplyRequest {
  ticketId: number
  /** The version the actor saw; null for complainant actions, which never race an edit form. */
  expectedVersion: number | null
  input: ActionInput
  actor: Actor
  now: number
  /** Runs inside the same transaction after the event is written (evidence rows, outbox). */
  alsoWrite?: (trx: DB, ctx: { ticket: Ticket; eventId: number }) => Promise<void>
  /** Queue the emails this change causes (complainant, assignee) in the same transaction. */
  notify?: NotifyContext
}

export function ticketState(t: Ticket): TicketState {
  if (!isStatus(t.status) || !isLevel(t.level)) throw new Error(`ticket ${t.id} has an unknown status or level`)
  return {
    status: t.status,
    level: t.level,
    priority: t.priority as Priority,
    assigneeId: t.assignee_id,
    disputedAt: t.disputed_at,
    proposedAt: t.proposed_at,
    complex: t.complex === 1,
    reminderAt: t.reminder_at,
  }
}

/**
 * The one way a ticket changes: the lifecycle decides, then one transaction writes the ticket
 * (guarded by its version), its ladder stage, its clock and its event.
 */
export async function applyAction(db: DB, req: ApplyRequest): Promise<ApplyResult> {
  const deadlines = await loadDeadlineContext(db)
  return groupedWrite(db, async (trx) => {
    const ticket = await trx.selectFrom('tickets').selectAll().where('id', '=', req.ticketId).executeTakeFirst()
    if (!ticket) return { ok: false, kind: 'not_found' } as const
    if (req.expectedVersion !== null && req.expectedVersion !== ticket.version) {
      return { ok: false, kind: 'stale', ticket } as const
    }
    const decision = decide(ticketState(ticket), req.input, req.actor, req.now)
    if (!decision.ok) return { ok: false, kind: 'refused', refusal: decision, ticket } as const

    const clock = await moveStageAndClock(trx, ticket, decision, req, deadlines)
    const changes = closingFields(req.input, req.now)
    const updated = await trx
      .updateTable('tickets')
      .set({
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
        ...changes,
        version: ticket.version + 1,
        updated_at: req.now,
      })
      .where('id', '=', ticket.id)
      .where('version', '=', ticket.version)
      .returningAll()
      .executeTakeFirst()
    // Another process won the race between our read and this write.
    if (!updated) return { ok: false, kind: 'stale', ticket } as const
    await moveCounters(
      trx,
      { status: ticket.status, level: ticket.level, assigneeId: ticket.assignee_id },
      { status: updated.status, level: updated.level, assigneeId: updated.assignee_id },
    )
    await reportTicketChanged(trx, ticket, updated, { type: decision.event.type, at: req.now }, deadlines)

    const eventId = await insertEvent(trx, {
      ticketId: ticket.id,
      type: decision.event.type,
      visibility: decision.event.visibility,
      actorType: req.actor.kind === 'staff' ? 'staff' : 'complainant',
      actorUserId: req.actor.kind === 'staff' ? req.actor.userId : null,
      body: decision.event.body,
      payload: { ...decision.event.payload, version: updated.version },
      createdAt: req.now,
    })
    await req.alsoWrite?.(trx, { ticket: updated, eventId })
    if (req.notify) await queueNotifications(trx, req.notify, { ticket: updated, decision, eventId, actor: req.actor, now: req.now })
    return { ok: true, ticket: updated, eventId, decision } as const
  })
}

function closingFields(input: ActionInput, now: number) {
  if (input.type === 'close') {
    return {
      closed_at: now,
      outcome: input.outcome,
      duplicate_of_id: input.outcome === 'duplicate' ? input.duplicateOfId : null,
    }
  }
  if (input.type === 'withdraw') return { closed_at: now, outcome: 'withdrawn' }
  if (input.type === 'reopen') return { closed_at: null, outcome: null }
  if (input.type === 'propose_resolution') {
    return { relief: input.relief, amount_recovered_minor: input.amountRecoveredMinor }
  }
  return {}
}

/**
 * Applies the decision's effect on the ladder stage and on the deadline clock, and returns the
 * ticket's new due date and pause state.
 */
async function moveStageAndClock(
  trx: DB,
  ticket: Ticket,
  d: Decision,
  req: ApplyRequest,
  deadlines: DeadlineContext,
): Promise<{ dueAt: number | null; pausedAt: number | null }> {
  const now = req.now
  let stage = await currentStage(trx, ticket.id)
  if (!stage) throw new Error(`ticket ${ticket.id} has no open ladder stage`)
  const wasRunning = clockRuns(ticket.status as Status)
  const runs = clockRuns(d.status)

  if (d.stage.kind === 'enter') {
    await trx.updateTable('clock_pauses').set({ ended_at: now }).where('stage_id', '=', stage.id).where('ended_at', 'is', null).execute()
    await trx.updateTable('ladder_stages').set({ left_at: now }).where('id', '=', stage.id).execute()
    stage = await trx
      .insertInto('ladder_stages')
      .values({
        ticket_id: ticket.id,
        level: d.stage.level,
        entered_at: now,
        left_at: null,
        accepted_at: null,
        first_response_at: null,
        answered_at: null,
        due_at: null,
        external_ref: d.stage.externalRef,
        outcome: null,
        answer: null,
        escalation_reason: d.stage.reason,
        entered_by: req.actor.kind === 'staff' ? req.actor.userId : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (!runs) await openPause(trx, ticket.id, stage.id, now)
  } else {
    if (wasRunning && !runs) await openPause(trx, ticket.id, stage.id, now)
    if (!wasRunning && runs) {
      await trx.updateTable('clock_pauses').set({ ended_at: now }).where('stage_id', '=', stage.id).where('ended_at', 'is', null).execute()
    }
    const s = d.stage
    if (s.kind === 'first_response' || s.kind === 'answered' || s.kind === 'body_said') {
      const answered =
        s.kind === 'answered' || (s.kind === 'body_said' && ['answered', 'refused', 'resolved'].includes(s.outcome))
      stage = await trx
        .updateTable('ladder_stages')
        .set({
          first_response_at: stage.first_response_at ?? now,
          answered_at: answered ? (stage.answered_at ?? now) : stage.answered_at,
          accepted_at: s.kind === 'body_said' && s.outcome === 'accepted' ? (stage.accepted_at ?? now) : stage.accepted_at,
          outcome: s.kind === 'body_said' ? s.outcome : stage.outcome,
          answer: s.kind === 'body_said' ? d.event.body : stage.answer,
          external_ref: s.kind === 'body_said' && s.externalRef ? s.externalRef : stage.external_ref,
        })
        .where('id', '=', stage.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    }
  }

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
  if (due.dueAt !== null && due.dueAt !== stage.due_at) {
    await trx.updateTable('ladder_stages').set({ due_at: due.dueAt }).where('id', '=', stage.id).execute()
  }
  const openPauseStart = pauses.find((p) => p.end === null)?.start ?? null
  return { dueAt: runs ? due.dueAt : null, pausedAt: runs ? null : openPauseStart }
}

async function openPause(trx: DB, ticketId: number, stageId: number, now: number) {
  await trx.insertInto('clock_pauses').values({ ticket_id: ticketId, stage_id: stageId, started_at: now, ended_at: null }).execute()
}
