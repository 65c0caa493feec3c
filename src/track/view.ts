import type { Context } from 'hono'
import type { Evidence, Event, Ticket } from '../db/schema.js'
import { getCategory } from '../domain/categories.js'
import { CONTACT_CHANNELS, LEVELS, isLevel, type Level, type Status } from '../domain/ladder.js'
import { availableActions } from '../domain/lifecycle.js'
import { type ActionType } from '../domain/actions.js'
import { redact } from '../domain/redaction.js'
import type { AppEnv } from '../http/env.js'
import type { FieldErrors, FormValues } from '../http/forms.js'
import { DISPLAY_TIME_ZONE, formatDateTime, formatMoney } from '../i18n/format.js'
import { formatLocalDateTime } from '../i18n/localTime.js'
import { hasMessage, type MessageKey } from '../i18n/translate.js'
import { ticketState } from '../change/ticketState.js'
import { dueView } from '../tickets/present.js'
import {
  complainantContacts,
  providerById,
  publicEvents,
  stageLevels,
  visibleEvidence,
} from './queries.js'
import type { DB } from '../db/connection.js'
import { hashSecret } from '../secrets.js'
import { trackFile } from './files.js'

// Turns a ticket into what its complainant may see. Every free text that leaves here is
// redacted (card, ID and phone numbers masked); escaping is the template's job.

export type TrackAction =
  'comment' | 'add_evidence' | 'log_contact' | 'accept' | 'dispute' | 'withdraw'
export const TRACK_ACTIONS: readonly TrackAction[] = [
  'comment',
  'add_evidence',
  'log_contact',
  'accept',
  'dispute',
  'withdraw',
]

/** The form that failed, to show its messages and values again. */
export interface ActionFeedback {
  action: TrackAction | null
  errors: FieldErrors
  values: FormValues
  /** Extra lines for the evidence field (each names a file). */
  fileProblems: string[]
  /** A refusal of the whole action, translated. */
  message: string | null
}

export interface TimelineItem {
  id: number
  at: number
  label: string
  actor: string
  body: string | null
  notes: string[]
}

const r = (s: string | null | undefined) => (s ? redact(s) : (s ?? null))

function timelineItem(
  e: Event,
  t: AppEnv['Variables']['t'],
  locale: AppEnv['Variables']['locale'],
  currency: string,
): TimelineItem {
  let payload: Record<string, any> = {}
  try {
    payload = JSON.parse(e.payload) as Record<string, any>
  } catch {
    payload = {}
  }
  const labelKey = hasMessage(`event.${e.type}`)
    ? (`event.${e.type}` as MessageKey)
    : hasMessage(`track.event.${e.type}`)
      ? (`track.event.${e.type}` as MessageKey)
      : null
  const notes: string[] = []
  const from = payload['from'] as { status?: string; level?: string } | undefined
  const to = payload['to'] as { status?: string; level?: string } | undefined
  if (to?.level && from?.level && to.level !== from.level && hasMessage(`level.${to.level}`)) {
    notes.push(t('track.timeline.levelNow', { level: t(`level.${to.level}` as MessageKey) }))
  }
  if (typeof payload['reason'] === 'string' && hasMessage(`reason.${payload['reason']}`)) {
    notes.push(
      t('track.timeline.reason', { reason: t(`reason.${payload['reason']}` as MessageKey) }),
    )
  }
  if (typeof payload['relief'] === 'string' && hasMessage(`relief.${payload['relief']}`)) {
    notes.push(
      t('track.timeline.relief', { relief: t(`relief.${payload['relief']}` as MessageKey) }),
    )
  }
  if (typeof payload['amountRecoveredMinor'] === 'number' && payload['amountRecoveredMinor'] > 0) {
    notes.push(
      t('track.timeline.amountRecovered', {
        amount: formatMoney(payload['amountRecoveredMinor'], currency, locale),
      }),
    )
  }
  if (
    e.type === 'closed' &&
    typeof payload['outcome'] === 'string' &&
    hasMessage(`closeOutcome.${payload['outcome']}`)
  ) {
    notes.push(
      t('track.timeline.outcome', {
        outcome: t(`closeOutcome.${payload['outcome']}` as MessageKey),
      }),
    )
  }
  if (typeof payload['fileCount'] === 'number')
    notes.push(t('track.timeline.files', { count: payload['fileCount'] }))
  if (
    to?.status &&
    from?.status &&
    to.status !== from.status &&
    hasMessage(`status.${to.status}`)
  ) {
    notes.push(t('track.timeline.statusNow', { status: t(`status.${to.status}` as MessageKey) }))
  }
  return {
    id: e.id,
    at: e.created_at,
    label: labelKey ? t(labelKey) : e.type,
    actor: t(`track.actor.${e.actor_type}`),
    body: r(e.body),
    notes,
  }
}

export async function trackPageData(
  c: Context<AppEnv>,
  db: DB,
  ticket: Ticket,
  token: string,
  feedback?: Partial<ActionFeedback>,
) {
  const t = c.get('t')
  const locale = c.get('locale')
  const { config, clock } = c.get('deps')
  const now = clock()
  const [events, evidence, contacts, stages, provider] = await Promise.all([
    publicEvents(db, ticket.id),
    visibleEvidence(db, ticket.id),
    complainantContacts(db, ticket.id),
    stageLevels(db, ticket.id),
    ticket.provider_id === null ? Promise.resolve(undefined) : providerById(db, ticket.provider_id),
  ])
  const files = evidence.map((e: Evidence) => trackFile(e, token))
  const category = getCategory(ticket.category)
  const selfHelp = (JSON.parse(ticket.self_help) as string[])
    .map((k) => category?.selfHelp.find((i) => i.key === k)?.text[locale])
    .filter((x): x is string => !!x)
  const level = ticket.level as Level
  const reached = [...new Set(stages.map((s) => s.level))].filter(
    (l): l is Level => isLevel(l) && l !== level,
  )
  const available = availableActions(ticketState(ticket), { kind: 'complainant' }) as ActionType[]
  const proposal =
    ticket.status === 'resolution_proposed'
      ? [...events].reverse().find((e) => e.type === 'resolution_proposed')
      : undefined
  const due = dueView(ticket, now, locale)
  const deadline =
    due.state === 'stopped'
      ? t('deadline.stopped')
      : due.state === 'paused'
        ? t('deadline.paused')
        : due.state === 'none'
          ? t('deadline.none')
          : t(due.state === 'overdue' ? 'deadline.overdue' : 'deadline.due', { when: due.absolute })
  const done = c.req.query('done')
  // Opened through a link from an email (valid for a while) rather than the tracking link: the
  // box must not ask the complainant to keep a link that will stop working.
  const hash = hashSecret(token)
  const emailLink =
    hash === ticket.tracking_token_hash
      ? undefined
      : await db
          .selectFrom('access_links')
          .select('expires_at')
          .where('token_hash', '=', hash)
          .executeTakeFirst()
  return {
    token,
    trackUrl: `${config.baseUrl}/track/${token}`,
    emailLinkUntil: emailLink ? formatDateTime(emailLink.expires_at, locale) : null,
    ticket: {
      caseNumber: ticket.case_number,
      status: ticket.status as Status,
      level,
      createdAt: ticket.created_at,
      hasEmail: ticket.complainant_email !== null,
    },
    statusText: t(`status.${ticket.status}` as MessageKey),
    levelText: t(`level.${level}`),
    deadline,
    levels: LEVELS,
    reached,
    details: {
      category: category ? category.title[locale] : ticket.category,
      provider: provider
        ? locale === 'en'
          ? provider.name_en
          : provider.name_zh
        : r(ticket.provider_other),
      occurredAt: ticket.occurred_at,
      amount:
        ticket.amount_minor === null
          ? null
          : formatMoney(ticket.amount_minor, ticket.currency, locale),
      transactionRef: r(ticket.transaction_ref),
      merchant: r(ticket.merchant),
      desiredOutcome: hasMessage(`desired.${ticket.desired_outcome}`)
        ? t(`desired.${ticket.desired_outcome}` as MessageKey)
        : ticket.desired_outcome,
      description: redact(ticket.description),
      selfHelp,
    },
    timeline: events.map((e) => ({
      ...timelineItem(e, t, locale, ticket.currency),
      files: files.filter((f) => f.eventId === e.id),
    })),
    evidence: files,
    contacts: contacts.map((x) => ({
      at: x.contacted_at,
      channel: hasMessage(`channel.${x.channel}`)
        ? t(`channel.${x.channel}` as MessageKey)
        : x.channel,
      summary: redact(x.summary),
      ref: r(x.external_ref),
    })),
    proposal: proposal ? timelineItem(proposal, t, locale, ticket.currency) : null,
    available: TRACK_ACTIONS.filter((a) => available.includes(a)),
    done:
      done && (TRACK_ACTIONS as readonly string[]).includes(done)
        ? t(`track.done.${done as TrackAction}`)
        : null,
    feedback: {
      action: null,
      errors: {},
      values: {},
      fileProblems: [],
      message: null,
      ...feedback,
    } satisfies ActionFeedback,
    channels: CONTACT_CHANNELS,
    maxLocalNow: formatLocalDateTime(now, DISPLAY_TIME_ZONE),
    limits: {
      maxFiles: config.evidenceMaxFiles,
      mb: Math.round((config.evidenceMaxFileBytes / 1048576) * 10) / 10,
    },
  }
}
