// Password reset by email: a single-use link, stored only hashed, valid for 30 minutes. Asking
// for one does the same work whatever the address: one email through the outbox, a link for an
// active account and a plain notice otherwise, so neither the answer nor its time says which.
import type { DB } from '../db/connection.js'
import { isLocale, type Locale } from '../i18n/locale.js'
import {
  passwordChangedMail,
  passwordResetMail,
  passwordResetUnknownMail,
} from '../mail/accountMail.js'
import { enqueueMail } from '../mail/outbox.js'
import { hashPassword } from './password.js'
import { passwordProblem, type PasswordProblem } from './passwordPolicy.js'
import { destroyUserSessions } from './sessions.js'
import { hashSecret, newSecret } from '../secrets.js'
import { findUserByEmail, normalizeEmail } from './users.js'

export const RESET_PURPOSE = 'password_reset'
export const RESET_TOKEN_TTL_MS = 30 * 60_000
// Asking counts against both, for any address, so the limits tell nothing about accounts. Earlier
// links stay valid until one is used, so a stranger who keeps the per-address count full only
// sends the owner more working links.
export const RESET_WINDOW_MS = 60 * 60_000
export const RESET_REQUESTS_PER_EMAIL = 3
export const RESET_REQUESTS_PER_IP = 10

export const resetPath = (token: string) => `/password/reset?token=${encodeURIComponent(token)}`

/** Queues the right email for `email` in one transaction; tells the caller nothing. */
export async function requestPasswordReset(
  db: DB,
  req: { email: string; locale: Locale; now: number; baseUrl: string },
): Promise<void> {
  const email = normalizeEmail(req.email)
  // Drawn for every request, so both paths cost the same.
  const token = newSecret()
  const tokenHash = hashSecret(token)
  await db.transaction().execute(async (trx) => {
    const user = await findUserByEmail(trx, email)
    const locale = user && isLocale(user.locale) ? user.locale : req.locale
    const expiresAt = req.now + RESET_TOKEN_TTL_MS
    let mail
    if (user && user.active === 1) {
      await trx
        .insertInto('one_time_tokens')
        .values({
          purpose: RESET_PURPOSE,
          token_hash: tokenHash,
          user_id: user.id,
          created_at: req.now,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute()
      mail = passwordResetMail(locale, {
        name: user.name,
        email: user.email,
        url: req.baseUrl + resetPath(token),
        expiresAt,
      })
    } else {
      mail = passwordResetUnknownMail(locale, { email })
    }
    await enqueueMail(
      trx,
      {
        kind: user?.active === 1 ? 'password_reset' : 'password_reset_unknown',
        to: email,
        locale,
        ...mail,
        ticketId: null,
        eventId: null,
      },
      req.now,
    )
  })
}

export interface ResetTarget {
  userId: number
  email: string
  name: string
}

/** The account a reset link opens, while it is unused, unexpired and the account active. */
export async function resetTarget(db: DB, token: string, now: number): Promise<ResetTarget | null> {
  const row = await db
    .selectFrom('one_time_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.email', 'u.name'])
    .where('t.purpose', '=', RESET_PURPOSE)
    .where('t.token_hash', '=', hashSecret(token))
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', now)
    .where('u.active', '=', 1)
    .executeTakeFirst()
  return row ? { userId: row.id, email: row.email, name: row.name } : null
}

export type ResetResult =
  { ok: true; user: ResetTarget } | { ok: false; problem: PasswordProblem | 'invalid_token' }

/**
 * Sets the new password, spends this link and every other one of the account, ends all its
 * sessions and tells the owner by email: one transaction.
 */
export async function completePasswordReset(
  db: DB,
  req: { token: string; password: string; locale: Locale; now: number },
): Promise<ResetResult> {
  const { token, password, now } = req
  const target = await resetTarget(db, token, now)
  if (!target) return { ok: false, problem: 'invalid_token' }
  const problem = passwordProblem(password, target)
  if (problem) return { ok: false, problem }
  // Hashed before the transaction: scrypt takes tens of milliseconds and needs no lock.
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    // Spent only if still unspent, so two submissions of one link cannot both succeed.
    const spent = await trx
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('purpose', '=', RESET_PURPOSE)
      .where('token_hash', '=', hashSecret(token))
      .where('user_id', '=', target.userId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    const user = await trx
      .selectFrom('users')
      .select(['active', 'locale'])
      .where('id', '=', target.userId)
      .executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1 || user?.active !== 1)
      return { ok: false, problem: 'invalid_token' } as const
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', target.userId)
      .execute()
    await trx
      .deleteFrom('one_time_tokens')
      .where('purpose', '=', RESET_PURPOSE)
      .where('user_id', '=', target.userId)
      .where('token_hash', '!=', hashSecret(token))
      .execute()
    await destroyUserSessions(trx, target.userId)
    const locale = isLocale(user.locale) ? user.locale : req.locale
    const mail = passwordChangedMail(locale, { name: target.name, email: target.email, at: now })
    await enqueueMail(
      trx,
      {
        kind: 'password_changed',
        to: target.email,
        locale,
        ...mail,
        ticketId: null,
        eventId: null,
      },
      now,
    )
    return { ok: true, user: target } as const
  })
}

/** Spent and expired links are of no further use; housekeeping drops them. */
export async function pruneResetTokens(db: DB, now: number): Promise<number> {
  const r = await db
    .deleteFrom('one_time_tokens')
    .where('purpose', '=', RESET_PURPOSE)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
