// Everything a dossier holds, read with a fixed number of queries under the same visibility
// rules as the ticket page: any staff member sees the ticket; sensitive evidence only its
// assignee and managers.
import type { DB } from '../db/connection.js'
import type { SignedInUser } from '../http/env.js'
import { stagesOf } from '../tickets/queries.js'
import {
  contactsOf,
  eventsWithActors,
  hiddenEvidenceCount,
  visibleEvidence,
} from '../tickets/workspace.js'
import { findTicket } from '../tickets/findTicket.js'

export async function loadDossier(db: DB, user: SignedInUser, caseNumber: string) {
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) return null
  const [stages, contacts, events, evidence, hiddenEvidence, staff] = await Promise.all([
    stagesOf(db, ticket.id),
    contactsOf(db, ticket.id),
    eventsWithActors(db, ticket.id),
    visibleEvidence(db, user, ticket),
    hiddenEvidenceCount(db, user, ticket),
    db.selectFrom('users').select(['id', 'name']).execute(),
  ])
  return {
    ticket,
    stages,
    contacts,
    // The receiving body gets what the complainant could see; internal notes stay here.
    events: events.filter((e) => e.visibility === 'public'),
    evidence,
    hiddenEvidence,
    staffNames: new Map(staff.map((u) => [u.id, u.name])),
  }
}

export type DossierData = NonNullable<Awaited<ReturnType<typeof loadDossier>>>
