import type { Kysely } from 'kysely'

// The events-by-type index of 0001 served no query of the app's: timelines, the rollups' upkeep
// and the reports read a ticket's events through events_ticket, and the reports' full rebuild,
// the one statement that picked it, ran twice as fast without it (its proposals by type then
// looked up each event's ticket in the table: 10.5 s against 5.2 s warm at 1M tickets, 37 s
// cold). Every event written updated it: 9.3M entries, 253 MB at 1M tickets.
// Frozen in time: imports nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_type_created').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_type_created')
    .ifNotExists()
    .on('events')
    .columns(['type', 'created_at'])
    .execute()
}
