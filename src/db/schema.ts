import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

import type { ReportDurationsTable, ReportRollupTable, ReportStagesTable } from './reportTables.js'
import type {
  PresenceTable,
  SavedViewsTable,
  TicketInboundTable,
  TicketReadsTable,
  TicketTagsTable,
  TagCountsTable,
  MacrosTable,
} from './workspaceTables.js'
export type { ReportDurationsTable, ReportRollupTable, ReportStagesTable }

// The one description of the database. Nullable columns are `T | null`; ids and defaults that
// the database fills in are Generated<>.

export interface ProvidersTable {
  id: Generated<number>
  slug: string
  name_zh: string
  name_en: string
  active: Generated<number>
  sort_order: Generated<number>
  created_at: number
}

export interface UsersTable {
  id: Generated<number>
  email: string
  name: string
  role: 'agent' | 'manager' | 'admin'
  password_hash: string
  active: Generated<number>
  locale: string | null
  created_at: number
  updated_at: number
  last_login_at: number | null
}

export interface SessionsTable {
  id_hash: string
  user_id: number
  created_at: number
  last_seen_at: number
  expires_at: number
  ip: string | null
  user_agent: string | null
}

/** A browser a user signed in from (migration 0013, src/auth/devices.ts). */
export interface LoginDevicesTable {
  token_hash: string
  user_id: number
  created_at: number
  last_used_at: number
}

export interface OneTimeTokensTable {
  id: Generated<number>
  purpose: string
  token_hash: string
  user_id: number | null
  created_at: number
  expires_at: number
  used_at: number | null
}

export interface InvitationsTable {
  id: Generated<number>
  email: string
  name: string
  role: 'agent' | 'manager' | 'admin'
  locale: string
  token_hash: string
  invited_by: number | null
  created_at: number
  sent_at: number
  expires_at: number
  accepted_at: number | null
  accepted_user_id: number | null
  revoked_at: number | null
  revoked_by: number | null
}

/** A staff user's TOTP second factor (migration 0016); secrets are encrypted (src/auth/secretBox.ts). */
export interface TwoFactorTable {
  user_id: number
  secret: string | null
  enabled_at: number | null
  last_step: number | null
  pending_secret: string | null
  pending_at: number | null
  updated_at: number
}

/** Single-use recovery codes; only their SHA-256 is stored. */
export interface RecoveryCodesTable {
  id: Generated<number>
  user_id: number
  code_hash: string
  created_at: number
  used_at: number | null
}

/** A sign-in between the right password and the second factor; never a session. */
export interface LoginChallengesTable {
  id_hash: string
  user_id: number
  purpose: 'verify' | 'enrol'
  next: string
  created_at: number
  expires_at: number
}

export interface TicketsTable {
  id: Generated<number>
  case_number: string
  tracking_token_hash: string
  category: string
  provider_id: number | null
  provider_other: string | null
  occurred_at: number | null
  amount_minor: number | null
  currency: Generated<string>
  transaction_ref: string | null
  merchant: string | null
  description: string
  desired_outcome: string
  /** JSON array of self-help item keys the complainant ticked. */
  self_help: Generated<string>
  complainant_name: string
  complainant_email: string | null
  complainant_phone: string | null
  locale: Generated<string>
  consent_at: number
  status: string
  level: string
  priority: Generated<string>
  assignee_id: number | null
  due_at: number | null
  paused_at: number | null
  reminder_at: number | null
  complex: Generated<number>
  disputed_at: number | null
  proposed_at: number | null
  relief: string | null
  amount_recovered_minor: number | null
  outcome: string | null
  duplicate_of_id: number | null
  closed_at: number | null
  version: Generated<number>
  created_at: number
  updated_at: number
}

export interface LadderStagesTable {
  id: Generated<number>
  ticket_id: number
  level: string
  entered_at: number
  left_at: number | null
  accepted_at: number | null
  first_response_at: number | null
  answered_at: number | null
  due_at: number | null
  paused_ms: Generated<number>
  external_ref: string | null
  outcome: string | null
  answer: string | null
  escalation_reason: string | null
  entered_by: number | null
}

export interface ClockPausesTable {
  id: Generated<number>
  ticket_id: number
  stage_id: number
  started_at: number
  ended_at: number | null
}

export interface EventsTable {
  id: Generated<number>
  ticket_id: number
  type: string
  visibility: 'public' | 'internal'
  actor_type: 'complainant' | 'staff' | 'system'
  actor_user_id: number | null
  body: string | null
  /** JSON object: the before/after and whatever the action carried. */
  payload: Generated<string>
  created_at: number
}

export interface EvidenceTable {
  id: Generated<number>
  ticket_id: number
  event_id: number | null
  sha256: string
  size: number
  mime: string
  original_name: string
  sensitive: Generated<number>
  uploaded_by_type: 'complainant' | 'staff' | 'system'
  uploaded_by_user_id: number | null
  created_at: number
}

export interface ContactAttemptsTable {
  id: Generated<number>
  ticket_id: number
  contacted_at: number
  channel: string
  summary: string
  external_ref: string | null
  recorded_by_type: 'complainant' | 'staff' | 'system'
  recorded_by_user_id: number | null
  created_at: number
}

export interface OutboxTable {
  id: Generated<number>
  kind: string
  ticket_id: number | null
  event_id: number | null
  to_address: string
  locale: string
  subject: string
  text_body: string
  html_body: string | null
  status: Generated<'pending' | 'sent' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: number
  lease_owner: string | null
  lease_until: number | null
  last_error: string | null
  created_at: number
  sent_at: number | null
}

/** A link to a case carried by one notification email; only its SHA-256 is stored. */
export interface AccessLinksTable {
  token_hash: string
  ticket_id: number
  created_at: number
  expires_at: number
}

/** The agents' daily digest was queued for this user on this local day (YYYY-MM-DD). */
export interface DigestRunsTable {
  user_id: number
  day: string
  outbox_id: number | null
  created_at: number
}

export interface AdminChangesTable {
  id: Generated<number>
  at: number
  actor_user_id: number | null
  action: string
  subject: string
  detail: Generated<string>
}

export interface IdempotencyKeysTable {
  key: string
  scope: string
  ticket_id: number | null
  response_status: number | null
  response_location: string | null
  created_at: number
  expires_at: number
}

export interface RateLimitsTable {
  key: string
  window_start: number
  count: number
}

export interface CountersTable {
  name: string
  value: Generated<number>
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: number
}

export interface CalendarDaysTable {
  calendar: string
  date: string
  kind: 'holiday' | 'workday'
  name: string | null
}

export interface Database {
  providers: ProvidersTable
  users: UsersTable
  sessions: SessionsTable
  login_devices: LoginDevicesTable
  one_time_tokens: OneTimeTokensTable
  invitations: InvitationsTable
  two_factor: TwoFactorTable
  recovery_codes: RecoveryCodesTable
  login_challenges: LoginChallengesTable
  tickets: TicketsTable
  ladder_stages: LadderStagesTable
  clock_pauses: ClockPausesTable
  events: EventsTable
  evidence: EvidenceTable
  contact_attempts: ContactAttemptsTable
  outbox: OutboxTable
  access_links: AccessLinksTable
  digest_runs: DigestRunsTable
  idempotency_keys: IdempotencyKeysTable
  admin_changes: AdminChangesTable
  ticket_tags: TicketTagsTable
  tag_counts: TagCountsTable
  macros: MacrosTable
  rate_limits: RateLimitsTable
  presence: PresenceTable
  saved_views: SavedViewsTable
  ticket_inbound: TicketInboundTable
  ticket_reads: TicketReadsTable
  counters: CountersTable
  settings: SettingsTable
  calendar_days: CalendarDaysTable
  report_stages: ReportStagesTable
  report_durations: ReportDurationsTable
  report_cohort: ReportRollupTable
  report_escalations: ReportRollupTable
  report_closed: ReportRollupTable
  report_open: ReportRollupTable
  report_hist: ReportRollupTable
}

/**
 * Tables whose rows no cached read shows (src/db/readCache.ts). Writes to them leave the data
 * version (src/db/dataVersion.ts) where it is: otherwise every rate-limit window, queued mail or
 * idempotency key or presence heartbeat would throw a busy office's cached pages away. So a cached read must never read
 * one of these, and none of them may have a trigger or a cascading foreign key that changes
 * another table (test/db/dataVersion.test.ts checks the migrated schema). Sessions are not here:
 * the signed-in user of a session is cached, and a sign-out must end it at once.
 */
export const CACHE_IGNORED_TABLES = [
  'one_time_tokens',
  'outbox',
  'access_links',
  'digest_runs',
  'idempotency_keys',
  'rate_limits',
  'presence',
  'ticket_reads',
] as const satisfies readonly (keyof Database)[]

export type Ticket = Selectable<TicketsTable>
export type NewTicket = Insertable<TicketsTable>
export type TicketUpdate = Updateable<TicketsTable>
export type User = Selectable<UsersTable>
export type Provider = Selectable<ProvidersTable>
export type LadderStage = Selectable<LadderStagesTable>
export type Event = Selectable<EventsTable>
export type Evidence = Selectable<EvidenceTable>
export type ContactAttempt = Selectable<ContactAttemptsTable>
