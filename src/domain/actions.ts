// What can be asked of a ticket: the actions, who may ask them, and the events they record.
import type { BodyOutcome, CloseOutcome, EscalationReason, Priority, Relief } from './ladder.js'

export type ActionInput =
  | { type: 'assign'; assigneeId: number | null }
  | { type: 'reply'; body: string }
  | { type: 'note'; body: string }
  | { type: 'request_info'; body: string }
  | { type: 'record_contact'; body: string; externalRef: string | null; outcome: BodyOutcome }
  | {
      type: 'propose_resolution'
      body: string
      relief: Relief
      amountRecoveredMinor: number | null
    }
  | { type: 'accept'; reason: string | null }
  | { type: 'dispute'; reason: string }
  | { type: 'escalate'; reason: EscalationReason; note: string | null; externalRef?: string | null }
  | { type: 'close'; outcome: CloseOutcome; note: string | null; duplicateOfId: number | null }
  | { type: 'reopen'; note: string | null }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'mark_complex'; complex: boolean }
  | { type: 'set_reminder'; reminderAt: number | null }
  | { type: 'withdraw'; reason: string | null }
  | { type: 'comment'; body: string }
  | { type: 'add_evidence'; fileCount: number }
  | { type: 'log_contact'; summary: string }
  /** `tag` already normalised (domain/tags.ts). */
  | { type: 'add_tag'; tag: string }
  | { type: 'remove_tag'; tag: string }
  // Links between two cases: written on both, each side told which end it is (mirror: the other).
  | { type: 'link'; relation: LinkRelation; other: LinkEnd; existing: LinkRelation | null }
  | { type: 'unlink'; other: LinkEnd; existing: LinkRelation | null }

export type ActionType = ActionInput['type']

/** 'duplicate_of': the ticket acted on is a duplicate of the other. */
export const LINK_RELATIONS = ['related', 'duplicate_of'] as const
export type LinkRelation = (typeof LINK_RELATIONS)[number]
export interface LinkEnd {
  id: number
  caseNumber: string
  /** The other end is the ticket itself. */
  self: boolean
  /** This event is the other ticket's copy of the link made on `other`. */
  mirror: boolean
}

export const STAFF_ACTIONS = [
  'assign',
  'reply',
  'note',
  'request_info',
  'record_contact',
  'propose_resolution',
  'escalate',
  'close',
  'reopen',
  'set_priority',
  'add_evidence',
  'mark_complex',
  'set_reminder',
  'add_tag',
  'remove_tag',
  'link',
  'unlink',
] as const satisfies readonly ActionType[]

export const COMPLAINANT_ACTIONS = [
  'accept',
  'dispute',
  'withdraw',
  'comment',
  'add_evidence',
  'log_contact',
] as const satisfies readonly ActionType[]

export const ACTION_TYPES: readonly ActionType[] = [
  ...new Set<ActionType>([...STAFF_ACTIONS, ...COMPLAINANT_ACTIONS]),
]

export type EventType =
  | 'assigned'
  | 'replied'
  | 'noted'
  | 'info_requested'
  | 'contact_recorded'
  | 'resolution_proposed'
  | 'accepted'
  | 'disputed'
  | 'escalated'
  | 'closed'
  | 'reopened'
  | 'priority_set'
  | 'withdrawn'
  | 'complainant_message'
  | 'evidence_added'
  | 'contact_logged'
  | 'complex_marked'
  | 'reminder_set'
  | 'tag_added'
  | 'tag_removed'
  | 'linked'
  | 'unlinked'

export const EVENT_OF: Record<ActionType, EventType> = {
  assign: 'assigned',
  reply: 'replied',
  note: 'noted',
  request_info: 'info_requested',
  record_contact: 'contact_recorded',
  propose_resolution: 'resolution_proposed',
  accept: 'accepted',
  dispute: 'disputed',
  escalate: 'escalated',
  close: 'closed',
  reopen: 'reopened',
  set_priority: 'priority_set',
  withdraw: 'withdrawn',
  comment: 'complainant_message',
  add_evidence: 'evidence_added',
  log_contact: 'contact_logged',
  mark_complex: 'complex_marked',
  set_reminder: 'reminder_set',
  add_tag: 'tag_added',
  remove_tag: 'tag_removed',
  link: 'linked',
  unlink: 'unlinked',
}

// What the complainant must never see: staff-only working notes and internal bookkeeping.
export const INTERNAL_EVENTS: ReadonlySet<EventType> = new Set([
  'noted',
  'assigned',
  'priority_set',
  'contact_recorded',
  'complex_marked',
  'reminder_set',
  'tag_added',
  'tag_removed',
  'linked',
  'unlinked',
])
