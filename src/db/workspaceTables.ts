// The agent workspace's tables (migrations 0018-0021): tags, macros, presence, saved views and
// the unread marker. Part of db/schema.ts, which lists them in Database.
import type { Generated } from 'kysely'

/** Who has a ticket open (migration 0020): heartbeats that count only while fresh (src/tickets/presence.ts). */
export interface PresenceTable {
  ticket_id: number
  user_id: number
  seen_at: number
  typing_at: number | null
}

/** A named queue query (migration 0021): personal, or shared with everyone by a manager. */
export interface SavedViewsTable {
  id: Generated<number>
  owner_id: number
  name: string
  /** The queue's canonical query string (src/tickets/queue.ts filtersQuery). */
  query: string
  shared: Generated<number>
  created_at: number
  updated_at: number
}

/** When the complainant or an outside body last wrote, and the assignee's opening since (migration 0021). */
export interface TicketInboundTable {
  ticket_id: number
  inbound_at: number
  read_at: number | null
}

/** Each staff member's last opening of each ticket page (migration 0021). */
export interface TicketReadsTable {
  ticket_id: number
  user_id: number
  read_at: number
}

export interface TicketTagsTable {
  ticket_id: number
  tag: string
  created_at: number
}

export interface TagCountsTable {
  tag: string
  n: number
}

export interface MacrosTable {
  id: Generated<number>
  name: string
  steps: string
  created_at: number
  updated_at: number
}
