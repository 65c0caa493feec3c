import type { Kysely } from 'kysely'

// What administrators changed (accounts, roles, providers, the deadline preset and calendar, mail
// retries), written in the same transaction as the change itself. Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  await db.schema
    .createIndex('admin_changes_at')
    .on('admin_changes')
    .columns(['at', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admin_changes').execute()
}
