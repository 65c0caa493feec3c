import { type Kysely, sql } from 'kysely'

// Indexes for the managers' reports. Each report aggregates the tickets received in a date
// range; a covering index over (created_at, …the grouped columns) lets SQLite count them from
// the index alone instead of visiting every ticket row. Frozen in time: imports nothing.

const NOT_OPEN = `status not in ('resolved','closed','withdrawn')`

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('tickets_report_created')
    .on('tickets')
    .columns(['created_at', 'provider_id', 'category', 'assignee_id', 'level', 'status', 'outcome'])
    .execute()
  // Workload: tickets closed within the period, per assignee.
  await db.schema
    .createIndex('tickets_report_closed')
    .on('tickets')
    .columns(['closed_at', 'assignee_id', 'status'])
    .execute()
  // Backlog ageing and overdue-now over open tickets only (the same predicate as migration 0004).
  await sql`create index tickets_report_open on tickets (level, created_at, due_at, provider_id, category, assignee_id) where ${sql.raw(NOT_OPEN)}`.execute(
    db,
  )
  // Timeliness reads these columns of every stage of the cohort's tickets.
  await db.schema
    .createIndex('ladder_stages_report')
    .on('ladder_stages')
    .columns([
      'ticket_id',
      'level',
      'entered_at',
      'left_at',
      'due_at',
      'answered_at',
      'first_response_at',
      'escalation_reason',
    ])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'ladder_stages_report',
    'tickets_report_open',
    'tickets_report_closed',
    'tickets_report_created',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute()
  }
}
