// Everything the ticket page shows, loaded with a fixed number of queries (no per-row queries).
import type { DB } from '../db/connection.js'
import type { Evidence, Ticket } from '../db/schema.js'
import type { SignedInUser } from '../http/env.js'
import { roleAtLeast } from '../auth/users.js'
import { keptRead } from '../db/readCache.js'

/** Who may see a ticket's sensitive evidence (ID documents): its assignee, managers and admins. */
export function maySeeSensitive(user: SignedInUser, ticket: Pick<Ticket, 'assignee_id'>): boolean {
  return roleAtLeast(user.role, 'manager') || ticket.assignee_id === user.id
}

/** Every ticket is visible to every signed-in staff member; evidence is scoped by maySeeSensitive. */
export function ticketForStaff(db: DB, caseNumber: string) {
  return db
    .selectFrom('tickets')
    .leftJoin('providers', 'providers.id', 'tickets.provider_id')
    .leftJoin('users', 'users.id', 'tickets.assignee_id')
    .selectAll('tickets')
    .select(['providers.name_zh as provider_zh', 'providers.name_en as provider_en', 'users.name as assignee_name'])
    .where('tickets.case_number', '=', caseNumber)
    .executeTakeFirst()
}

export type StaffTicket = NonNullable<Awaited<ReturnType<typeof ticketForStaff>>>

/** The evidence rows this user may see; sensitive rows are left out of the query, not hidden later. */
export function visibleEvidence(db: DB, user: SignedInUser, ticket: Pick<Ticket, 'id' | 'assignee_id'>) {
  let q = db.selectFrom('evidence').selectAll().where('ticket_id', '=', ticket.id)
  if (!maySeeSensitive(user, ticket)) q = q.where('sensitive', '=', 0)
  return q.orderBy('id').execute()
}

export async function evidenceForStaff(db: DB, user: SignedInUser, caseNumber: string, evidenceId: number): Promise<Evidence | undefined> {
  const ticket = await db.selectFrom('tickets').select(['id', 'assignee_id']).where('case_number', '=', caseNumber).executeTakeFirst()
  if (!ticket) return undefined
  let q = db.selectFrom('evidence').selectAll().where('id', '=', evidenceId).where('ticket_id', '=', ticket.id)
  if (!maySeeSensitive(user, ticket)) q = q.where('sensitive', '=', 0)
  return q.executeTakeFirst()
}

export async function hiddenEvidenceCount(db: DB, user: SignedInUser, ticket: Pick<Ticket, 'id' | 'assignee_id'>): Promise<number> {
  if (maySeeSensitive(user, ticket)) return 0
  const row = await db
    .selectFrom('evidence')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ticket_id', '=', ticket.id)
    .where('sensitive', '=', 1)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

export function eventsWithActors(db: DB, ticketId: number) {
  return db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actor_user_id')
    .selectAll('events')
    .select('users.name as actor_name')
    .where('events.ticket_id', '=', ticketId)
    .orderBy('events.id')
    .execute()
}

export type EventRow = Awaited<ReturnType<typeof eventsWithActors>>[number]

export function contactsOf(db: DB, ticketId: number) {
  return db
    .selectFrom('contact_attempts')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('contacted_at')
    .orderBy('id')
    .execute()
}

export function duplicatesOf(db: DB, ticketId: number) {
  return db.selectFrom('tickets').select(['id', 'case_number']).where('duplicate_of_id', '=', ticketId).orderBy('id').execute()
}

export async function caseNumberOf(db: DB, id: number | null): Promise<string | null> {
  if (id === null) return null
  const row = await db.selectFrom('tickets').select('case_number').where('id', '=', id).executeTakeFirst()
  return row?.case_number ?? null
}

/** Kept between requests until data changes: every ticket page and queue page lists them. */
export function activeStaff(db: DB) {
  return keptRead(db, 'staff:active', 0, async () => ({
    value: await db.selectFrom('users').select(['id', 'name', 'role']).where('active', '=', 1).orderBy('name').execute(),
  }))
}
