// The rows of a ticket change: the ticket, its ladder stages, their clock pauses and the event.
// Only the change module writes these tables; everything here runs in its transaction.
import type { DB } from '../db/connection.js'
import { rawRows } from '../db/rawSql.js'
import type { LadderStage, NewTicket, Ticket, TicketUpdate } from '../db/schema.js'
import type { Interval } from '../domain/clocks.js'
import type { Level } from '../domain/ladder.js'
import type { StageFacts } from '../domain/stages.js'
import type { EscalationReason } from '../domain/ladder.js'

export interface EventRowInput {
  ticketId: number
  type: string
  visibility: 'public' | 'internal'
  actorType: 'complainant' | 'staff' | 'system'
  actorUserId: number | null
  body: string | null
  payload: Record<string, unknown>
  createdAt: number
}

export async function insertEvent(db: DB, e: EventRowInput): Promise<number> {
  const row = await db
    .insertInto('events')
    .values({
      ticket_id: e.ticketId,
      type: e.type,
      visibility: e.visibility,
      actor_type: e.actorType,
      actor_user_id: e.actorUserId,
      body: e.body,
      payload: JSON.stringify(e.payload),
      created_at: e.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function insertTicket(db: DB, row: NewTicket): Promise<Ticket> {
  return db.insertInto('tickets').values(row).returningAll().executeTakeFirstOrThrow()
}

/** Writes the ticket if it is still at `version`; undefined when another writer got there first. */
export function updateTicket(
  db: DB,
  id: number,
  version: number,
  set: TicketUpdate,
): Promise<Ticket | undefined> {
  return db
    .updateTable('tickets')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
}

/** A change of the ticket's secret that is not a change of its state (the version stays). */
export async function setTrackingTokenHash(
  db: DB,
  id: number,
  hash: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ tracking_token_hash: hash, updated_at: now })
    .where('id', '=', id)
    .execute()
}

export function ticketForChange(db: DB, id: number): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()
}

export function currentStage(db: DB, ticketId: number): Promise<LadderStage | undefined> {
  return db
    .selectFrom('ladder_stages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('left_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** A stage's pauses in the order they began (raw SQL: the ticket page asks it for its open stage). */
export async function pausesOfStage(db: DB, stageId: number): Promise<Interval[]> {
  const rows = await rawRows<{ started_at: number; ended_at: number | null }>(
    db,
    'select started_at, ended_at from clock_pauses where stage_id = ? order by id',
    [stageId],
  )
  return rows.map((r) => ({ start: r.started_at, end: r.ended_at }))
}

export function insertStage(
  db: DB,
  s: {
    ticketId: number
    level: Level
    enteredAt: number
    dueAt: number | null
    externalRef: string | null
    reason: EscalationReason | null
    enteredBy: number | null
  },
): Promise<LadderStage> {
  return db
    .insertInto('ladder_stages')
    .values({
      ticket_id: s.ticketId,
      level: s.level,
      entered_at: s.enteredAt,
      left_at: null,
      accepted_at: null,
      first_response_at: null,
      answered_at: null,
      due_at: s.dueAt,
      external_ref: s.externalRef,
      outcome: null,
      answer: null,
      escalation_reason: s.reason,
      entered_by: s.enteredBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Leaves a stage: its open pause ends with it. */
export async function leaveStage(db: DB, stageId: number, now: number): Promise<void> {
  await endPause(db, stageId, now)
  await db.updateTable('ladder_stages').set({ left_at: now }).where('id', '=', stageId).execute()
}

export function updateStageFacts(db: DB, stageId: number, f: StageFacts): Promise<LadderStage> {
  return db
    .updateTable('ladder_stages')
    .set({
      first_response_at: f.firstResponseAt,
      answered_at: f.answeredAt,
      accepted_at: f.acceptedAt,
      outcome: f.outcome,
      answer: f.answer,
      external_ref: f.externalRef,
    })
    .where('id', '=', stageId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function setStageDue(db: DB, stageId: number, dueAt: number): Promise<void> {
  await db.updateTable('ladder_stages').set({ due_at: dueAt }).where('id', '=', stageId).execute()
}

export async function startPause(
  db: DB,
  ticketId: number,
  stageId: number,
  now: number,
): Promise<void> {
  await db
    .insertInto('clock_pauses')
    .values({ ticket_id: ticketId, stage_id: stageId, started_at: now, ended_at: null })
    .execute()
}

export async function endPause(db: DB, stageId: number, now: number): Promise<void> {
  await db
    .updateTable('clock_pauses')
    .set({ ended_at: now })
    .where('stage_id', '=', stageId)
    .where('ended_at', 'is', null)
    .execute()
}

export function stageFacts(s: LadderStage): StageFacts {
  return {
    firstResponseAt: s.first_response_at,
    answeredAt: s.answered_at,
    acceptedAt: s.accepted_at,
    outcome: s.outcome,
    answer: s.answer,
    externalRef: s.external_ref,
  }
}

export async function tagsOfTicket(db: DB, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_tags')
    .select('tag')
    .where('ticket_id', '=', ticketId)
    .orderBy('tag')
    .execute()
  return rows.map((r) => r.tag)
}

/** Adds or removes one tag and keeps its count with it (the queue's tag list reads the count). */
export async function writeTag(
  db: DB,
  ticketId: number,
  change: { add: string } | { remove: string },
  now: number,
): Promise<void> {
  if ('add' in change) {
    await db
      .insertInto('ticket_tags')
      .values({ ticket_id: ticketId, tag: change.add, created_at: now })
      .execute()
    await db
      .insertInto('tag_counts')
      .values({ tag: change.add, n: 1 })
      .onConflict((oc) => oc.column('tag').doUpdateSet((eb) => ({ n: eb('tag_counts.n', '+', 1) })))
      .execute()
    return
  }
  await db
    .deleteFrom('ticket_tags')
    .where('ticket_id', '=', ticketId)
    .where('tag', '=', change.remove)
    .execute()
  await db
    .updateTable('tag_counts')
    .set((eb) => ({ n: eb('n', '-', 1) }))
    .where('tag', '=', change.remove)
    .execute()
  await db.deleteFrom('tag_counts').where('tag', '=', change.remove).where('n', '<=', 0).execute()
}
