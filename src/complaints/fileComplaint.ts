import { hashSecret, newSecret } from '../auth/tokens.js'
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import { caseCounterName, formatCaseNumber } from '../domain/caseNumber.js'
import { localDate, stageDue } from '../domain/deadlines.js'
import type { CategoryKey } from '../domain/categories.js'
import type { DesiredOutcome } from '../domain/ladder.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import { reportTicketFiled } from '../reports/rollups.js'
import { loadDeadlineContext } from '../tickets/deadlineContext.js'
import { bumpCounter, insertComplainantEvidence, insertEvent } from '../tickets/queries.js'
import { afterTicketFiled } from '../tickets/afterFiled.js'

export interface StoredEvidence {
  sha256: string
  size: number
  mime: string
  originalName: string
  /** An ID document: hidden from staff other than the case handler and managers. */
  sensitive: boolean
}

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

export interface Filed {
  ticket: Ticket
  /** The private tracking secret; only its hash is stored, so this is the one chance to show it. */
  trackingToken: string
  eventId: number
}

/**
 * Turns a complaint into a ticket at the platform level with its first stage, its clock and
 * its "filed" event, in the caller's transaction (the caller wraps it with idempotency and
 * the outbox). Evidence files must already be on disk.
 */
export async function fileComplaint(
  trx: DB,
  input: ComplaintInput,
  evidence: readonly StoredEvidence[],
  now: number,
  deadlines?: Awaited<ReturnType<typeof loadDeadlineContext>>,
): Promise<Filed> {
  const ctx = deadlines ?? (await loadDeadlineContext(trx))
  const year = Number(localDate(now, DISPLAY_TIME_ZONE).slice(0, 4))
  const sequence = await bumpCounter(trx, caseCounterName(year))
  const trackingToken = newSecret()
  const due = stageDue(
    { level: 'platform', enteredAt: now, acceptedAt: null, complex: false, pauses: [], reminderAt: null },
    ctx.policy,
    ctx.calendar,
  )
  const ticket = await trx
    .insertInto('tickets')
    .values({
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
    .returningAll()
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('ladder_stages')
    .values({
      ticket_id: ticket.id,
      level: 'platform',
      entered_at: now,
      left_at: null,
      accepted_at: null,
      first_response_at: null,
      answered_at: null,
      due_at: due.dueAt,
      external_ref: null,
      outcome: null,
      answer: null,
      escalation_reason: null,
      entered_by: null,
    })
    .execute()
  const eventId = await insertEvent(trx, {
    ticketId: ticket.id,
    type: 'filed',
    visibility: 'public',
    actorType: 'complainant',
    actorUserId: null,
    body: null,
    payload: { evidenceCount: evidence.length, to: { status: 'new', level: 'platform' } },
    createdAt: now,
  })
  await insertComplainantEvidence(trx, ticket.id, eventId, evidence, now)
  // The agent's side: sidebar counters and the search index, in this same transaction.
  await afterTicketFiled(trx, ticket)
  await reportTicketFiled(trx, ticket, ctx, now)
  return { ticket, trackingToken, eventId }
}
