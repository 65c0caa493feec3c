import type { Kysely } from 'kysely'

// Tags on tickets (written by the change module with the ticket's change), a count per tag kept
// in the same transaction so the queue's tag list is a small read, and the admins' macros.
// Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute()
  // The queue's tag filter: the ids of one tag, read in order from this index alone.
  await db.schema
    .createIndex('ticket_tags_tag')
    .on('ticket_tags')
    .columns(['tag', 'ticket_id'])
    .execute()

  await db.schema
    .createTable('tag_counts')
    .addColumn('tag', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('tag_counts_n').on('tag_counts').columns(['n', 'tag']).execute()

  await db.schema
    .createTable('macros')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // JSON: { reply, status, outcome, priority, tag }, each optional.
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('macros').execute()
  await db.schema.dropTable('tag_counts').execute()
  await db.schema.dropTable('ticket_tags').execute()
}
