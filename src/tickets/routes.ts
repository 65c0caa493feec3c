// The agent's workspace over HTTP: the queue, the ticket page, its actions, reveal, evidence and
// history. Handlers stay thin: queries and the lifecycle do the work.
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { requireRole } from '../auth/middleware.js'
import { roleAtLeast } from '../auth/users.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import { CATEGORIES, getCategory } from '../domain/categories.js'
import { addLocalDays, complainantWindows, localDate, startOfLocalDay, stageDue, type DeadlinePolicy } from '../domain/deadlines.js'
import { BODY_OUTCOMES, CLOSE_OUTCOMES, ESCALATION_REASONS, LEVELS, OPEN_STATUSES, PRIORITIES, RELIEF_TYPES, STATUSES, type Level, type Status } from '../domain/ladder.js'
import { DISPUTE_WINDOW_DAYS, availableActions, type Actor } from '../domain/lifecycle.js'
import { type ActionInput } from '../domain/actions.js'
import { containsSensitive, redact } from '../domain/redaction.js'
import { localEvidenceStore } from '../evidence/store.js'
import { evidenceResponse } from '../evidence/serve.js'
import type { AppEnv, SignedInUser } from '../http/env.js'
import { HttpError, notFound } from '../http/errors.js'
import { fieldErrors, type FieldErrors } from '../http/forms.js'
import { keptResponse } from '../http/keptResponse.js'
import { render, renderPart, wantsFragment } from '../http/render.js'
import { currencyExponent, DISPLAY_TIME_ZONE, formatBytes, formatDateTime, formatMoney, formatRelative } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { MessageKey, Translate } from '../i18n/translate.js'
import { actOnTicket, recordOnTicket } from '../change/ticketChanges.js'
import { ticketState } from '../change/ticketState.js'
import { pausesOfStage } from '../change/store.js'
import { loadDeadlineContext } from '../deadlines/context.js'
import { categoryTitle, dueView, maskPhone, providerName, rowView } from './present.js'
import { stagesOf } from './queries.js'
import { PAGE_SIZE, SORTS, decodeCursor, filtersQuery, parseQueueQuery, type QueueFilters } from './queue.js'
import { filterProviders, keptUntil, namedViews, queueResults } from './queueView.js'
import { ACTION_SCHEMAS, decimalToMinor, isFormAction, type FormAction } from './schemas.js'
import { activeStaff, caseNumberOf, contactsOf, duplicatesOf, eventsWithActors, evidenceForStaff, timelineEvents, hiddenEvidenceCount, staffNames, ticketForStaff, visibleEvidence, type EventRow, type StaffTicket } from './workspace.js'

export const ticketsRoutes = new Hono<AppEnv>()

const staffOnly = requireRole('agent')

function staffActor(user: SignedInUser) {
  return { kind: 'staff', role: user.role, userId: user.id } as const
}

function signedIn(c: Context<AppEnv>): SignedInUser {
  const user = c.get('user')
  if (!user) throw notFound()
  return user
}

// ---------------------------------------------------------------------------------------------
// The queue

// The whole answer is kept per agent, language, URL and page-or-fragment, as long as its rows are:
// the parts it is built from may have been kept since up to QUEUE_KEPT_MS before, so a relative
// time ("in 3 hours") is at most twice that old; due times passing and midnight still end it.
ticketsRoutes.get('/queue', staffOnly, (c) => {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const now = clock()
  const url = c.req.url
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : ''
  const variant = wantsFragment(c) ? 'fragment' : 'page'
  const key = ['queue-response', user.id, c.get('locale'), variant, search].join('|')
  return keptResponse(db, key, now, c.req.header('accept-encoding'), async () => ({
    response: await queueResponse(c, user, now),
    until: await keptUntil(db, now),
  }))
})

async function queueResponse(c: Context<AppEnv>, user: SignedInUser, now: number): Promise<Response> {
  const { db } = c.get('deps')
  const locale = c.get('locale')
  const t = c.get('t')
  const query = c.req.query()
  const req = parseQueueQuery(query)
  const ctx = { userId: user.id, now }
  const { page, rows } = await queueResults(db, req, ctx, locale, (found) => ({
    html: renderPart(c, 'queue/_rows', { rows: found.map((r) => rowView(r, now, locale, t)) }),
    count: found.length,
  }))
  const views = await namedViews(db, ctx)
  const f = req.filters
  const current = filtersQuery(f)
  const start = req.cursor ? (query['cursor'] ?? '') : ''
  // "Load more" appends the next page; the list then refreshes from where it started, as long as it is.
  const more = query['part'] === 'more' && wantsFragment(c)
  const shownBefore = more ? Math.max(0, Math.min(Number(query['shown']) || 0, 450)) : 0
  const pollStart = more ? (decodeCursor(query['start'] ?? '') ? (query['start'] ?? '') : '') : start
  const shown = shownBefore + rows.count
  const pollParams: Record<string, string> = {}
  if (pollStart) pollParams['cursor'] = pollStart
  if (shown > PAGE_SIZE) pollParams['limit'] = String(Math.min(shown, 500))
  const data = {
    filters: f,
    rowsHtml: rows.html,
    rowCount: rows.count,
    views: views.map((v) => ({ ...v, href: `/queue?${v.query}`, current: v.query === current })),
    pollUrl: `/queue?${filtersQuery(f, pollParams)}`,
    nextHref: page.next ? `/queue?${filtersQuery(f, { cursor: page.next })}` : null,
    moreHref: page.next
      ? `/queue?${filtersQuery(f, { cursor: page.next, part: 'more', start: pollStart, shown: String(shown) })}`
      : null,
    firstHref: req.cursor ? `/queue?${current}` : null,
    more,
  }
  if (more) return render(c, 'queue/_more', data, { fragment: 'queue/_more' })
  if (wantsFragment(c)) return render(c, 'queue/_results', { ...data, partialViews: true }, { fragment: 'queue/_results' })
  const [providers, staff] = await Promise.all([
    filterProviders(db),
    activeStaff(db),
  ])
  return render(c, 'queue/index', {
    ...data,
    options: {
      statuses: ['open', 'all', ...STATUSES],
      levels: LEVELS,
      categories: CATEGORIES.map((cat) => ({ key: cat.key, title: cat.title[locale] })),
      providers: providers.map((p) => ({ id: p.id, name: locale === 'zh-CN' ? p.name_zh : p.name_en })),
      staff,
      sorts: SORTS,
    },
    formValues: formValuesOf(f),
  })
}

function formValuesOf(f: QueueFilters) {
  return {
    status: f.status,
    level: f.level ?? '',
    category: f.category ?? '',
    provider: f.provider === null ? '' : String(f.provider),
    assignee: f.assignee === 'any' ? '' : String(f.assignee),
    overdue: f.overdue,
    dueToday: f.dueToday,
    q: f.q,
    sort: f.sort,
  }
}

// ---------------------------------------------------------------------------------------------
// The ticket page

interface FormState {
  action: string
  values: Record<string, string>
  errors: FieldErrors
  message: string | null
}

interface WorkspaceOptions {
  status?: ContentfulStatusCode
  form?: FormState
  revealed?: boolean
  notice?: string | null
  /** Events the agent had not seen when their form went stale. */
  staleSince?: number
  canned?: string | null
}

function caseParam(c: Context<AppEnv>): string {
  const normalized = normalizeCaseNumber(c.req.param('case') ?? '')
  if (!normalized) throw notFound()
  return normalized
}

ticketsRoutes.get('/tickets/:case', staffOnly, async (c) => {
  const canned = c.req.query('canned') ?? null
  return renderWorkspace(c, caseParam(c), { canned })
})

// Inserting a canned reply with htmx: only the reply form comes back, the chosen text added
// after what the agent had already typed, so no unsent text anywhere on the page is lost.
// (Without JavaScript the canned form is a plain GET of the page with the reply pre-filled.)
ticketsRoutes.post('/tickets/:case/reply-draft', staffOnly, async (c) => {
  const { db } = c.get('deps')
  const caseNumber = caseParam(c)
  const ticket = await db.selectFrom('tickets').select(['category', 'locale', 'version']).where('case_number', '=', caseNumber).executeTakeFirst()
  if (!ticket) throw notFound()
  const raw = await c.req.parseBody()
  const text = (k: string) => (typeof raw[k] === 'string' ? raw[k] : '')
  const canned = getCategory(ticket.category)?.cannedReplies.find((r) => r.key === text('canned'))
  if (!wantsFragment(c)) return c.redirect(`/tickets/${caseNumber}${canned ? `?canned=${encodeURIComponent(canned.key)}` : ''}`, 303)
  const typed = text('body')
  const insert = canned ? canned.body[ticket.locale === 'en' ? 'en' : 'zh-CN'] : ''
  const body = !insert ? typed : typed.trim() ? `${typed.trimEnd()}\n\n${insert}` : insert
  // The version the agent's page was built on stays, so a reply to a ticket that moved meanwhile is still a 409.
  const version = /^\d{1,9}$/.test(text('version')) ? text('version') : String(ticket.version)
  return render(c, 'tickets/_replyForm', { base: `/tickets/${caseNumber}`, version, body, bodyError: null, error: null })
})

ticketsRoutes.get('/tickets/:case/history', staffOnly, async (c) => {
  const { db } = c.get('deps')
  const ticket = await ticketForStaff(db, caseParam(c))
  if (!ticket) throw notFound()
  const events = await eventsWithActors(db, ticket.id)
  const names = await staffNames(db)
  return render(c, 'tickets/history', {
    caseNumber: ticket.case_number,
    events: events.map((e) => historyView(e, c.get('t'), c.get('locale'), names)),
  })
})

// The timeline shows the newest TIMELINE_PAGE events; the rest come a page at a time, in place
// with htmx (the rows only) or as a page of their own without JavaScript.
const TIMELINE_PAGE = 50

/** One page of `timelineEvents(…, TIMELINE_PAGE + 1)`: the events shown, and the link to the rest if any. */
function timelinePage(events: EventRow[], caseNumber: string): { shown: EventRow[]; earlier: string | null } {
  const shown = events.slice(0, TIMELINE_PAGE)
  const last = shown[shown.length - 1]
  return { shown, earlier: events.length > TIMELINE_PAGE && last ? `/tickets/${caseNumber}/timeline?before=${last.id}` : null }
}

ticketsRoutes.get('/tickets/:case/timeline', staffOnly, async (c) => {
  const { db } = c.get('deps')
  const caseNumber = caseParam(c)
  const before = c.req.query('before') ?? ''
  if (!/^[1-9]\d{0,15}$/.test(before) || !Number.isSafeInteger(Number(before))) throw new HttpError(400, 'error.400')
  const ticket = await ticketForStaff(db, caseNumber)
  if (!ticket) throw notFound()
  const t = c.get('t')
  const locale = c.get('locale')
  const { shown, earlier } = timelinePage(await timelineEvents(db, ticket.id, Number(before), TIMELINE_PAGE + 1), ticket.case_number)
  const names = await staffNames(db)
  return render(
    c,
    'tickets/timeline',
    {
      caseNumber: ticket.case_number,
      items: shown.map((e) => timelineView(e, t, locale, names, (text) => (text === null ? '' : redact(text)))),
      earlier,
    },
    { fragment: 'tickets/_timelineItems' },
  )
})

ticketsRoutes.get('/tickets/:case/evidence/:id', staffOnly, async (c) => {
  const { db, config } = c.get('deps')
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id < 1) throw notFound()
  const row = await evidenceForStaff(db, signedIn(c), caseParam(c), id)
  if (!row) throw notFound()
  return evidenceResponse(localEvidenceStore(config.evidenceDir), row)
})

/**
 * Restricts a complainant's file as an ID document (sent as ordinary evidence by mistake), or lifts
 * the restriction. Only someone who can see the file may change it, so lifting needs the assignee,
 * a manager or an admin; both are recorded as internal events.
 */
ticketsRoutes.post('/tickets/:case/evidence/:id/sensitive', staffOnly, async (c) => {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id < 1) throw notFound()
  const caseNumber = caseParam(c)
  const form = await c.req.parseBody()
  const wanted = form['sensitive'] === '1' ? 1 : form['sensitive'] === '0' ? 0 : null
  if (wanted === null) throw new HttpError(400, 'error.400')
  const ticket = await db.selectFrom('tickets').select('id').where('case_number', '=', caseNumber).executeTakeFirst()
  if (!ticket) throw notFound()
  await recordOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    actor: staffActor(user),
    now: clock(),
    input: async (trx) => {
      const row = await evidenceForStaff(trx, user, caseNumber, id)
      if (!row || row.uploaded_by_type !== 'complainant') throw notFound()
      if (row.sensitive === wanted) return null
      await trx.updateTable('evidence').set({ sensitive: wanted }).where('id', '=', row.id).execute()
      return { type: 'restrict_evidence', evidenceId: row.id, sensitive: wanted === 1 }
    },
  })
  return c.redirect(`/tickets/${caseNumber}#evidence`, 303)
})

/** Shows the unmasked numbers once, and records who looked; the ticket itself does not change. */
ticketsRoutes.post('/tickets/:case/reveal', staffOnly, async (c) => {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const ticket = await ticketForStaff(db, caseParam(c))
  if (!ticket) throw notFound()
  await recordOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    actor: staffActor(user),
    now: clock(),
    input: { type: 'reveal', fields: sensitiveFields(ticket) },
  })
  return renderWorkspace(c, ticket.case_number, { revealed: true })
})

function sensitiveFields(t: StaffTicket): string[] {
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

// ---------------------------------------------------------------------------------------------
// Actions

ticketsRoutes.post('/tickets/:case/actions/:action', staffOnly, async (c) => {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const t = c.get('t')
  const caseNumber = caseParam(c)
  const action = c.req.param('action')
  if (!isFormAction(action)) throw notFound()
  const ticket = await db.selectFrom('tickets').selectAll().where('case_number', '=', caseNumber).executeTakeFirst()
  if (!ticket) throw notFound()

  const raw = await c.req.parseBody()
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') values[k] = v
  const invalid = (errors: FieldErrors, status: ContentfulStatusCode = 422, message: string | null = t('form.errorsTitle')) =>
    renderWorkspace(c, caseNumber, { status, form: { action, values, errors, message } })

  const parsed = ACTION_SCHEMAS[action].safeParse(values)
  if (!parsed.success) return invalid(fieldErrors(parsed.error))
  const built = await buildInput(c, action, parsed.data as never, ticket)
  if ('errors' in built) return invalid(built.errors, 422, built.message ?? t('form.errorsTitle'))

  const actor: Actor = staffActor(user)
  const seen = (parsed.data as { version: number }).version
  const now = clock()
  const { baseUrl } = c.get('deps').config
  const input = built.input
  const result = await actOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    expectedVersion: seen,
    input,
    actor,
    now,
    notify: { baseUrl },
  })
  if (result.ok) return c.redirect(`/tickets/${caseNumber}`, 303)
  if (result.kind === 'not_found') throw notFound()
  if (result.kind === 'stale') {
    return renderWorkspace(c, caseNumber, {
      status: 409,
      form: { action, values: { ...values, version: String(result.ticket.version) }, errors: {}, message: t('refusal.stale') },
      staleSince: seen,
    })
  }
  const message = t(`refusal.${result.refusal.code}` as MessageKey, {
    status: t(`status.${result.ticket.status}` as MessageKey),
  })
  return invalid({}, result.refusal.httpStatus, message)
})

type Built = { input: ActionInput } | { errors: FieldErrors; message?: string }

async function buildInput(
  c: Context<AppEnv>,
  action: FormAction,
  data: Record<string, unknown>,
  ticket: { id: number; currency: string },
): Promise<Built> {
  const { db } = c.get('deps')
  const t = c.get('t')
  const s = (k: string) => data[k] as string
  const n = (k: string) => (data[k] as string | null) ?? null
  switch (action) {
    case 'assign': {
      if (s('assignee') === 'none') return { input: { type: 'assign', assigneeId: null } }
      const id = Number(s('assignee'))
      const staff = await db.selectFrom('users').select('id').where('id', '=', id).where('active', '=', 1).executeTakeFirst()
      if (!staff) return { errors: { assignee: 'form.invalidChoice' } }
      return { input: { type: 'assign', assigneeId: id } }
    }
    case 'reply':
    case 'note':
    case 'request_info':
      return { input: { type: action, body: s('body') } }
    case 'record_contact':
      return { input: { type: 'record_contact', body: s('body'), externalRef: n('external_ref'), outcome: s('outcome') as never } }
    case 'propose_resolution': {
      const amount = n('amount_recovered')
      let minor: number | null = null
      if (amount !== null) {
        minor = decimalToMinor(amount, currencyExponent(ticket.currency))
        if (minor === null) return { errors: { amount_recovered: 'tickets.form.amountInvalid' } }
      }
      return { input: { type: 'propose_resolution', body: s('body'), relief: s('relief') as never, amountRecoveredMinor: minor } }
    }
    case 'escalate':
      return { input: { type: 'escalate', reason: s('reason') as never, note: n('note'), externalRef: n('external_ref') } }
    case 'close': {
      let duplicateOfId: number | null = null
      const ref = n('duplicate_of')
      if (s('outcome') === 'duplicate' && ref !== null) {
        const other = normalizeCaseNumber(ref)
        const row = other
          ? await db.selectFrom('tickets').select('id').where('case_number', '=', other).executeTakeFirst()
          : undefined
        if (!row) return { errors: { duplicate_of: 'tickets.form.caseNotFound' } }
        if (row.id === ticket.id) {
          return { errors: { duplicate_of: 'refusal.duplicate_of_self' }, message: t('refusal.duplicate_of_self') }
        }
        duplicateOfId = row.id
      }
      return { input: { type: 'close', outcome: s('outcome') as never, note: n('note'), duplicateOfId } }
    }
    case 'reopen':
      return { input: { type: 'reopen', note: n('note') } }
    case 'set_priority':
      return { input: { type: 'set_priority', priority: s('priority') as never } }
    case 'mark_complex':
      return { input: { type: 'mark_complex', complex: s('complex') === '1' } }
    case 'set_reminder': {
      const date = n('reminder_at')
      // A reminder date falls due at the end of that day in the office's time zone.
      if (date !== null && addLocalDays(date, 0) !== date) return { errors: { reminder_at: 'tickets.form.dateInvalid' } }
      const at = date ? startOfLocalDay(addLocalDays(date, 1), DISPLAY_TIME_ZONE) - 1 : null
      return { input: { type: 'set_reminder', reminderAt: at } }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering the workspace


async function renderWorkspace(c: Context<AppEnv>, caseNumber: string, opts: WorkspaceOptions): Promise<Response> {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const t = c.get('t')
  const locale = c.get('locale')
  const now = clock()
  const ticket = await ticketForStaff(db, caseNumber)
  if (!ticket) throw notFound()
  const [stages, events, evidence, hidden, contacts, duplicates, duplicateOf, staff, names, deadlines] = await Promise.all([
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
  const revealed = opts.revealed === true
  const mask = (s: string | null) => (s === null ? '' : revealed ? s : redact(s))
  const actor: Actor = { kind: 'staff', role: user.role, userId: user.id }
  const available = availableActions(ticketState(ticket), actor)
  const category = getCategory(ticket.category)
  const cannedReplies = (category?.cannedReplies ?? []).map((r) => ({ key: r.key, title: r.title[locale] }))
  const complainantLocale: Locale = ticket.locale === 'en' ? 'en' : 'zh-CN'
  const canned = opts.canned ? category?.cannedReplies.find((r) => r.key === opts.canned) : undefined
  const selfHelp = (JSON.parse(ticket.self_help) as unknown[]).filter((k): k is string => typeof k === 'string')
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
    reminderValue: ticket.reminder_at === null ? '' : localDate(ticket.reminder_at, DISPLAY_TIME_ZONE),
    levelHasClock: deadlines.policy.levels[ticket.level as Level]?.answer !== null,
    complexDays: complexDaysOf(deadlines.policy, ticket.level as Level),
    due: dueView(ticket, now, locale),
    phase,
    windows: complainantWindows(
      { proposedAt: ticket.proposed_at, occurredAt: ticket.occurred_at, disputeWindowDays: DISPUTE_WINDOW_DAYS },
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
      recovered: formatMoney(ticket.amount_recovered_minor, ticket.currency, locale),
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
      phone: ticket.complainant_phone === null ? '' : revealed ? ticket.complainant_phone : maskPhone(ticket.complainant_phone),
      locale: complainantLocale,
    },
    selfHelp: selfHelp.map((key) => category?.selfHelp.find((i) => i.key === key)?.text[locale] ?? key),
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
      by: k.recorded_by_type === 'staff' ? (names.get(k.recorded_by_user_id ?? 0) ?? '') : t('tickets.actor.complainant'),
    })),
    evidence: evidence.map((e) => ({
      id: e.id,
      url: `/tickets/${ticket.case_number}/evidence/${e.id}`,
      name: e.original_name,
      mime: e.mime,
      image: e.mime.startsWith('image/'),
      pdf: e.mime === 'application/pdf',
      sha256: e.sha256,
      size: formatBytes(e.size),
      sensitive: e.sensitive === 1,
      // Only the complainant's own files; what staff attach is theirs to choose.
      restrictable: e.uploaded_by_type === 'complainant',
      when: formatDateTime(e.created_at, locale),
    })),
    hiddenEvidence: hidden,
    timeline: shown.map((e) => timelineView(e, t, locale, names, mask)),
    timelineEarlier: earlier,
    actions: available,
    staff,
    cannedReplies,
    replyPrefill: canned ? canned.body[complainantLocale] : '',
    cannedKey: canned?.key ?? '',
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
  }
  return render(c, 'tickets/show', { ws, title: ticket.case_number }, { status: opts.status, fragment: 'tickets/_workspace' })
}

function complexDaysOf(policy: DeadlinePolicy, level: Level): number | null {
  return policy.levels[level]?.answer?.complexDays ?? null
}

function eventVersion(e: EventRow): number {
  try {
    const v = (JSON.parse(e.payload) as { version?: unknown }).version
    return typeof v === 'number' ? v : 0
  } catch {
    return 0
  }
}

function actorLabel(e: EventRow, t: Translate): string {
  if (e.actor_type === 'staff') return e.actor_name ?? t('tickets.actor.staff')
  return e.actor_type === 'complainant' ? t('tickets.actor.complainant') : t('tickets.actor.system')
}

const tr = (t: Translate, key: string) => t(key as MessageKey)

/** A short line of what an event carried (reason, outcome, amount…), already translated. */
function eventDetails(e: EventRow, t: Translate, locale: Locale, staffNames: ReadonlyMap<number, string>): string[] {
  let p: Record<string, unknown> = {}
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>
  } catch {
    return []
  }
  const out: string[] = []
  const from = p['from'] as Record<string, unknown> | undefined
  const to = p['to'] as Record<string, unknown> | undefined
  if (typeof p['reason'] === 'string') out.push(tr(t, `reason.${p['reason']}`))
  if (typeof p['outcome'] === 'string') {
    out.push(tr(t, e.type === 'closed' ? `closeOutcome.${p['outcome']}` : `bodyOutcome.${p['outcome']}`))
  }
  if (typeof p['relief'] === 'string') out.push(tr(t, `relief.${p['relief']}`))
  if (typeof p['externalRef'] === 'string' && p['externalRef']) out.push(t('tickets.externalRef', { ref: p['externalRef'] }))
  if (e.type === 'assigned' && to) {
    const id = to['assigneeId']
    out.push(typeof id === 'number' ? t('tickets.assignedTo', { name: staffNames.get(id) ?? `#${id}` }) : t('tickets.unassigned'))
  }
  if (e.type === 'priority_set' && to) out.push(tr(t, `priority.${String(to['priority'])}`))
  if (e.type === 'complex_marked') {
    out.push((p['complex'] as { to?: boolean } | undefined)?.to ? t('tickets.complex.on') : t('tickets.complex.off'))
  }
  if (e.type === 'reminder_set') {
    const at = (p['reminderAt'] as { to?: number | null } | undefined)?.to
    out.push(typeof at === 'number' ? formatDateTime(at, locale) : t('tickets.reminder.cleared'))
  }
  if (e.type === 'dossier_generated') out.push(p['masked'] === false ? t('dossier.auditUnmasked') : t('dossier.auditMasked'))
  if ((e.type === 'evidence_restricted' || e.type === 'evidence_unrestricted') && typeof p['evidenceId'] === 'number') {
    out.push(t('tickets.evidence.file', { id: p['evidenceId'] }))
  }
  if (e.type === 'revealed' && Array.isArray(p['fields'])) out.push(t('tickets.revealedFields', { fields: p['fields'].join(', ') }))
  if (from && to && from['status'] !== to['status']) {
    out.push(`${tr(t, `status.${String(from['status'])}`)} → ${tr(t, `status.${String(to['status'])}`)}`)
  }
  return out
}

function timelineView(e: EventRow, t: Translate, locale: Locale, staffNames: ReadonlyMap<number, string>, mask: (s: string | null) => string) {
  return {
    id: e.id,
    type: e.type,
    title: tr(t, `event.${e.type}`),
    internal: e.visibility === 'internal',
    actor: actorLabel(e, t),
    when: formatDateTime(e.created_at, locale),
    body: mask(e.body),
    details: eventDetails(e, t, locale, staffNames),
  }
}

function historyView(e: EventRow, t: Translate, locale: Locale, staffNames: ReadonlyMap<number, string>) {
  let p: Record<string, unknown> = {}
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>
  } catch {
    // An unreadable payload still lists the event itself.
  }
  const snap = (s: unknown) => {
    if (!s || typeof s !== 'object') return ''
    const o = s as Record<string, unknown>
    const parts: string[] = []
    if (typeof o['status'] === 'string') parts.push(tr(t, `status.${o['status']}`))
    if (typeof o['level'] === 'string') parts.push(tr(t, `level.${o['level']}`))
    if (typeof o['priority'] === 'string') parts.push(tr(t, `priority.${o['priority']}`))
    if ('assigneeId' in o) {
      const id = o['assigneeId']
      parts.push(typeof id === 'number' ? (staffNames.get(id) ?? `#${id}`) : t('tickets.unassigned'))
    }
    return parts.join(' · ')
  }
  return {
    id: e.id,
    type: e.type,
    title: tr(t, `event.${e.type}`),
    internal: e.visibility === 'internal',
    actor: actorLabel(e, t),
    when: formatDateTime(e.created_at, locale),
    before: snap(p['from']),
    after: snap(p['to']),
    details: eventDetails(e, t, locale, staffNames),
    body: e.body === null ? '' : redact(e.body),
  }
}
