import { sql, type Kysely } from 'kysely'

// Saved queue views and the queue's unread marker (issue 21).
// - saved_views: a named queue query (filters, sort, hidden columns as the queue's canonical query
//   string), personal (shared = 0, seen by its owner) or shared with everyone (shared = 1, made
//   by a manager). Names are unique per owner among personal views and unique among shared ones.
// - ticket_inbound: when the complainant or an outside body last wrote on a ticket, and when its
//   assignee last opened it since (read_at), kept by a listener in the change's transaction.
// - ticket_reads: each staff member's last opening of each ticket page (one upsert per page view;
//   a table the read caches ignore, like presence). No foreign keys: a stale row is harmless.
// Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await sql`create unique index saved_views_owner_name on saved_views (owner_id, name) where shared = 0`.execute(
    db,
  )
  await sql`create unique index saved_views_shared_name on saved_views (name) where shared = 1`.execute(
    db,
  )

  await db.schema
    .createTable('ticket_inbound')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey())
    .addColumn('inbound_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute()

  await db.schema
    .createTable('ticket_reads')
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_reads_pk', ['ticket_id', 'user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_reads').execute()
  await db.schema.dropTable('ticket_inbound').execute()
  await db.schema.dropTable('saved_views').execute()
}
