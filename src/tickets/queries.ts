import type { DB } from '../db/connection.js'
import type { LadderStage } from '../db/schema.js'
import { writtenRows } from '../db/written.js'
import type { Interval } from '../domain/deadlines.js'
import type { StoredEvidence } from '../complaints/fileComplaint.js'

export function ticketByCaseNumber(db: DB, caseNumber: string) {
  return db.selectFrom('tickets').selectAll().where('case_number', '=', caseNumber).executeTakeFirst()
}

export function ticketById(db: DB, id: number) {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst()
}

export function currentStage(db: DB, ticketId: number) {
  return db
    .selectFrom('ladder_stages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('left_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** A ticket's stages in the order they were entered (written out: the ticket page asks it every time). */
export function stagesOf(db: DB, ticketId: number): Promise<LadderStage[]> {
  return writtenRows<LadderStage>(db, 'select * from ladder_stages where ticket_id = ? order by id', [ticketId])
}

/** A stage's pauses in the order they began (written out: the ticket page asks it for its open stage). */
export async function pausesOfStage(db: DB, stageId: number): Promise<Interval[]> {
  const rows = await writtenRows<{ started_at: number; ended_at: number | null }>(
    db,
    'select started_at, ended_at from clock_pauses where stage_id = ? order by id',
    [stageId],
  )
  return rows.map((r) => ({ start: r.started_at, end: r.ended_at }))
}

export async function insertEvent(
  db: DB,
  e: {
    ticketId: number
    type: string
    visibility: 'public' | 'internal'
    actorType: 'complainant' | 'staff' | 'system'
    actorUserId: number | null
    body: string | null
    payload: Record<string, unknown>
    createdAt: number
  },
): Promise<number> {
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

/** Adds to a named counter and returns the new value, inside the caller's transaction. */
export async function bumpCounter(db: DB, name: string, by = 1): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: by })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', by) })))
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

/** Evidence rows for files already stored (and fsynced), attached to the event that added them. */
export async function insertComplainantEvidence(
  db: DB,
  ticketId: number,
  eventId: number,
  files: readonly StoredEvidence[],
  now: number,
): Promise<void> {
  if (!files.length) return
  await db
    .insertInto('evidence')
    .values(
      files.map((e) => ({
        ticket_id: ticketId,
        event_id: eventId,
        sha256: e.sha256,
        size: e.size,
        mime: e.mime,
        original_name: e.originalName,
        sensitive: e.sensitive ? 1 : 0,
        uploaded_by_type: 'complainant' as const,
        uploaded_by_user_id: null,
        created_at: now,
      })),
    )
    .execute()
}
