import type { Kysely } from 'kysely'

// Browsers a staff member has signed in from (a random cookie, stored as its hash): failed
// sign-ins from elsewhere cannot lock such a browser out of its own account. Frozen in time:
// imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_devices')
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_devices_pk', ['token_hash', 'user_id'])
    .execute()
  await db.schema
    .createIndex('login_devices_last_used')
    .on('login_devices')
    .column('last_used_at')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_devices').execute()
}
