import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { DB } from '../db/connection.js'
import type { AppEnv } from '../http/env.js'
import { hashSecret, newSecret } from '../secrets.js'

// A browser that has signed in to an account is remembered for it (a random cookie, only its
// hash in the database), so that failed sign-ins from anywhere else never lock that browser
// out of its own account (src/auth/loginLimits.ts). One cookie per browser, remembered for each
// account signed in from it.

export const DEVICE_COOKIE = 'ladder_device'
/** Unused this long, a browser is a stranger again. */
export const DEVICE_REMEMBERED_MS = 180 * 86_400_000
const TOKEN = /^[A-Za-z0-9_-]{43}$/

function deviceToken(c: Context<AppEnv>): string | null {
  const token = getCookie(c, DEVICE_COOKIE)
  return token && TOKEN.test(token) ? token : null
}

/**
 * This browser's token hash when it has signed in to `userId` before, else null. Asked the
 * same way whether or not the account exists, so the answer's timing tells nothing about it.
 */
export async function knownDevice(
  c: Context<AppEnv>,
  db: DB,
  userId: number | null,
  now: number,
): Promise<string | null> {
  const token = deviceToken(c)
  if (!token) return null
  const tokenHash = hashSecret(token)
  const rows = await db
    .selectFrom('login_devices')
    .select(['user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .execute()
  const known = rows.some(
    (r) => r.user_id === userId && Number(r.last_used_at) > now - DEVICE_REMEMBERED_MS,
  )
  return known ? tokenHash : null
}

/** After a completed sign-in: this browser is known for `userId` from now on. */
export async function rememberDevice(
  c: Context<AppEnv>,
  db: DB,
  userId: number,
  now: number,
  secure: boolean,
): Promise<void> {
  const token = deviceToken(c) ?? newSecret()
  await db
    .insertInto('login_devices')
    .values({ token_hash: hashSecret(token), user_id: userId, created_at: now, last_used_at: now })
    .onConflict((oc) => oc.columns(['token_hash', 'user_id']).doUpdateSet({ last_used_at: now }))
    .execute()
  setCookie(c, DEVICE_COOKIE, token, {
    // Sent only where it is read.
    path: '/login',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    maxAge: DEVICE_REMEMBERED_MS / 1000,
  })
}

export async function pruneLoginDevices(db: DB, now: number): Promise<number> {
  const result = await db
    .deleteFrom('login_devices')
    .where('last_used_at', '<=', now - DEVICE_REMEMBERED_MS)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
