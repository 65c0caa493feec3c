import { randomBytes } from 'node:crypto'
import type { DB } from '../db/connection.js'

// A resent or double-clicked complaint form must give the same case, never a second one. The
// form carries a random key; the first POST with it records where it led.
//
// Trade-off: response_location holds the raw tracking token (the redirect target), so for as
// long as the row lives the database holds one copy of the secret that is otherwise stored only
// hashed. Rows live 24 hours, long enough for any retry or back-button resend, and are purged
// after. The key itself is as unguessable as the token, and known only to the browser that
// rendered the form.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
export const COMPLAINT_SCOPE = 'complaint'
const KEY = /^[A-Za-z0-9_-]{16,128}$/

export function newIdempotencyKey(): string {
  return randomBytes(24).toString('base64url')
}

/** A key as the form sent it, or null if it is missing or not one of ours. */
export function validIdempotencyKey(value: string | undefined | null): string | null {
  return value && KEY.test(value) ? value : null
}

/** Where an earlier, completed request with this key led, if it has not expired. */
export async function earlierResponse(
  db: DB,
  key: string,
  scope: string,
  now: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select('response_location')
    .where('key', '=', key)
    .where('scope', '=', scope)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row?.response_location ?? null
}

/**
 * Claims the key inside the caller's transaction. Returns null when this request owns it now,
 * or the earlier request's location when another one got there first. The insert is the lock:
 * a concurrent transaction with the same key waits on it (PostgreSQL) or on the write lock
 * (SQLite) and then sees the committed row.
 */
export async function claimKey(
  trx: DB,
  key: string,
  scope: string,
  now: number,
): Promise<string | null> {
  // Purged here, opportunistically, so an expired key can be reused and the table stays small.
  await trx.deleteFrom('idempotency_keys').where('expires_at', '<=', now).execute()
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({
      key,
      scope,
      ticket_id: null,
      response_status: null,
      response_location: null,
      created_at: now,
      expires_at: now + IDEMPOTENCY_TTL_MS,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  if (inserted) return null
  const row = await trx
    .selectFrom('idempotency_keys')
    .select(['scope', 'response_location'])
    .where('key', '=', key)
    .executeTakeFirstOrThrow()
  // A key reused in another scope is treated as a clash, never as a way to another response.
  if (row.scope !== scope || !row.response_location) throw new Error('idempotency key clash')
  return row.response_location
}

export async function completeKey(
  trx: DB,
  key: string,
  ticketId: number,
  location: string,
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ ticket_id: ticketId, response_status: 303, response_location: location })
    .where('key', '=', key)
    .execute()
}
