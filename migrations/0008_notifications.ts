import type { Kysely } from 'kysely'

// Notifications: per-email access links to a case, and the once-a-day guard of the agents'
// digest. Frozen in time: imports nothing from the app.

export async function up(db: Kysely<any>): Promise<void> {
  // The complainant's tracking token is stored only hashed, so an email cannot repeat it; each
  // notification email carries its own link instead, also stored only as its SHA-256.
  await db.schema
    .createTable('access_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('access_links_ticket')
    .on('access_links')
    .column('ticket_id')
    .execute()
  await db.schema
    .createIndex('access_links_expires')
    .on('access_links')
    .column('expires_at')
    .execute()

  // One row per agent per local day: a second process or a restart finds it and sends nothing.
  await db.schema
    .createTable('digest_runs')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_runs_pk', ['user_id', 'day'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_runs').ifExists().execute()
  await db.schema.dropIndex('access_links_expires').ifExists().execute()
  await db.schema.dropIndex('access_links_ticket').ifExists().execute()
  await db.schema.dropTable('access_links').ifExists().execute()
}
