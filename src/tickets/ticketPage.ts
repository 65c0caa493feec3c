// The ticket page: what it loads (a fixed number of queries) and the view model its templates draw.
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { roleAtLeast } from '../domain/roles.js'
import { getCategory } from '../domain/categories.js'
import { complainantWindows, stageDue, type DeadlinePolicy } from '../domain/deadlines.js'
import { localDate } from '../domain/zoneTime.js'
import {
  BODY_OUTCOMES,
  CLOSE_OUTCOMES,
  ESCALATION_REASONS,
  OPEN_STATUSES,
  PRIORITIES,
  RELIEF_TYPES,
  type Level,
  type Status,
  nextLevel,
} from '../domain/ladder.js'
import { DISPUTE_WINDOW_DAYS, availableActions, type Actor } from '../domain/lifecycle.js'
import { containsSensitive, redact } from '../domain/redaction.js'
import type { DB } from '../db/connection.js'
import type { AppEnv, SignedInUser } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { type FieldErrors } from '../http/forms.js'
import { render } from '../http/render.js'
import { DISPLAY_TIME_ZONE, formatDateTime, formatMoney, formatRelative } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { Translate } from '../i18n/translate.js'
import { ticketState } from '../change/ticketState.js'
import { pausesOfStage, tagsOfTicket } from '../change/store.js'
import { loadDeadlineContext } from '../deadlines/context.js'
import { categoryTitle, dueView, maskPhone, providerName } from './present.js'
import { stagesOf } from './queries.js'
import {
  activeStaff,
  caseNumberOf,
  contactsOf,
  duplicatesOf,
  timelineEvents,
  hiddenEvidenceCount,
  staffNames,
  visibleEvidence,
  type EventRow,
} from './workspace.js'
import { findTicket, type StaffTicket } from './findTicket.js'
import { eventVersion, timelineView } from './eventViews.js'
import { evidenceItems, filesByEvent, uploadLimits } from './evidenceView.js'
import { signedIn } from './staff.js'
import { beatAndLook, presenceView } from './presence.js'
import { markOpened } from './unread.js'
import { loadRelated, relatedView } from './related.js'
import { clockLineView } from './clockLineView.js'
import { macroChoices } from './macros.js'
import { recoveredMinor } from '../domain/resolution.js'

export interface FormState {
  action: string
  values: Record<string, string>
  errors: FieldErrors
  message: string | null
  /** The problems with each attached file, named (tickets/attachments.ts). */
  fileProblems?: string[]
}

export interface TicketPageOptions {
  status?: ContentfulStatusCode
  form?: FormState
  revealed?: boolean
  notice?: string | null
  /** Events the agent had not seen when their form went stale. */
  staleSince?: number
  canned?: string | null
}

export const TIMELINE_PAGE = 50

/** One page of `timelineEvents(…, TIMELINE_PAGE + 1)`: the events shown, and the link to the rest if any. */
export function timelinePage(
  events: EventRow[],
  caseNumber: string,
): { shown: EventRow[]; earlier: string | null } {
  const shown = events.slice(0, TIMELINE_PAGE)
  const last = shown[shown.length - 1]
  return {
    shown,
    earlier:
      events.length > TIMELINE_PAGE && last
        ? `/tickets/${caseNumber}/timeline?before=${last.id}`
        : null,
  }
}

export function sensitiveFields(t: StaffTicket): string[] {
  const fields: string[] = []
  for (const [name, value] of [
    ['description', t.description],
    ['merchant', t.merchant],
    ['transaction_ref', t.transaction_ref],
  ] as const) {
    if (value && containsSensitive(value)) fields.push(name)
  }
  if (t.complainant_phone) fields.push('phone')
  return fields
}

/** Everything the ticket page shows, read with a fixed number of queries; undefined for an unknown case. */
export async function loadTicketPage(db: DB, user: SignedInUser, caseNumber: string) {
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) return undefined
  const [
    stages,
    events,
    evidence,
    hidden,
    contacts,
    duplicates,
    duplicateOf,
    staff,
    names,
    deadlines,
    tags,
  ] = await Promise.all([
    stagesOf(db, ticket.id),
    timelineEvents(db, ticket.id, null, TIMELINE_PAGE + 1),
    visibleEvidence(db, user, ticket),
    hiddenEvidenceCount(db, user, ticket),
    contactsOf(db, ticket.id),
    duplicatesOf(db, ticket.id),
    caseNumberOf(db, ticket.duplicate_of_id),
    activeStaff(db),
    staffNames(db),
    loadDeadlineContext(db),
    tagsOfTicket(db, ticket.id),
  ])
  // The clock's stage, as currentStage() would find it: the last one not left. A resolved or
  // closed case's clock has stopped (its last pause stays open), so it has no phase to show.
  const clockRunsOn = OPEN_STATUSES.includes(ticket.status as Status)
  const stage = clockRunsOn ? [...stages].reverse().find((s) => s.left_at === null) : undefined
  const pauses = stage ? await pausesOfStage(db, stage.id) : []
  const phase = stage
    ? stageDue(
        {
          level: stage.level as Level,
          enteredAt: stage.entered_at,
          acceptedAt: stage.accepted_at,
          complex: ticket.complex === 1,
          pauses,
          reminderAt: ticket.reminder_at,
        },
        deadlines.policy,
        deadlines.calendar,
      ).phase
    : 'none'
  const related = await loadRelated(db, ticket)
  return {
    related,
    ticket,
    stages,
    events,
    evidence,
    hidden,
    contacts,
    duplicates,
    duplicateOf,
    staff,
    names,
    deadlines,
    phase,
    tags,
  }
}

export type TicketPageData = NonNullable<Awaited<ReturnType<typeof loadTicketPage>>>

/** The view model of the ticket page's templates (tickets/show, tickets/_workspace). */
export function ticketPageView(
  data: TicketPageData,
  ctx: { user: SignedInUser; t: Translate; locale: Locale; now: number },
  opts: TicketPageOptions,
) {
  const {
    ticket,
    stages,
    events,
    evidence,
    hidden,
    contacts,
    duplicates,
    duplicateOf,
    staff,
    names,
    deadlines,
    phase,
    tags,
  } = data
  const { user, t, locale, now } = ctx
  const revealed = opts.revealed === true
  const mask = (s: string | null) => (s === null ? '' : revealed ? s : redact(s))
  const actor: Actor = { kind: 'staff', role: user.role, userId: user.id }
  const available = availableActions(ticketState(ticket), actor)
  const category = getCategory(ticket.category)
  const cannedReplies = (category?.cannedReplies ?? []).map((r) => ({
    key: r.key,
    title: r.title[locale],
  }))
  const complainantLocale: Locale = ticket.locale === 'en' ? 'en' : 'zh-CN'
  const canned = opts.canned
    ? category?.cannedReplies.find((r) => r.key === opts.canned)
    : undefined
  const selfHelp = (JSON.parse(ticket.self_help) as unknown[]).filter(
    (k): k is string => typeof k === 'string',
  )
  const { shown, earlier } = timelinePage(events, ticket.case_number)
  // What changed since the agent's form was built, oldest first (within the newest page: a form
  // fifty events behind is not a case that needs more).
  const stale =
    opts.staleSince === undefined
      ? null
      : shown
          .filter((e) => eventVersion(e) > (opts.staleSince as number))
          .reverse()
          .map((e) => timelineView(e, t, locale, names, mask))
  const files = evidenceItems(evidence, { caseNumber: ticket.case_number, t, locale, names })
  const byEvent = filesByEvent(files)
  const ws = {
    caseNumber: ticket.case_number,
    base: `/tickets/${ticket.case_number}`,
    version: ticket.version,
    status: ticket.status,
    level: ticket.level,
    priority: ticket.priority,
    assigneeId: ticket.assignee_id,
    assigneeName: ticket.assignee_name,
    complex: ticket.complex === 1,
    reminderDate: ticket.reminder_at === null ? '' : formatDateTime(ticket.reminder_at, locale),
    reminderValue:
      ticket.reminder_at === null ? '' : localDate(ticket.reminder_at, DISPLAY_TIME_ZONE),
    levelHasClock: deadlines.policy.levels[ticket.level as Level]?.answer !== null,
    complexDays: complexDaysOf(deadlines.policy, ticket.level as Level),
    due: dueView(ticket, now, locale),
    phase,
    clockLine: clockLineView(ticket, phase, now, t, locale),
    windows: complainantWindows(
      {
        proposedAt: ticket.proposed_at,
        occurredAt: ticket.occurred_at,
        disputeWindowDays: DISPUTE_WINDOW_DAYS,
      },
      now,
    ).map((w) => ({
      kind: w.kind,
      expired: w.expired,
      when: formatDateTime(w.endsAt, locale),
      relative: formatRelative(w.endsAt, now, locale),
    })),
    complaint: {
      category: categoryTitle(ticket.category, locale),
      provider: providerName(ticket, locale),
      amount: formatMoney(ticket.amount_minor, ticket.currency, locale),
      recovered: formatMoney(recoveredMinor(ticket), ticket.currency, locale),
      relief: ticket.relief,
      occurred: formatDateTime(ticket.occurred_at, locale),
      filed: formatDateTime(ticket.created_at, locale),
      closed: formatDateTime(ticket.closed_at, locale),
      outcome: ticket.outcome,
      merchant: mask(ticket.merchant),
      transactionRef: mask(ticket.transaction_ref),
      desired: ticket.desired_outcome,
      description: mask(ticket.description),
      name: ticket.complainant_name,
      email: ticket.complainant_email ?? '',
      phone:
        ticket.complainant_phone === null
          ? ''
          : revealed
            ? ticket.complainant_phone
            : maskPhone(ticket.complainant_phone),
      locale: complainantLocale,
    },
    selfHelp: selfHelp.map(
      (key) => category?.selfHelp.find((i) => i.key === key)?.text[locale] ?? key,
    ),
    hasSensitive: sensitiveFields(ticket).length > 0,
    revealed,
    duplicateOf,
    duplicates: duplicates.map((d) => d.case_number),
    stages: stages.map((s) => ({
      level: s.level,
      entered: formatDateTime(s.entered_at, locale),
      left: formatDateTime(s.left_at, locale),
      accepted: formatDateTime(s.accepted_at, locale),
      answered: formatDateTime(s.answered_at, locale),
      due: formatDateTime(s.due_at, locale),
      externalRef: s.external_ref ?? '',
      outcome: s.outcome,
      reason: s.escalation_reason,
      answer: mask(s.answer),
      current: s.left_at === null,
    })),
    reached: stages.map((s) => s.level),
    contacts: contacts.map((k) => ({
      when: formatDateTime(k.contacted_at, locale),
      channel: k.channel,
      summary: mask(k.summary),
      externalRef: k.external_ref ?? '',
      by:
        k.recorded_by_type === 'staff'
          ? (names.get(k.recorded_by_user_id ?? 0) ?? '')
          : t('tickets.actor.complainant'),
    })),
    evidence: files,
    hiddenEvidence: hidden,
    timeline: shown.map((e) => ({
      ...timelineView(e, t, locale, names, mask),
      files: byEvent.get(e.id) ?? [],
    })),
    timelineEarlier: earlier,
    actions: available,
    staff,
    cannedReplies,
    replyPrefill: canned ? canned.body[complainantLocale] : '',
    cannedKey: canned?.key ?? '',
    nextLevel: nextLevel(ticket.level as Level),
    options: {
      bodyOutcomes: BODY_OUTCOMES,
      reliefs: RELIEF_TYPES,
      reasons: ESCALATION_REASONS,
      closeOutcomes: CLOSE_OUTCOMES,
      priorities: PRIORITIES,
    },
    form: opts.form ?? null,
    notice: opts.notice ?? null,
    stale,
    isManager: roleAtLeast(user.role, 'manager'),
    tags,
    related: relatedView(data.related, locale),
  }
  return ws
}

export async function renderTicketPage(
  c: Context<AppEnv>,
  caseNumber: string,
  opts: TicketPageOptions,
): Promise<Response> {
  const { db, clock, config } = c.get('deps')
  const user = signedIn(c)
  const data = await loadTicketPage(db, user, caseNumber)
  if (!data) throw notFound()
  const now = clock()
  const ws = ticketPageView(data, { user, t: c.get('t'), locale: c.get('locale'), now }, opts)
  const others = await beatAndLook(db, {
    ticketId: data.ticket.id,
    userId: user.id,
    now,
    typing: false,
  })
  if (c.req.method === 'GET')
    await markOpened(db, {
      ticketId: data.ticket.id,
      userId: user.id,
      assigneeId: data.ticket.assignee_id,
      now,
    })
  const macros = await macroChoices(db)
  return render(
    c,
    'tickets/show',
    {
      ws,
      title: ws.caseNumber,
      presence: presenceView(ws.base, others),
      macros,
      attachLimits: uploadLimits(config),
    },
    { status: opts.status, fragment: 'tickets/_workspace' },
  )
}

function complexDaysOf(policy: DeadlinePolicy, level: Level): number | null {
  return policy.levels[level]?.answer?.complexDays ?? null
}
