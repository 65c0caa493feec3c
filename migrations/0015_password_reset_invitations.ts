import { sql, type Kysely } from 'kysely'

// Password reset and invitations. Frozen in time: imports nothing from the app.
// Reset tokens are one_time_tokens rows (purpose 'password_reset', with the user); invitations
// get a table of their own, since an invitation has no user yet and keeps its history.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('one_time_tokens_user')
    .on('one_time_tokens')
    .columns(['user_id', 'purpose'])
    .execute()

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    // Only the SHA-256 of the emailed token; a re-send replaces it, so the older link stops working.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  // At most one open invitation per address: two admins inviting the same person at once get one.
  await db.schema
    .createIndex('invitations_open_email')
    .on('invitations')
    .column('email')
    .unique()
    .where(sql.ref('accepted_at'), 'is', null)
    .where(sql.ref('revoked_at'), 'is', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitations_open_email').ifExists().execute()
  await db.schema.dropTable('invitations').ifExists().execute()
  await db.schema.dropIndex('one_time_tokens_user').ifExists().execute()
}
