// Everything the ticket page shows, loaded with a fixed number of queries (no per-row queries).
import type { DB } from '../db/connection.js'
import type { ContactAttempt, Event, Evidence, Ticket } from '../db/schema.js'
import type { SignedInUser } from '../http/env.js'
import { roleAtLeast } from '../domain/roles.js'
import { cachedRead } from '../db/readCache.js'
import { rawRow, rawRows } from '../db/rawSql.js'
import { findTicket } from './findTicket.js'

/** Who may see a ticket's sensitive evidence (ID documents): its assignee, managers and admins. */
export function maySeeSensitive(user: SignedInUser, ticket: Pick<Ticket, 'assignee_id'>): boolean {
  return roleAtLeast(user.role, 'manager') || ticket.assignee_id === user.id
}

const ALL_EVIDENCE_SQL = 'select * from evidence where ticket_id = ? order by id'
const PLAIN_EVIDENCE_SQL =
  'select * from evidence where ticket_id = ? and sensitive = 0 order by id'

/** The evidence rows this user may see; sensitive rows are left out of the query, not hidden later. */
export function visibleEvidence(
  db: DB,
  user: SignedInUser,
  ticket: Pick<Ticket, 'id' | 'assignee_id'>,
): Promise<Evidence[]> {
  return rawRows<Evidence>(
    db,
    maySeeSensitive(user, ticket) ? ALL_EVIDENCE_SQL : PLAIN_EVIDENCE_SQL,
    [ticket.id],
  )
}

export async function evidenceForStaff(
  db: DB,
  user: SignedInUser,
  caseNumber: string,
  evidenceId: number,
): Promise<Evidence | undefined> {
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) return undefined
  let q = db
    .selectFrom('evidence')
    .selectAll()
    .where('id', '=', evidenceId)
    .where('ticket_id', '=', ticket.id)
  if (!maySeeSensitive(user, ticket)) q = q.where('sensitive', '=', 0)
  return q.executeTakeFirst()
}

export async function hiddenEvidenceCount(
  db: DB,
  user: SignedInUser,
  ticket: Pick<Ticket, 'id' | 'assignee_id'>,
): Promise<number> {
  if (maySeeSensitive(user, ticket)) return 0
  const row = await rawRow<{ n: number }>(
    db,
    'select count(*) as n from evidence where ticket_id = ? and sensitive = 1',
    [ticket.id],
  )
  return Number(row?.n ?? 0)
}

export type EventRow = Event & { actor_name: string | null }

// A ticket's events with the name of the staff member behind each, ordered and limited below.
const TICKET_EVENTS_SQL = `select events.*, users.name as actor_name
  from events left join users on users.id = events.actor_user_id
  where events.ticket_id = ?`
const EVENTS_SQL = `${TICKET_EVENTS_SQL} order by events.id`

/** Every event of a ticket, oldest first: the history page and the dossier show them all. */
export function eventsWithActors(db: DB, ticketId: number): Promise<EventRow[]> {
  return rawRows<EventRow>(db, EVENTS_SQL, [ticketId])
}

const LATEST_EVENTS_SQL = `${TICKET_EVENTS_SQL} order by events.id desc limit ?`
const EARLIER_EVENTS_SQL = `${TICKET_EVENTS_SQL} and events.id < ? order by events.id desc limit ?`

/**
 * Up to `limit` events of a ticket, newest first, only those before event `beforeId` when given:
 * one page of the ticket page's timeline, read backwards along the (ticket_id, id) index.
 */
export function timelineEvents(
  db: DB,
  ticketId: number,
  beforeId: number | null,
  limit: number,
): Promise<EventRow[]> {
  return beforeId === null
    ? rawRows<EventRow>(db, LATEST_EVENTS_SQL, [ticketId, limit])
    : rawRows<EventRow>(db, EARLIER_EVENTS_SQL, [ticketId, beforeId, limit])
}

export function contactsOf(db: DB, ticketId: number): Promise<ContactAttempt[]> {
  return rawRows<ContactAttempt>(
    db,
    'select * from contact_attempts where ticket_id = ? order by contacted_at, id',
    [ticketId],
  )
}

export function duplicatesOf(
  db: DB,
  ticketId: number,
): Promise<{ id: number; case_number: string }[]> {
  return rawRows(db, 'select id, case_number from tickets where duplicate_of_id = ? order by id', [
    ticketId,
  ])
}

export async function caseNumberOf(db: DB, id: number | null): Promise<string | null> {
  if (id === null) return null
  const row = await rawRow<{ case_number: string }>(
    db,
    'select case_number from tickets where id = ?',
    [id],
  )
  return row?.case_number ?? null
}

/**
 * Every staff member's name by id, deactivated ones too: who assigned, recorded or was assigned
 * something stays named after they leave. Cached like the list below.
 */
export function staffNames(db: DB): Promise<ReadonlyMap<number, string>> {
  return cachedRead(db, 'staff:names', 0, async () => ({
    value: new Map(
      (await db.selectFrom('users').select(['id', 'name']).execute()).map(
        (u) => [u.id, u.name] as const,
      ),
    ),
  }))
}

/** Cached between requests until data changes: every ticket page and queue page lists them. */
export function activeStaff(db: DB) {
  return cachedRead(db, 'staff:active', 0, async () => ({
    value: await db
      .selectFrom('users')
      .select(['id', 'name', 'role'])
      .where('active', '=', 1)
      .orderBy('name')
      .execute(),
  }))
}
