import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { DB } from '../db/connection.js'
import type { AppEnv } from './env.js'

// Fixed-window counters in the rate_limits table, so every process sees the same counts.
// A window starts at the first hit on a key and lasts windowMs; the next hit after it starts a
// new one. Keys are namespaced by the caller (`login:email:…`, `track:ip:…`).

export interface RateLimitResult {
  allowed: boolean
  retryAfterSeconds: number
}

/** Counts one hit on `key`; allowed while the window holds at most `limit` hits. */
export async function hitRateLimit(
  db: DB,
  key: string,
  limit: number,
  windowMs: number,
  now: number,
): Promise<RateLimitResult> {
  const expired = now - windowMs
  // One statement, so two processes hitting the same key at once cannot both read a stale count.
  // In the UPDATE both CASEs see the row as it was, in SQLite and PostgreSQL alike.
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('rate_limits.window_start', '<=', expired)
          .then(1)
          .else(eb('rate_limits.count', '+', 1))
          .end(),
        window_start: eb
          .case()
          .when('rate_limits.window_start', '<=', expired)
          .then(now)
          .else(eb.ref('rate_limits.window_start'))
          .end(),
      })),
    )
    .returning(['window_start', 'count'])
    .executeTakeFirstOrThrow()
  const count = Number(row.count)
  const allowed = count <= limit
  const retryAfterSeconds = allowed
    ? 0
    : Math.max(1, Math.ceil((Number(row.window_start) + windowMs - now) / 1000))
  return { allowed, retryAfterSeconds }
}

/**
 * Takes back one hit, for limits that count failures only: the attempt is counted before it is
 * tried (so a burst of parallel attempts cannot all slip past the limit) and handed back when
 * it succeeds.
 */
export async function undoRateLimitHit(db: DB, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ count: eb('count', '-', 1) }))
    .where('key', '=', key)
    .where('count', '>', 0)
    .execute()
}

export interface RateLimit {
  key: string
  limit: number
  windowMs: number
}

/**
 * Counts one hit on each limit; the longest wait among those exceeded, or 0 when all allow.
 * A refused request was never tried: its hits are taken back, so it lengthens no one's count.
 */
export async function hitRateLimits(
  db: DB,
  limits: readonly RateLimit[],
  now: number,
): Promise<number> {
  let wait = 0
  for (const l of limits) {
    const hit = await hitRateLimit(db, l.key, l.limit, l.windowMs, now)
    if (!hit.allowed) wait = Math.max(wait, hit.retryAfterSeconds)
  }
  if (wait > 0) for (const l of limits) await undoRateLimitHit(db, l.key)
  return wait
}

export async function resetRateLimit(db: DB, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute()
}

/** Drops windows that have ended, given the longest window any caller uses; safe at any time. */
export async function pruneRateLimits(
  db: DB,
  now: number,
  longestWindowMs: number,
): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('window_start', '<=', now - longestWindowMs)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * The client's address: the socket's peer. X-Forwarded-For is believed only when the operator
 * says a proxy sits in front (config.trustProxy), since anyone can send that header; then the
 * last entry, the one that proxy appended, because earlier entries come from the client.
 * Under app.request() in tests there is no socket: 'unknown' (one shared bucket).
 */
export function clientIp(c: Context<AppEnv>): string {
  if (c.get('deps').config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
    if (forwarded) return forwarded.slice(0, 64)
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
