// The evidence rows that point at stored files. Files are written (and fsynced) first; these rows
// follow in the transaction of the change that brought the files.
import type { DB } from '../db/connection.js'

export interface StoredEvidence {
  sha256: string
  size: number
  mime: string
  originalName: string
  /** An ID document: hidden from staff other than the case handler and managers. */
  sensitive: boolean
}

/** Who sent a file: the complainant, or a staff member attaching it to a reply (sent by us). */
export type EvidenceSender = { kind: 'complainant' } | { kind: 'staff'; userId: number }

/** Rows for the files of one change, attached to the event that brought them. */
export async function insertEvidence(
  db: DB,
  ticketId: number,
  eventId: number,
  sender: EvidenceSender,
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
        // What staff send goes to the complainant: it is never an ID document kept from them.
        sensitive: sender.kind === 'complainant' && e.sensitive ? 1 : 0,
        uploaded_by_type: sender.kind,
        uploaded_by_user_id: sender.kind === 'staff' ? sender.userId : null,
        created_at: now,
      })),
    )
    .execute()
}

/** Rows for the complainant's files, attached to the event that added them. */
export function insertComplainantEvidence(
  db: DB,
  ticketId: number,
  eventId: number,
  files: readonly StoredEvidence[],
  now: number,
): Promise<void> {
  return insertEvidence(db, ticketId, eventId, { kind: 'complainant' }, files, now)
}
