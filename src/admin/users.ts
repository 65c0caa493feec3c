import type { DB } from '../db/connection.js'
import { destroyUserSessions } from '../auth/sessions.js'
import { removeTwoFactor } from '../auth/twoFactor.js'
import type { Role } from '../domain/roles.js'
import { recordAdminChange, type AdminAudit } from './audit.js'

export interface UserRow {
  id: number
  email: string
  name: string
  role: Role
  active: number
  last_login_at: number | null
  two_factor: number
}

export async function listUsers(db: DB): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .leftJoin('two_factor', 'two_factor.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.active',
      'users.last_login_at',
    ])
    .select((eb) =>
      eb
        .case()
        .when(
          eb.and([
            eb('two_factor.secret', 'is not', null),
            eb('two_factor.enabled_at', 'is not', null),
          ]),
        )
        .then(1)
        .else(0)
        .end()
        .as('two_factor'),
    )
    .orderBy('users.active', 'desc')
    .orderBy('users.name')
    .orderBy('users.id')
    .execute()
}

export type UserChange = { ok: true } | { ok: false; problem: 'not_found' | 'last_admin' }

/**
 * Deactivating ends the user's sessions in the same transaction, so nothing they had open keeps
 * working. Refused when it would leave Ladder without an active administrator.
 */
export function setUserActive(
  db: DB,
  userId: number,
  active: boolean,
  audit: AdminAudit,
): Promise<UserChange> {
  return changeUser(db, userId, !active, async (trx, email) => {
    await trx
      .updateTable('users')
      .set({ active: active ? 1 : 0, updated_at: audit.at })
      .where('id', '=', userId)
      .execute()
    if (!active) await destroyUserSessions(trx, userId)
    await recordAdminChange(trx, audit, {
      action: active ? 'user_reactivated' : 'user_deactivated',
      subject: email,
    })
  })
}

/** Roles are read on every request, so a new role applies to live sessions at once. */
export function setUserRole(
  db: DB,
  userId: number,
  role: Role,
  audit: AdminAudit,
): Promise<UserChange> {
  return changeUser(db, userId, role !== 'admin', async (trx, email, from) => {
    if (from === role) return
    await trx
      .updateTable('users')
      .set({ role, updated_at: audit.at })
      .where('id', '=', userId)
      .execute()
    await recordAdminChange(trx, audit, {
      action: 'user_role',
      subject: email,
      detail: { from, to: role },
    })
  })
}

/**
 * For a user who lost their phone and their recovery codes: the second factor goes, their sessions
 * and half-done sign-ins end, and at the next sign-in with their password they set up a new one.
 */
export function resetUserTwoFactor(db: DB, userId: number, audit: AdminAudit): Promise<UserChange> {
  return changeUser(db, userId, false, async (trx, email) => {
    await removeTwoFactor(trx, userId)
    await destroyUserSessions(trx, userId)
    await recordAdminChange(trx, audit, { action: 'user_2fa_reset', subject: email })
  })
}

/** One transaction: the user must exist, and a change that takes away admin rights must leave one. */
async function changeUser(
  db: DB,
  userId: number,
  takesAwayAdmin: boolean,
  write: (trx: DB, email: string, role: Role) => Promise<void>,
): Promise<UserChange> {
  return db.transaction().execute(async (trx) => {
    const target = await trx
      .selectFrom('users')
      .select(['email', 'role', 'active'])
      .where('id', '=', userId)
      .executeTakeFirst()
    if (!target) return { ok: false, problem: 'not_found' } as const
    if (takesAwayAdmin && (await isLastActiveAdmin(trx, target)))
      return { ok: false, problem: 'last_admin' } as const
    await write(trx, target.email, target.role)
    return { ok: true } as const
  })
}

async function isLastActiveAdmin(db: DB, target: { role: Role; active: number }): Promise<boolean> {
  if (target.role !== 'admin' || target.active !== 1) return false
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.n) <= 1
}
