// Who hears about a ticket change, decided from the change itself. A listener of the change
// module: it runs inside the change's transaction, so each email exists exactly when the change
// that caused it commits; nothing is sent from here (the outbox sender does that).
import type { ChangeListener, NotifyContext, TicketChange } from '../change/types.js'
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import { isLevel, type CloseOutcome, type EscalationReason, type Relief } from '../domain/ladder.js'
import { redact } from '../domain/redaction.js'
import { formatBytes, formatDate, formatMoney } from '../i18n/format.js'
import { isLocale, type Locale } from '../i18n/locale.js'
import { createAccessLink } from './accessLinks.js'
import {
  COMPLAINANT_ACTIVITIES,
  complainantMail,
  staffMail,
  type ComplainantActivity,
  type ComplainantNotice,
  type ComposedMail,
  type SentFile,
} from './compose.js'
import { enqueueMail } from './outbox.js'
import { queueTrackingLinkMail, trackingPath } from './trackingLink.js'

/** An action's change, as the notifications read it. */
export type Change = Extract<TicketChange, { kind: 'acted' }>

/** The mail listener: notifications of actions, and the tracking link of a new or replaced link. */
export const mailNotifications: ChangeListener = {
  name: 'mail',
  async onChange(trx, change) {
    const ctx = change.notify
    if (!ctx) return
    if (change.kind === 'acted') return queueNotifications(trx, ctx, change)
    const to = change.ticket.complainant_email
    if (change.trackingToken === null || !to) return
    await queueTrackingLinkMail(trx, {
      kind: change.kind === 'filed' ? 'filed' : 'reissued',
      ticketId: change.ticket.id,
      eventId: change.event.id,
      to,
      locale: complainantLocale(change.ticket),
      caseNumber: change.ticket.case_number,
      url: ctx.baseUrl + trackingPath(change.trackingToken),
      now: change.now,
    })
  },
}

/** Outbox kinds of the complainant's notifications, by the event that causes them. */
export const COMPLAINANT_MAIL_KINDS = {
  replied: 'agent_replied',
  info_requested: 'agent_info_requested',
  resolution_proposed: 'agent_resolution_proposed',
  escalated: 'ticket_escalated',
  closed: 'ticket_closed',
} as const

export const complainantLocale = (t: Pick<Ticket, 'locale'>): Locale =>
  isLocale(t.locale) ? t.locale : 'zh-CN'
export const staffLocale = (u: { locale: string | null }): Locale =>
  isLocale(u.locale) ? u.locale : 'zh-CN'
const trimUrl = (u: string) => u.replace(/\/+$/, '')

export async function queueNotifications(
  trx: DB,
  ctx: NotifyContext,
  change: Change,
): Promise<void> {
  await notifyComplainant(trx, ctx, change)
  await notifyAssignee(trx, ctx, change)
}

/** What the complainant is told, or null. Only public events qualify; internal notes never do. */
export function complainantNotice(change: Change, locale: Locale): ComplainantNotice | null {
  const { event } = change.decision
  if (event.visibility !== 'public' || change.actor.kind !== 'staff') return null
  const p = event.payload
  const body = event.body === null ? null : redact(event.body)
  switch (event.type) {
    case 'replied':
      return body === null ? null : { kind: 'reply', body }
    case 'info_requested':
      return body === null ? null : { kind: 'info_requested', body }
    case 'resolution_proposed': {
      const amount =
        typeof p['amountRecoveredMinor'] === 'number' && p['amountRecoveredMinor'] > 0
          ? p['amountRecoveredMinor']
          : null
      const until = typeof p['disputeUntil'] === 'number' ? p['disputeUntil'] : null
      if (body === null || until === null) return null
      return {
        kind: 'resolution_proposed',
        body,
        relief: typeof p['relief'] === 'string' ? (p['relief'] as Relief) : null,
        amount: amount === null ? null : formatMoney(amount, change.ticket.currency, locale),
        disputeUntil: formatDate(until, locale),
      }
    }
    case 'escalated':
      if (!isLevel(change.decision.level)) return null
      return {
        kind: 'escalated',
        level: change.decision.level,
        reason: typeof p['reason'] === 'string' ? (p['reason'] as EscalationReason) : null,
        note: body,
      }
    case 'closed':
      return {
        kind: 'closed',
        outcome: typeof p['outcome'] === 'string' ? (p['outcome'] as CloseOutcome) : null,
        note: body,
      }
    default:
      return null
  }
}

async function notifyComplainant(trx: DB, ctx: NotifyContext, change: Change) {
  const { ticket } = change
  if (!ticket.complainant_email) return
  const locale = complainantLocale(ticket)
  const notice = complainantNotice(change, locale)
  if (!notice) return
  const link = await createAccessLink(trx, ticket.id, change.now)
  const url = `${trimUrl(ctx.baseUrl)}/track/${link.token}`
  const mail = complainantMail(locale, notice, {
    caseNumber: ticket.case_number,
    url,
    linkExpires: formatDate(link.expiresAt, locale),
    files: await sentFiles(trx, change, url),
  })
  const kind =
    COMPLAINANT_MAIL_KINDS[change.decision.event.type as keyof typeof COMPLAINANT_MAIL_KINDS]
  await queue(trx, change, kind, ticket.complainant_email, locale, mail)
}

/**
 * The files staff sent with this change (tickets/attachments.ts), each linked through the
 * mail's own access link: the mail names them and links to them, it does not carry them.
 */
async function sentFiles(trx: DB, change: Change, caseUrl: string): Promise<SentFile[]> {
  if (!FILE_NOTICES.has(change.decision.event.type)) return []
  const rows = await trx
    .selectFrom('evidence')
    .select(['id', 'original_name', 'size'])
    .where('ticket_id', '=', change.ticket.id)
    .where('event_id', '=', change.event.id)
    .where('uploaded_by_type', '=', 'staff')
    .where('sensitive', '=', 0)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    name: redact(r.original_name),
    size: formatBytes(r.size),
    url: `${caseUrl}/evidence/${r.id}`,
  }))
}

/** The notices that may carry files (the actions that take them). */
const FILE_NOTICES: ReadonlySet<string> = new Set([
  'replied',
  'info_requested',
  'resolution_proposed',
])

async function notifyAssignee(trx: DB, ctx: NotifyContext, change: Change) {
  const { ticket, actor, decision } = change
  const type = decision.event.type
  const assigneeId = ticket.assignee_id
  if (assigneeId === null) return
  const assignedToOther =
    type === 'assigned' && !(actor.kind === 'staff' && actor.userId === assigneeId)
  const activity =
    actor.kind === 'complainant' && (COMPLAINANT_ACTIVITIES as readonly string[]).includes(type)
      ? (type as ComplainantActivity)
      : null
  if (!assignedToOther && !activity) return
  const assignee = await trx
    .selectFrom('users')
    .select(['email', 'name', 'locale'])
    .where('id', '=', assigneeId)
    .where('active', '=', 1)
    .executeTakeFirst()
  if (!assignee) return
  const locale = staffLocale(assignee)
  const common = {
    caseNumber: ticket.case_number,
    name: assignee.name,
    url: `${trimUrl(ctx.baseUrl)}/tickets/${ticket.case_number}`,
  }
  if (activity) {
    const mail = staffMail(locale, { kind: 'complainant_activity', activity }, common)
    await queue(trx, change, 'staff_complainant_activity', assignee.email, locale, mail)
    return
  }
  const by =
    actor.kind === 'staff'
      ? ((
          await trx
            .selectFrom('users')
            .select('name')
            .where('id', '=', actor.userId)
            .executeTakeFirst()
        )?.name ?? '')
      : ''
  await queue(
    trx,
    change,
    'staff_assigned',
    assignee.email,
    locale,
    staffMail(locale, { kind: 'assigned', by }, common),
  )
}

function queue(
  trx: DB,
  change: Change,
  kind: string,
  to: string,
  locale: Locale,
  mail: ComposedMail,
) {
  return enqueueMail(
    trx,
    {
      kind,
      to,
      locale,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ticketId: change.ticket.id,
      eventId: change.event.id,
    },
    change.now,
  )
}
