import { sql, type Kysely } from 'kysely'

// Two-factor sign-in for staff: one TOTP secret per user (encrypted, see src/auth/secretBox.ts),
// their single-use recovery codes (hashed), and the half-done sign-ins between the password and
// the second factor. Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    // The confirmed secret; null until the user has confirmed one with a code.
    .addColumn('secret', 'text')
    .addColumn('enabled_at', 'bigint')
    // The newest 30-second step whose code was accepted: no code of it or before is taken again.
    .addColumn('last_step', 'bigint')
    // A secret shown in a QR code and not yet confirmed; the confirmed one stays in force meanwhile.
    .addColumn('pending_secret', 'text')
    .addColumn('pending_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('recovery_codes_user')
    .on('recovery_codes')
    .columns(['user_id', 'code_hash'])
    .unique()
    .execute()

  await db.schema
    .createTable('login_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // 'verify': asks for a code; 'enrol': the user must first set up a second factor.
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('next', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('login_challenges_user')
    .on('login_challenges')
    .column('user_id')
    .execute()

  // Sessions opened with a password alone end here: from now on a session exists only after the
  // second factor, so everyone signs in again once.
  await sql`delete from sessions`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_challenges').execute()
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.dropTable('two_factor').execute()
}
