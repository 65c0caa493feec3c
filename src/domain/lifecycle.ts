// What a ticket may do next. Pure: no clock, no I/O; the caller passes the time in.
import {
  ACTION_TYPES,
  COMPLAINANT_ACTIONS,
  EVENT_OF,
  INTERNAL_EVENTS,
  STAFF_ACTIONS,
  type ActionInput,
  type ActionType,
  type EventType,
} from './actions.js'
import {
  type Level,
  type Priority,
  type Relief,
  type Status,
  TERMINAL_STATUSES,
  nextLevel,
} from './ladder.js'
import { clockChange, type ClockChange, type StageEffect } from './stages.js'
import { refuse, type Refusal, type RefusalCode } from './refusals.js'

export type StaffRole = 'agent' | 'manager' | 'admin'
export type Actor = { kind: 'complainant' } | { kind: 'staff'; role: StaffRole; userId: number }

export interface TicketState {
  status: Status
  level: Level
  priority: Priority
  assigneeId: number | null
  /** Set when the complainant disputed an answer at the current level; cleared on escalation. */
  disputedAt: number | null
  proposedAt: number | null
  /** Marked complex: the longer clock of the level applies (absent: not complex). */
  complex?: boolean
  /** The agent's reminder date for a level without a clock (absent: none). */
  reminderAt?: number | null
  /** The current stage's deadline while its clock runs (absent or null: none known). */
  dueAt?: number | null
  /** The ticket's tags, when the action needs them (tag actions; absent: none). */
  tags?: readonly string[]
}

/** The days after a proposed resolution during which the complainant may still dispute it. */
export const DISPUTE_WINDOW_DAYS = 60
const DAY_MS = 86_400_000
/** Tags one ticket may carry: enough to sort work by, few enough to read at a glance. */
export const MAX_TAGS = 20

const ACTIVE: readonly Status[] = [
  'new',
  'open',
  'waiting_complainant',
  'waiting_body',
  'resolution_proposed',
  'resolved',
]
const WORKABLE: readonly Status[] = ['new', 'open', 'waiting_body']

/** Which statuses each action starts from. Closed and withdrawn tickets take only reopen. */
const ALLOWED_FROM: Record<ActionType, readonly Status[]> = {
  assign: ACTIVE,
  reply: ACTIVE,
  note: ACTIVE,
  request_info: WORKABLE,
  record_contact: WORKABLE,
  propose_resolution: WORKABLE,
  escalate: WORKABLE,
  close: ACTIVE,
  reopen: ['closed', 'withdrawn', 'resolved'],
  set_priority: ACTIVE,
  mark_complex: ACTIVE,
  set_reminder: ACTIVE,
  add_evidence: ACTIVE,
  accept: ['resolution_proposed'],
  dispute: ['resolution_proposed', 'resolved'],
  withdraw: ACTIVE,
  comment: ACTIVE,
  log_contact: ACTIVE,
  add_tag: ACTIVE,
  remove_tag: ACTIVE,
  // A link changes neither ticket, so closed cases can be linked too.
  link: [...ACTIVE, ...TERMINAL_STATUSES],
  unlink: [...ACTIVE, ...TERMINAL_STATUSES],
}

export type { Refusal, RefusalCode } from './refusals.js'

export interface Decision {
  ok: true
  status: Status
  level: Level
  priority: Priority
  assigneeId: number | null
  disputedAt: number | null
  proposedAt: number | null
  /** Present when the action changes it. */
  complex?: boolean
  /** Present when the action changes it. */
  reminderAt?: number | null
  /** Present when the action adds or removes a tag. */
  tag?: { add: string } | { remove: string }
  stage: StageEffect
  clock: ClockChange
  /** Fields of the ticket's outcome that the action sets (absent: unchanged). */
  fields: TicketFields
  event: {
    type: EventType
    visibility: 'public' | 'internal'
    body: string | null
    payload: Record<string, unknown>
  }
}

/** What an action records of the ticket's outcome. */
export interface TicketFields {
  closedAt?: number | null
  outcome?: string | null
  duplicateOfId?: number | null
  relief?: Relief
  amountRecoveredMinor?: number | null
}

export type Outcome = Decision | Refusal

export function actorMay(actor: Actor, action: ActionType): boolean {
  const list: readonly ActionType[] = actor.kind === 'staff' ? STAFF_ACTIONS : COMPLAINANT_ACTIONS
  return list.includes(action)
}

/** The actions this actor could take now (for showing buttons; decide() still has the last word). */
export function availableActions(state: TicketState, actor: Actor): ActionType[] {
  return ACTION_TYPES.filter(
    (a) =>
      actorMay(actor, a) &&
      ALLOWED_FROM[a].includes(state.status) &&
      // Nothing is above legal action, so escalation is not offered there.
      (a !== 'escalate' || nextLevel(state.level) !== null),
  )
}

const blank = (s: string | null | undefined) => !s || s.trim() === ''

export function decide(state: TicketState, input: ActionInput, actor: Actor, now: number): Outcome {
  if (!actorMay(actor, input.type)) return refuse('not_for_this_actor')
  if (!ALLOWED_FROM[input.type].includes(state.status)) {
    return refuse(
      TERMINAL_STATUSES.includes(state.status) ? 'closed_only_reopen' : 'not_in_this_status',
    )
  }

  const next: Omit<Decision, 'event' | 'stage' | 'clock' | 'fields'> = {
    ok: true,
    status: state.status,
    level: state.level,
    priority: state.priority,
    assigneeId: state.assigneeId,
    disputedAt: state.disputedAt,
    proposedAt: state.proposedAt,
  }
  let stage: StageEffect = { kind: 'none' }
  let fields: TicketFields = {}
  let body: string | null = null
  const extra: Record<string, unknown> = {}

  switch (input.type) {
    case 'assign':
      if (input.assigneeId === state.assigneeId) return refuse('nothing_to_change')
      // Holding a case gives access to its ID documents: an agent cannot take it from a colleague.
      if (
        state.assigneeId !== null &&
        actor.kind === 'staff' &&
        actor.role === 'agent' &&
        actor.userId !== state.assigneeId
      )
        return refuse('held_by_colleague')
      next.assigneeId = input.assigneeId
      if (state.status === 'new' && input.assigneeId !== null) next.status = 'open'
      break
    case 'reply':
      if (blank(input.body)) return refuse('body_required')
      body = input.body
      if (state.status === 'new') next.status = 'open'
      stage = { kind: 'first_response' }
      break
    case 'note':
      if (blank(input.body)) return refuse('body_required')
      body = input.body
      break
    case 'request_info':
      if (blank(input.body)) return refuse('body_required')
      body = input.body
      next.status = 'waiting_complainant'
      stage = { kind: 'first_response' }
      break
    case 'record_contact':
      if (blank(input.body)) return refuse('body_required')
      body = input.body
      next.status =
        input.outcome === 'accepted'
          ? 'waiting_body'
          : input.outcome === 'resolved'
            ? 'resolved'
            : 'open'
      stage = { kind: 'body_said', outcome: input.outcome, externalRef: input.externalRef }
      extra.outcome = input.outcome
      extra.externalRef = input.externalRef
      break
    case 'propose_resolution':
      if (blank(input.body)) return refuse('body_required')
      if (input.relief === 'monetary') {
        if (input.amountRecoveredMinor === null || input.amountRecoveredMinor <= 0)
          return refuse('amount_required')
      } else if (input.amountRecoveredMinor !== null && input.amountRecoveredMinor !== 0) {
        return refuse('amount_not_allowed')
      }
      body = input.body
      next.status = 'resolution_proposed'
      next.proposedAt = now
      next.disputedAt = null
      stage = { kind: 'answered' }
      fields = { relief: input.relief, amountRecoveredMinor: input.amountRecoveredMinor }
      extra.relief = input.relief
      extra.amountRecoveredMinor = input.amountRecoveredMinor
      extra.disputeUntil = now + DISPUTE_WINDOW_DAYS * DAY_MS
      break
    case 'accept':
      body = input.reason
      next.status = 'resolved'
      break
    case 'dispute':
      if (blank(input.reason)) return refuse('reason_required')
      if (state.proposedAt !== null && now > state.proposedAt + DISPUTE_WINDOW_DAYS * DAY_MS)
        return refuse('dispute_window_over')
      body = input.reason
      next.status = 'open'
      next.disputedAt = now
      break
    case 'escalate': {
      const to = nextLevel(state.level)
      if (to === null) return refuse('top_of_ladder')
      if (input.reason === 'other' && blank(input.note)) return refuse('note_required_for_other')
      if (input.reason === 'disputed' && state.disputedAt === null)
        return refuse('dispute_required')
      // "No answer in time" is only true once the body's time has run out.
      if (input.reason === 'no_answer' && state.dueAt != null && now <= state.dueAt)
        return refuse('deadline_not_passed')
      body = blank(input.note) ? null : input.note
      next.level = to
      next.status = 'waiting_body'
      next.disputedAt = null
      next.proposedAt = null
      stage = {
        kind: 'enter',
        level: to,
        reason: input.reason,
        externalRef: input.externalRef ?? null,
      }
      extra.reason = input.reason
      extra.externalRef = input.externalRef ?? null
      break
    }
    case 'close':
      if (input.outcome === 'duplicate') {
        if (input.duplicateOfId === null) return refuse('duplicate_of_required')
      }
      body = blank(input.note) ? null : input.note
      next.status = 'closed'
      fields = {
        closedAt: now,
        outcome: input.outcome,
        duplicateOfId: input.outcome === 'duplicate' ? input.duplicateOfId : null,
      }
      extra.outcome = input.outcome
      extra.duplicateOfId = input.outcome === 'duplicate' ? input.duplicateOfId : null
      break
    case 'reopen':
      body = blank(input.note) ? null : input.note
      next.status = 'open'
      fields = { closedAt: null, outcome: null }
      break
    case 'set_priority':
      if (input.priority === state.priority) return refuse('nothing_to_change')
      next.priority = input.priority
      break
    case 'mark_complex':
      if (input.complex === (state.complex ?? false)) return refuse('nothing_to_change')
      next.complex = input.complex
      extra.complex = { from: state.complex ?? false, to: input.complex }
      break
    case 'set_reminder':
      if (input.reminderAt === (state.reminderAt ?? null)) return refuse('nothing_to_change')
      next.reminderAt = input.reminderAt
      extra.reminderAt = { from: state.reminderAt ?? null, to: input.reminderAt }
      break
    case 'withdraw':
      body = blank(input.reason) ? null : input.reason
      next.status = 'withdrawn'
      fields = { closedAt: now, outcome: 'withdrawn' }
      break
    case 'comment':
      if (blank(input.body)) return refuse('body_required')
      body = input.body
      if (state.status === 'waiting_complainant') next.status = 'open'
      break
    case 'add_evidence':
      if (input.fileCount < 1) return refuse('body_required')
      extra.fileCount = input.fileCount
      if (actor.kind === 'complainant' && state.status === 'waiting_complainant')
        next.status = 'open'
      break
    case 'link':
    case 'unlink': {
      const o = input.other
      if (o.self) return refuse('link_to_self')
      if (input.type === 'link' && input.existing !== null) return refuse('already_linked')
      if (input.type === 'unlink' && input.existing === null) return refuse('not_linked')
      const relation = input.type === 'link' ? input.relation : input.existing
      Object.assign(extra, { relation, otherId: o.id, otherCase: o.caseNumber, mirror: o.mirror })
      break
    }
    case 'log_contact':
      if (blank(input.summary)) return refuse('body_required')
      body = input.summary
      if (state.status === 'waiting_complainant') next.status = 'open'
      break
    case 'add_tag':
      if (blank(input.tag)) return refuse('tag_required')
      if ((state.tags ?? []).includes(input.tag)) return refuse('nothing_to_change')
      if ((state.tags ?? []).length >= MAX_TAGS) return refuse('too_many_tags')
      next.tag = { add: input.tag }
      extra.tag = input.tag
      break
    case 'remove_tag':
      if (!(state.tags ?? []).includes(input.tag)) return refuse('nothing_to_change')
      next.tag = { remove: input.tag }
      extra.tag = input.tag
      break
  }

  const type = EVENT_OF[input.type]
  return {
    ...next,
    stage,
    clock: clockChange(state.status, next.status, stage),
    fields,
    event: {
      type,
      visibility: INTERNAL_EVENTS.has(type) ? 'internal' : 'public',
      body,
      payload: {
        ...extra,
        from: snapshot(state),
        to: snapshot(next),
      },
    },
  }
}

function snapshot(s: Pick<TicketState, 'status' | 'level' | 'priority' | 'assigneeId'>) {
  return { status: s.status, level: s.level, priority: s.priority, assigneeId: s.assigneeId }
}
