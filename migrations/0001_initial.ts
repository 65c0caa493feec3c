import { type Kysely, sql } from 'kysely'

// Frozen in time: this file imports nothing from the app. Timestamps are epoch milliseconds
// (UTC) in bigint-safe integers; money is integer minor units plus an ISO 4217 code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('providers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent','manager','admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('locale', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

  // Single-use secrets sent out of band: the first-run setup link, later password resets.
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('tracking_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'integer', (c) => c.references('providers.id'))
    .addColumn('provider_other', 'text')
    .addColumn('occurred_at', 'bigint')
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('transaction_ref', 'text')
    .addColumn('merchant', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('desired_outcome', 'text', (c) => c.notNull())
    .addColumn('self_help', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('complainant_name', 'text', (c) => c.notNull())
    .addColumn('complainant_email', 'text')
    .addColumn('complainant_phone', 'text')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('consent_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id'))
    // The earliest running clock; null while paused or when the level has no clock.
    .addColumn('due_at', 'bigint')
    .addColumn('paused_at', 'bigint')
    .addColumn('reminder_at', 'bigint')
    .addColumn('complex', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disputed_at', 'bigint')
    .addColumn('proposed_at', 'bigint')
    .addColumn('relief', 'text')
    .addColumn('amount_recovered_minor', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('duplicate_of_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('closed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  // Queue indexes end in the sort key and id so keyset pagination reads them in order.
  const queueIndexes: [string, string[]][] = [
    ['tickets_status_due', ['status', 'due_at', 'id']],
    ['tickets_level_due', ['level', 'due_at', 'id']],
    ['tickets_category_due', ['category', 'due_at', 'id']],
    ['tickets_provider_due', ['provider_id', 'due_at', 'id']],
    ['tickets_assignee_due', ['assignee_id', 'due_at', 'id']],
    ['tickets_due', ['due_at', 'id']],
    ['tickets_created', ['created_at', 'id']],
    ['tickets_amount', ['amount_minor', 'id']],
    ['tickets_transaction_ref', ['transaction_ref']],
    ['tickets_email', ['complainant_email']],
  ]
  for (const [name, columns] of queueIndexes) {
    await db.schema.createIndex(name).on('tickets').columns(columns).execute()
  }

  await db.schema
    .createTable('ladder_stages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .addColumn('accepted_at', 'bigint')
    .addColumn('first_response_at', 'bigint')
    .addColumn('answered_at', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('external_ref', 'text')
    .addColumn('outcome', 'text')
    .addColumn('answer', 'text')
    .addColumn('escalation_reason', 'text')
    .addColumn('entered_by', 'integer', (c) => c.references('users.id'))
    .execute()
  await db.schema
    .createIndex('ladder_stages_ticket')
    .on('ladder_stages')
    .columns(['ticket_id', 'entered_at'])
    .execute()
  await db.schema
    .createIndex('ladder_stages_level_entered')
    .on('ladder_stages')
    .columns(['level', 'entered_at'])
    .execute()

  // Pauses of the deadline clock (waiting on the complainant), so due dates can be recomputed.
  await db.schema
    .createTable('clock_pauses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('stage_id', 'integer', (c) => c.notNull().references('ladder_stages.id'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute()
  await db.schema.createIndex('clock_pauses_stage').on('clock_pauses').column('stage_id').execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) =>
      c.notNull().check(sql`visibility in ('public','internal')`),
    )
    .addColumn('actor_type', 'text', (c) =>
      c.notNull().check(sql`actor_type in ('complainant','staff','system')`),
    )
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('body', 'text')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_ticket').on('events').columns(['ticket_id', 'id']).execute()
  await db.schema
    .createIndex('events_type_created')
    .on('events')
    .columns(['type', 'created_at'])
    .execute()

  await db.schema
    .createTable('evidence')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by_type', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('evidence_ticket')
    .on('evidence')
    .columns(['ticket_id', 'id'])
    .execute()
  await db.schema.createIndex('evidence_sha256').on('evidence').column('sha256').execute()

  await db.schema
    .createTable('contact_attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('contacted_at', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text')
    .addColumn('recorded_by_type', 'text', (c) => c.notNull())
    .addColumn('recorded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('contact_attempts_ticket')
    .on('contact_attempts')
    .columns(['ticket_id', 'contacted_at'])
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','sent','failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute()

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('response_status', 'integer')
    .addColumn('response_location', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('idempotency_keys_expires')
    .on('idempotency_keys')
    .column('expires_at')
    .execute()

  // Fixed-window counters for sign-in, lost-link and filing limits, shared by all processes.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute()

  // Named counters kept in the same transaction as the change: case numbers, sidebar counts.
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  // Working-day calendar: public holidays and make-up working days (调休), per calendar.
  await db.schema
    .createTable('calendar_days')
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday','workday')`))
    .addColumn('name', 'text')
    .addPrimaryKeyConstraint('calendar_days_pk', ['calendar', 'date'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'calendar_days',
    'settings',
    'counters',
    'rate_limits',
    'idempotency_keys',
    'outbox',
    'contact_attempts',
    'evidence',
    'events',
    'clock_pauses',
    'ladder_stages',
    'tickets',
    'one_time_tokens',
    'sessions',
    'users',
    'providers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
