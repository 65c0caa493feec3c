// A complaint becomes a ticket at the platform level, with its first stage, its clock and its
// "filed" event; its evidence rows and the listeners follow in the same transaction.
import { hashSecret, newSecret } from '../secrets.js'
import type { DB } from '../db/connection.js'
import { bumpCounter } from '../db/counters.js'
import type { Ticket } from '../db/schema.js'
import type { DeadlineContext } from '../deadlines/context.js'
import { caseCounterName, formatCaseNumber } from '../domain/caseNumber.js'
import type { CategoryKey } from '../domain/categories.js'
import { stageDue } from '../domain/deadlines.js'
import { localDate } from '../domain/zoneTime.js'
import type { DesiredOutcome } from '../domain/ladder.js'
import type { Actor } from '../domain/lifecycle.js'
import { insertComplainantEvidence, type StoredEvidence } from './evidenceRows.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import { actorColumns, announce } from './listeners.js'
import { insertEvent, insertStage, insertTicket } from './store.js'
import type { ChangeListener, NotifyContext } from './types.js'

export interface ComplaintInput {
  category: CategoryKey
  providerId: number | null
  providerOther: string | null
  occurredAt: number | null
  amountMinor: number | null
  currency: string
  transactionRef: string | null
  merchant: string | null
  description: string
  desiredOutcome: DesiredOutcome
  selfHelp: string[]
  name: string
  email: string | null
  phone: string | null
  locale: Locale
}

export interface FileRequest {
  input: ComplaintInput
  /** Files already stored (and fsynced). */
  evidence: readonly StoredEvidence[]
  now: number
  /** The complainant is mailed their tracking link. */
  notify?: NotifyContext
}

export interface Filed {
  ticket: Ticket
  /** The private tracking secret; only its hash is stored, so this is the one chance to show it. */
  trackingToken: string
  eventId: number
}

const COMPLAINANT: Actor = { kind: 'complainant' }

export async function file(
  trx: DB,
  listeners: readonly ChangeListener[],
  deadlines: DeadlineContext,
  req: FileRequest,
): Promise<Filed> {
  const { input, evidence, now } = req
  const year = Number(localDate(now, DISPLAY_TIME_ZONE).slice(0, 4))
  const sequence = await bumpCounter(trx, caseCounterName(year))
  const trackingToken = newSecret()
  const due = stageDue(
    {
      level: 'platform',
      enteredAt: now,
      acceptedAt: null,
      complex: false,
      pauses: [],
      reminderAt: null,
    },
    deadlines.policy,
    deadlines.calendar,
  )
  const ticket = await insertTicket(trx, {
    case_number: formatCaseNumber(year, sequence),
    tracking_token_hash: hashSecret(trackingToken),
    category: input.category,
    provider_id: input.providerId,
    provider_other: input.providerOther,
    occurred_at: input.occurredAt,
    amount_minor: input.amountMinor,
    currency: input.currency,
    transaction_ref: input.transactionRef,
    merchant: input.merchant,
    description: input.description,
    desired_outcome: input.desiredOutcome,
    self_help: JSON.stringify(input.selfHelp),
    complainant_name: input.name,
    complainant_email: input.email,
    complainant_phone: input.phone,
    locale: input.locale,
    consent_at: now,
    status: 'new',
    level: 'platform',
    priority: 'normal',
    assignee_id: null,
    due_at: due.dueAt,
    paused_at: null,
    reminder_at: null,
    disputed_at: null,
    proposed_at: null,
    relief: null,
    amount_recovered_minor: null,
    outcome: null,
    duplicate_of_id: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
  })
  await insertStage(trx, {
    ticketId: ticket.id,
    level: 'platform',
    enteredAt: now,
    dueAt: due.dueAt,
    externalRef: null,
    reason: null,
    enteredBy: null,
  })
  const event = {
    type: 'filed',
    visibility: 'public' as const,
    body: null,
    payload: { evidenceCount: evidence.length, to: { status: 'new', level: 'platform' } },
  }
  const eventId = await insertEvent(trx, {
    ticketId: ticket.id,
    ...event,
    ...actorColumns(COMPLAINANT),
    createdAt: now,
  })
  await insertComplainantEvidence(trx, ticket.id, eventId, evidence, now)
  await announce(trx, listeners, {
    kind: 'filed',
    before: null,
    ticket,
    event: { id: eventId, ...event },
    actor: COMPLAINANT,
    decision: null,
    now,
    deadlines,
    notify: req.notify ?? null,
    trackingToken,
  })
  return { ticket, trackingToken, eventId }
}
