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

/** Rows for the complainant's files, attached to the event that added them. */
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
