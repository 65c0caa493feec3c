import type { DB } from '../db/connection.js'
import type { User } from '../db/schema.js'
import type { Role } from '../domain/roles.js'
import { hashPassword, passwordProblem, type PasswordProblem } from './password.js'

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export type CreateUserProblem = PasswordProblem | 'email_taken'

export interface NewUserInput {
  email: string
  name: string
  role: Role
  password: string
}

export async function findUserByEmail(db: DB, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst()
}

/** Creates a staff user; inside a transaction when the caller passes one. */
export async function createUser(
  db: DB,
  input: NewUserInput,
  now: number,
  /** Written in the same transaction as the new user (an administrator's record of adding them). */
  alsoWrite?: (trx: DB, user: User) => Promise<void>,
): Promise<{ ok: true; user: User } | { ok: false; problem: CreateUserProblem }> {
  const problem = passwordProblem(input.password, { email: input.email, name: input.name })
  if (problem) return { ok: false, problem }
  const email = normalizeEmail(input.email)
  if (await findUserByEmail(db, email)) return { ok: false, problem: 'email_taken' }
  // Hashed before the transaction: scrypt takes tens of milliseconds and needs no lock.
  const passwordHash = await hashPassword(input.password)
  const insert = async (trx: DB) => {
    const user = await trx
      .insertInto('users')
      .values({
        email,
        name: input.name.trim(),
        role: input.role,
        password_hash: passwordHash,
        active: 1,
        locale: null,
        created_at: now,
        updated_at: now,
        last_login_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (alsoWrite) await alsoWrite(trx, user)
    return user
  }
  try {
    return { ok: true, user: alsoWrite ? await db.transaction().execute(insert) : await insert(db) }
  } catch (err) {
    // Two requests for the same email at once: the unique index decides.
    if (isUniqueViolation(err)) return { ok: false, problem: 'email_taken' }
    throw err
  }
}

export async function hasActiveAdmin(db: DB): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirst()
  return row !== undefined
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'
}
