import { type Kysely, sql } from 'kysely'

// Every ticket write updates every index on tickets (there were 37), and at a million tickets
// that is most of the cost of filing and of each action. The plain due-date indexes of 0001 and
// 0004 and the plain amount index were superseded by 0004's COALESCE sort keys, which the queue,
// its overdue and due-today counts and the daily digest now use; these eight are dropped.
// Frozen in time: imports nothing.

const NOT_OPEN = `status not in ('resolved','closed','withdrawn')`

const WHOLE_TABLE: [string, string[]][] = [
  ['tickets_status_due', ['status', 'due_at', 'id']],
  ['tickets_level_due', ['level', 'due_at', 'id']],
  ['tickets_category_due', ['category', 'due_at', 'id']],
  ['tickets_provider_due', ['provider_id', 'due_at', 'id']],
  ['tickets_assignee_due', ['assignee_id', 'due_at', 'id']],
  ['tickets_due', ['due_at', 'id']],
  ['tickets_amount', ['amount_minor', 'id']],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name] of WHOLE_TABLE) await db.schema.dropIndex(name).ifExists().execute()
  await db.schema.dropIndex('tickets_open_due').ifExists().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of WHOLE_TABLE)
    await db.schema.createIndex(name).ifNotExists().on('tickets').columns(columns).execute()
  await sql`create index if not exists tickets_open_due on tickets (due_at, id) where ${sql.raw(NOT_OPEN)}`.execute(
    db,
  )
}
