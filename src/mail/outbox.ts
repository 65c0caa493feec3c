import type { Selectable } from 'kysely'
import type { DB } from '../db/connection.js'
import type { OutboxTable } from '../db/schema.js'

export type OutboxRow = Selectable<OutboxTable>

export interface NewMail {
  kind: string
  to: string
  locale: string
  subject: string
  text: string
  html: string | null
  ticketId: number | null
  eventId: number | null
}

/** Writes a message in the caller's transaction: it exists exactly when the change that caused it commits. */
export async function enqueueMail(trx: DB, mail: NewMail, now: number): Promise<number> {
  const row = await trx
    .insertInto('outbox')
    .values({
      kind: mail.kind,
      ticket_id: mail.ticketId,
      event_id: mail.eventId,
      to_address: mail.to,
      locale: mail.locale,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      status: 'pending',
      next_attempt_at: now,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Takes up to `limit` due messages for `owner` until `now + leaseMs`, in one statement, so two
 * senders (threads or processes) never hold the same row. An expired lease (a sender that died
 * mid-send) makes the row claimable again: delivery is at least once.
 */
export async function claimDue(
  db: DB,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  return db
    .updateTable('outbox')
    .set({ lease_owner: owner, lease_until: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit),
    )
    .returningAll()
    .execute()
}

/** Only the lease holder may settle a row; a sender whose lease lapsed learns it lost the row. */
export async function markSent(db: DB, id: number, owner: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: now,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      attempts: (eb) => eb('attempts', '+', 1),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export const RETRY_BASE_MS = 60_000
export const RETRY_MAX_MS = 6 * 3_600_000
export const MAX_ATTEMPTS = 8

/** Exponential backoff: 1 min, 2, 4 … capped at 6 h. */
export function retryDelay(attemptsSoFar: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attemptsSoFar - 1), RETRY_MAX_MS)
}

export async function markAttemptFailed(
  db: DB,
  row: OutboxRow,
  owner: string,
  error: string,
  now: number,
): Promise<'retry' | 'failed' | 'lost'> {
  const attempts = row.attempts + 1
  const giveUp = attempts >= MAX_ATTEMPTS
  const r = await db
    .updateTable('outbox')
    .set({
      attempts,
      status: giveUp ? 'failed' : 'pending',
      next_attempt_at: giveUp ? row.next_attempt_at : now + retryDelay(attempts),
      lease_owner: null,
      lease_until: null,
      last_error: error.slice(0, 1000),
    })
    .where('id', '=', row.id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) !== 1) return 'lost'
  return giveUp ? 'failed' : 'retry'
}

/** An admin sends a failed message again: it becomes due now with a fresh attempt count. */
export async function retryFailed(db: DB, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Hands claimed but unsent rows back at once (on shutdown) instead of waiting for the lease. */
export async function releaseLeases(db: DB, owner: string, ids: number[]): Promise<void> {
  if (!ids.length) return
  await db
    .updateTable('outbox')
    .set({ lease_owner: null, lease_until: null })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .execute()
}
