import { hashSecret } from '../secrets.js'
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'

// Everything here is scoped by the ticket the tracking token opened: a row of another case is
// simply not found.

const TOKEN = /^[A-Za-z0-9_-]{20,128}$/

/** The case a tracking token opens, or a live access link from one of its notification emails. */
export async function ticketByToken(
  db: DB,
  token: string,
  now: number,
): Promise<Ticket | undefined> {
  if (!TOKEN.test(token)) return undefined
  const hash = hashSecret(token)
  return db
    .selectFrom('tickets')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('tracking_token_hash', '=', hash),
        eb(
          'id',
          '=',
          eb
            .selectFrom('access_links')
            .select('ticket_id')
            .where('token_hash', '=', hash)
            .where('expires_at', '>', now),
        ),
      ]),
    )
    .executeTakeFirst()
}

/** The complainant's timeline: public events only; internal notes never leave the staff side. */
export function publicEvents(db: DB, ticketId: number) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('visibility', '=', 'public')
    .orderBy('id', 'asc')
    .execute()
}

/** Their own files, and files staff added that are not marked sensitive. */
export function visibleEvidence(db: DB, ticketId: number) {
  return db
    .selectFrom('evidence')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where((eb) => eb.or([eb('uploaded_by_type', '=', 'complainant'), eb('sensitive', '=', 0)]))
    .orderBy('id', 'asc')
    .execute()
}

export function visibleEvidenceById(db: DB, ticketId: number, id: number) {
  return db
    .selectFrom('evidence')
    .selectAll()
    .where('id', '=', id)
    .where('ticket_id', '=', ticketId)
    .where((eb) => eb.or([eb('uploaded_by_type', '=', 'complainant'), eb('sensitive', '=', 0)]))
    .executeTakeFirst()
}

/** The contacts the complainant logged; what staff recorded about bodies stays on their side. */
export function complainantContacts(db: DB, ticketId: number) {
  return db
    .selectFrom('contact_attempts')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('recorded_by_type', '=', 'complainant')
    .orderBy('contacted_at', 'asc')
    .orderBy('id', 'asc')
    .execute()
}

export function providerById(db: DB, id: number) {
  return db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst()
}

export function stageLevels(db: DB, ticketId: number) {
  return db
    .selectFrom('ladder_stages')
    .select('level')
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute()
}
