import type { DB } from '../db/connection.js'
import { hashSecret, newSecret } from '../secrets.js'
import { createUser, hasActiveAdmin, type NewUserInput, type CreateUserProblem } from './users.js'
import type { User } from '../db/schema.js'

export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000

/**
 * With no active admin, makes a fresh single-use setup token (older ones stop working) and
 * returns it for the log; null when an admin exists.
 */
export async function issueSetupTokenIfNeeded(db: DB, now: number): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    if (await hasActiveAdmin(trx)) return null
    await trx.deleteFrom('one_time_tokens').where('purpose', '=', 'setup').execute()
    const token = newSecret()
    await trx
      .insertInto('one_time_tokens')
      .values({
        purpose: 'setup',
        token_hash: hashSecret(token),
        user_id: null,
        created_at: now,
        expires_at: now + SETUP_TOKEN_TTL_MS,
        used_at: null,
      })
      .execute()
    return token
  })
}

export async function setupTokenValid(db: DB, token: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('one_time_tokens')
    .select(['expires_at', 'used_at'])
    .where('purpose', '=', 'setup')
    .where('token_hash', '=', hashSecret(token))
    .executeTakeFirst()
  return !!row && row.used_at === null && row.expires_at > now
}

export type SetupResult =
  { ok: true; user: User } | { ok: false; problem: CreateUserProblem | 'invalid_token' }

/** Spends the token and creates the first admin in one transaction. */
export async function completeSetup(
  db: DB,
  token: string,
  input: Omit<NewUserInput, 'role'>,
  now: number,
): Promise<SetupResult> {
  return db
    .transaction()
    .execute(async (trx) => {
      const spent = await trx
        .updateTable('one_time_tokens')
        .set({ used_at: now })
        .where('purpose', '=', 'setup')
        .where('token_hash', '=', hashSecret(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst()
      if (Number(spent.numUpdatedRows) !== 1 || (await hasActiveAdmin(trx))) {
        return { ok: false, problem: 'invalid_token' } as const
      }
      const created = await createUser(trx, { ...input, role: 'admin' }, now)
      if (!created.ok) throw new SetupRollback(created.problem)
      return created
    })
    .catch((err: unknown) => {
      if (err instanceof SetupRollback) return { ok: false, problem: err.problem } as const
      throw err
    })
}

// Thrown to roll the spent token back when the form itself was wrong, so it can be retried.
class SetupRollback extends Error {
  constructor(readonly problem: CreateUserProblem) {
    super(problem)
  }
}
