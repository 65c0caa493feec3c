import { hashSecret, newSecret } from '../secrets.js'
import type { DB } from '../db/connection.js'

// The complainant's tracking token exists only as a hash, so an email cannot repeat it. Each
// notification email gets a link of its own instead: 256 random bits, stored hashed, valid for
// a while, opening the same case page as the tracking link.

export const ACCESS_LINK_TTL_MS = 60 * 86_400_000

/** Creates a link in the caller's transaction and returns its token (the only copy of it). */
export async function createAccessLink(
  trx: DB,
  ticketId: number,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = newSecret()
  const expiresAt = now + ACCESS_LINK_TTL_MS
  await trx
    .insertInto('access_links')
    .values({
      token_hash: hashSecret(token),
      ticket_id: ticketId,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute()
  return { token, expiresAt }
}

/** Ends every emailed link of a case at once (a fresh tracking link was asked for). */
export async function revokeAccessLinks(trx: DB, ticketId: number): Promise<void> {
  await trx.deleteFrom('access_links').where('ticket_id', '=', ticketId).execute()
}

export async function pruneAccessLinks(db: DB, now: number): Promise<number> {
  const r = await db.deleteFrom('access_links').where('expires_at', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
