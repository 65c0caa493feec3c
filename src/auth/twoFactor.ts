// A staff user's second factor in the database: the TOTP secret (sealed, src/auth/secretBox.ts),
// the last time step accepted (a code is good once) and the single-use recovery codes (hashed).
import { randomInt } from 'node:crypto'
import type { DB } from '../db/connection.js'
import { open, seal } from './secretBox.js'
import { hashSecret } from '../secrets.js'
import { looksLikeTotpCode, matchingStep, newTotpSecret } from './totp.js'

export const RECOVERY_CODE_COUNT = 10
const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'
const RECOVERY_LENGTH = 12
// A secret shown in a QR code stays the same for this long, so reloading the page or a slow
// phone camera does not change it under the user.
export const PENDING_SECRET_MS = 30 * 60_000

export interface TwoFactorStatus {
  enabled: boolean
  enabledAt: number | null
  recoveryLeft: number
}

export async function twoFactorStatus(db: DB, userId: number): Promise<TwoFactorStatus> {
  const row = await db
    .selectFrom('two_factor')
    .select(['enabled_at', 'secret'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  const left = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  const enabled = !!row?.secret && row.enabled_at !== null
  return { enabled, enabledAt: enabled ? row!.enabled_at : null, recoveryLeft: Number(left.n) }
}

export async function hasTwoFactor(db: DB, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('two_factor')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('secret', 'is not', null)
    .where('enabled_at', 'is not', null)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * The secret to show for setting up an app: the one shown a moment ago if it is still fresh,
 * else a new one. A confirmed secret stays in force until the new one is confirmed.
 */
export async function pendingSecret(
  db: DB,
  key: Buffer,
  userId: number,
  now: number,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('two_factor')
      .select(['pending_secret', 'pending_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (
      row?.pending_secret &&
      row.pending_at !== null &&
      row.pending_at + PENDING_SECRET_MS > now
    ) {
      const kept = open(key, userId, row.pending_secret)
      if (kept) return kept
    }
    const secret = newTotpSecret()
    const sealed = seal(key, userId, secret)
    await trx
      .insertInto('two_factor')
      .values({ user_id: userId, pending_secret: sealed, pending_at: now, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ pending_secret: sealed, pending_at: now, updated_at: now }),
      )
      .execute()
    return secret
  })
}

export type CodeCheck =
  { ok: true; via: 'totp' | 'recovery' } | { ok: false; problem: 'wrong' | 'used' | 'unreadable' }

/**
 * Spends `input` as this user's second factor: a current TOTP code whose time step is newer than
 * the last one accepted, or an unused recovery code. Each check-and-spend is one conditional
 * write, so two requests with the same code cannot both pass.
 */
export async function spendSecondFactor(
  db: DB,
  key: Buffer,
  userId: number,
  input: string,
  now: number,
): Promise<CodeCheck> {
  const row = await db
    .selectFrom('two_factor')
    .select(['secret', 'enabled_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row?.secret || row.enabled_at === null) return { ok: false, problem: 'wrong' }
  if (!looksLikeTotpCode(input)) return spendRecoveryCode(db, userId, input, now)
  const secret = open(key, userId, row.secret)
  if (secret === null) return { ok: false, problem: 'unreadable' }
  const step = matchingStep(secret, input, now)
  if (step === null) return { ok: false, problem: 'wrong' }
  return (await claimStep(db, userId, step, now))
    ? { ok: true, via: 'totp' }
    : { ok: false, problem: 'used' }
}

async function claimStep(db: DB, userId: number, step: number, now: number): Promise<boolean> {
  const claimed = await db
    .updateTable('two_factor')
    .set({ last_step: step, updated_at: now })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1
}

async function spendRecoveryCode(
  db: DB,
  userId: number,
  input: string,
  now: number,
): Promise<CodeCheck> {
  const code = normalizeRecoveryCode(input)
  if (code.length !== RECOVERY_LENGTH) return { ok: false, problem: 'wrong' }
  const hash = hashSecret(code)
  const spent = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  if (Number(spent.numUpdatedRows) === 1) return { ok: true, via: 'recovery' }
  const known = await db
    .selectFrom('recovery_codes')
    .select('id')
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .executeTakeFirst()
  return { ok: false, problem: known ? 'used' : 'wrong' }
}

export type Confirmation =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; problem: 'wrong' | 'expired' | 'current_wrong' | 'current_used' | 'unreadable' }

/**
 * Switches the shown secret on once the user proves their app has it with a current code, and
 * hands out new recovery codes (the old ones stop working). Replacing a secret that is already
 * on also needs a code from the old one (or a recovery code), so a stolen session alone cannot
 * move someone's second factor to another phone.
 */
export async function confirmSecret(
  db: DB,
  key: Buffer,
  userId: number,
  input: { code: string; currentCode?: string },
  now: number,
): Promise<Confirmation> {
  const row = await db
    .selectFrom('two_factor')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (
    !row?.pending_secret ||
    row.pending_at === null ||
    row.pending_at + PENDING_SECRET_MS <= now
  ) {
    return { ok: false, problem: 'expired' }
  }
  const secret = open(key, userId, row.pending_secret)
  if (secret === null) return { ok: false, problem: 'unreadable' }
  const step = matchingStep(secret, input.code, now)
  if (step === null) return { ok: false, problem: 'wrong' }
  if (row.secret && row.enabled_at !== null) {
    const current = await spendSecondFactor(db, key, userId, input.currentCode ?? '', now)
    if (!current.ok)
      return { ok: false, problem: current.problem === 'used' ? 'current_used' : 'current_wrong' }
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const done = await db.transaction().execute(async (trx) => {
    // Only the secret that was checked is switched on: a newer one shown meanwhile is not.
    const switched = await trx
      .updateTable('two_factor')
      .set((eb) => ({
        secret: row.pending_secret,
        enabled_at: now,
        last_step: eb.fn('max', [eb.fn.coalesce('last_step', eb.val(step)), eb.val(step)]),
        pending_secret: null,
        pending_at: null,
        updated_at: now,
      }))
      .where('user_id', '=', userId)
      .where('pending_secret', '=', row.pending_secret)
      .executeTakeFirst()
    if (Number(switched.numUpdatedRows) !== 1) return false
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
    await trx
      .insertInto('recovery_codes')
      .values(
        codes.map((c) => ({
          user_id: userId,
          code_hash: hashSecret(normalizeRecoveryCode(c)),
          created_at: now,
          used_at: null,
        })),
      )
      .execute()
    return true
  })
  return done ? { ok: true, recoveryCodes: codes } : { ok: false, problem: 'expired' }
}

/** Takes the second factor away entirely (an administrator's reset): the user enrols again. */
export async function removeTwoFactor(trx: DB, userId: number): Promise<boolean> {
  const removed = await trx
    .deleteFrom('two_factor')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute()
  return Number(removed.numDeletedRows) > 0
}

/** Twelve characters without look-alikes (no 0/o, 1/l/i), shown as three groups of four. */
function newRecoveryCode(): string {
  let code = ''
  for (let i = 0; i < RECOVERY_LENGTH; i++)
    code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return code.replace(/(.{4})(?!$)/g, '$1-')
}

function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '')
}
