import { sql, type Kysely } from 'kysely'

// Related cases: the links agents make between two tickets (related, or one a duplicate of the
// other), and the indexes the ticket page's "related cases" reads use, so each stays an index
// read at a million tickets. The expressions here are repeated verbatim in
// src/tickets/related.ts: SQLite uses an expression index only for the same expression.
// Partial indexes leave out the tickets without the value, which are most of them for phone.
// Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_links')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // The ticket acted on; for 'duplicate_of' it is the duplicate of linked_id.
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('linked_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ticket_links_pair')
    .on('ticket_links')
    .columns(['ticket_id', 'linked_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('ticket_links_linked')
    .on('ticket_links')
    .columns(['linked_id', 'ticket_id'])
    .execute()

  await sql`create index tickets_email_lower on tickets (lower(complainant_email)) where complainant_email is not null`.execute(
    db,
  )
  await sql`create index tickets_phone_digits on tickets (replace(replace(replace(replace(replace(complainant_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')) where complainant_phone is not null`.execute(
    db,
  )
  await sql`create index tickets_provider_merchant on tickets (provider_id, lower(merchant), created_at) where merchant is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_provider_merchant').execute()
  await db.schema.dropIndex('tickets_phone_digits').execute()
  await db.schema.dropIndex('tickets_email_lower').execute()
  await db.schema.dropTable('ticket_links').execute()
}
