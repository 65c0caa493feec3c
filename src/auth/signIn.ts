// From the right password to a session. A session exists only once every factor the user needs
// has been checked; in between, the browser holds a login challenge, which is not a session and
// opens no staff page (its cookie is sent to /login/… only).
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { User } from '../db/schema.js'
import type { AppEnv } from '../http/env.js'
import { clientIp } from '../http/rateLimit.js'
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, createSession, destroySession } from './sessions.js'
import { hashSecret, newSecret } from '../secrets.js'
import { hasTwoFactor } from './twoFactor.js'
import { twoFactorRequired } from '../domain/twoFactorPolicy.js'
import { rememberDevice } from './devices.js'

export const LOGIN_CHALLENGE_COOKIE = 'ladder_login'
export const LOGIN_CHALLENGE_PATH = '/login'
export const LOGIN_CHALLENGE_MS = 10 * 60_000

/** Opens a full session with a new id; the browser's previous session (if any) ends: no fixation. */
export async function startSession(c: Context<AppEnv>, userId: number, now: number): Promise<void> {
  const { db, config } = c.get('deps')
  const previous = c.get('sessionIdHash')
  if (previous) await destroySession(db, previous)
  const id = await createSession(db, userId, now, {
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
  })
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.baseUrl.startsWith('https:'),
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  })
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute()
  // Only a browser that got all the way in is one the login limits trust (src/auth/loginLimits.ts).
  await rememberDevice(c, db, userId, now, config.baseUrl.startsWith('https:'))
}

/**
 * The password was right: a user with a second factor is asked for a code, one who must have
 * one and has none sets it up first, anyone else gets a session. `next` is already a safe path.
 */
export async function afterPassword(
  c: Context<AppEnv>,
  user: User,
  next: string,
  now: number,
): Promise<Response> {
  const { db, config } = c.get('deps')
  await endChallenge(c)
  const purpose = (await hasTwoFactor(db, user.id))
    ? 'verify'
    : twoFactorRequired(user.role, config.require2fa)
      ? 'enrol'
      : null
  if (!purpose) {
    await startSession(c, user.id, now)
    return c.redirect(next, 303)
  }
  const id = newSecret()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('login_challenges').where('expires_at', '<=', now).execute()
    await trx
      .insertInto('login_challenges')
      .values({
        id_hash: hashSecret(id),
        user_id: user.id,
        purpose,
        next,
        created_at: now,
        expires_at: now + LOGIN_CHALLENGE_MS,
      })
      .execute()
  })
  setCookie(c, LOGIN_CHALLENGE_COOKIE, id, {
    path: LOGIN_CHALLENGE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.baseUrl.startsWith('https:'),
    maxAge: LOGIN_CHALLENGE_MS / 1000,
  })
  return c.redirect(purpose === 'verify' ? '/login/code' : '/login/enrol', 303)
}

export interface LoginChallenge {
  idHash: string
  purpose: 'verify' | 'enrol'
  next: string
  user: Pick<User, 'id' | 'email' | 'name' | 'role'>
}

/** This browser's live challenge, for an active user; null when there is none or it expired. */
export async function currentChallenge(
  c: Context<AppEnv>,
  now: number,
): Promise<LoginChallenge | null> {
  const id = getCookie(c, LOGIN_CHALLENGE_COOKIE)
  if (!id) return null
  const row = await c
    .get('deps')
    .db.selectFrom('login_challenges')
    .innerJoin('users', 'users.id', 'login_challenges.user_id')
    .select([
      'login_challenges.purpose',
      'login_challenges.next',
      'login_challenges.expires_at',
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.active',
    ])
    .where('login_challenges.id_hash', '=', hashSecret(id))
    .executeTakeFirst()
  if (!row || row.expires_at <= now || row.active !== 1) return null
  return {
    idHash: hashSecret(id),
    purpose: row.purpose,
    next: row.next,
    user: { id: row.id, email: row.email, name: row.name, role: row.role },
  }
}

/** Ends this browser's challenge, in the database and in the cookie. */
export async function endChallenge(c: Context<AppEnv>): Promise<void> {
  const id = getCookie(c, LOGIN_CHALLENGE_COOKIE)
  if (!id) return
  await c
    .get('deps')
    .db.deleteFrom('login_challenges')
    .where('id_hash', '=', hashSecret(id))
    .execute()
  deleteCookie(c, LOGIN_CHALLENGE_COOKIE, { path: LOGIN_CHALLENGE_PATH })
}
