import { type Kysely } from 'kysely'

// Who has a ticket open, and who is writing a reply on it: one row per staff member and ticket,
// refreshed by the page's heartbeat and read as present only while fresh. Kept in the database
// so that several server processes on one file see each other's agents. No foreign keys: a stale
// row is harmless and is swept by the next heartbeat on the same ticket. Frozen in time: imports
// nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('presence')
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    // The last keystroke in the reply form; null when the agent has not typed.
    .addColumn('typing_at', 'bigint')
    .addPrimaryKeyConstraint('presence_pk', ['ticket_id', 'user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('presence').execute()
}
