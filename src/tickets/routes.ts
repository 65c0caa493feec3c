// The ticket page over HTTP: the page, its actions, reveal, evidence and history. Handlers stay
// thin: the form-to-input translation, the page's view model and the change module do the work.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../http/env.js'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { getCategory } from '../domain/categories.js'
import { redact } from '../domain/redaction.js'
import { localEvidenceStore } from '../evidence/store.js'
import { evidenceResponse } from '../evidence/serve.js'
import { previewKind, previewResponse } from '../evidence/preview.js'
import { HttpError, notFound } from '../http/errors.js'
import {
  firstValue,
  submittedValues,
  validForm,
  validQuery,
  type FieldErrors,
  type FormValues,
} from '../http/forms.js'
import { render, wantsFragment } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { actOnTicket, recordOnTicket } from '../change/ticketChanges.js'
import { ticketState } from '../change/ticketState.js'
import { decide } from '../domain/lifecycle.js'
import { attachmentForm, attachmentWriter, sentWithFiles, takesAttachments } from './attachments.js'
import { ACTION_SCHEMAS, FORM_ACTIONS } from './schemas.js'
import {
  eventsWithActors,
  evidenceForStaff,
  timelineEvents,
  staffNames,
  visibleEvidence,
} from './workspace.js'
import { evidenceItems, filesByEvent, uploadLimits } from './evidenceView.js'
import { findTicket } from './findTicket.js'
import { refusalText } from './refusalText.js'
import { actionInput } from './actionInput.js'
import { historyView, timelineView } from './eventViews.js'
import { caseParam, mayReveal, signedIn, staffActor, staffOnly } from './staff.js'
import { beatAndLook, presenceView } from './presence.js'
import { renderTicketPage, sensitiveFields, TIMELINE_PAGE, timelinePage } from './ticketPage.js'
import { staleFormPage } from './staleForm.js'
import { CONFIRM_FIELD, CONFIRMED, confirmEscalation } from './escalateConfirm.js'

export const ticketsRoutes = new Hono<AppEnv>()

ticketsRoutes.get('/tickets/:case', staffOnly, async (c) => {
  const canned = c.req.query('canned') ?? null
  return renderTicketPage(c, caseParam(c), { canned })
})

// Inserting a canned reply with htmx: only the reply form comes back, the chosen text added
// after what the agent had already typed, so no unsent text anywhere on the page is lost.
// (Without JavaScript the canned form is a plain GET of the page with the reply pre-filled.)
// A draft is never refused: what cannot be read is left out.
const draftText = z.string().catch('')
const replyDraft = validForm(
  z.object({
    canned: draftText,
    body: draftText,
    version: z
      .string()
      .regex(/^\d{1,9}$/)
      .optional()
      .catch(undefined),
  }),
  () => {
    throw new HttpError(400, 'error.400')
  },
)

ticketsRoutes.post('/tickets/:case/reply-draft', staffOnly, replyDraft, async (c) => {
  const { db } = c.get('deps')
  const caseNumber = caseParam(c)
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) throw notFound()
  const draft = c.req.valid('form')
  const canned = getCategory(ticket.category)?.cannedReplies.find((r) => r.key === draft.canned)
  if (!wantsFragment(c))
    return c.redirect(
      `/tickets/${caseNumber}${canned ? `?canned=${encodeURIComponent(canned.key)}` : ''}`,
      303,
    )
  const typed = draft.body
  const insert = canned ? canned.body[ticket.locale === 'en' ? 'en' : 'zh-CN'] : ''
  const body = !insert ? typed : typed.trim() ? `${typed.trimEnd()}\n\n${insert}` : insert
  // The version the agent's page was built on stays, so a reply to a ticket that moved meanwhile is still a 409.
  const version = draft.version ?? String(ticket.version)
  return render(c, 'tickets/_replyForm', {
    base: `/tickets/${caseNumber}`,
    version,
    body,
    bodyError: null,
    error: null,
    files: { action: 'reply', limits: uploadLimits(c.get('deps').config), error: null },
  })
})

// The open page's heartbeat (htmx polling, and the reply form while the agent types): records
// that the agent is here and answers with who else is. Without htmx there is nothing to poll.
ticketsRoutes.post('/tickets/:case/presence', staffOnly, async (c) => {
  const { db, clock } = c.get('deps')
  const caseNumber = caseParam(c)
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) throw notFound()
  if (!wantsFragment(c)) return c.redirect(`/tickets/${caseNumber}`, 303)
  const others = await beatAndLook(db, {
    ticketId: ticket.id,
    userId: signedIn(c).id,
    now: clock(),
    typing: c.req.query('typing') === '1',
  })
  return render(c, 'tickets/_presence', {
    presence: presenceView(`/tickets/${caseNumber}`, others),
  })
})

ticketsRoutes.get('/tickets/:case/history', staffOnly, async (c) => {
  const { db } = c.get('deps')
  const ticket = await findTicket(db, caseParam(c))
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
const timelineQuery = validQuery(
  z.object({
    before: firstValue(
      z
        .string()
        .regex(/^[1-9]\d{0,15}$/)
        .transform(Number)
        .refine(Number.isSafeInteger),
    ),
  }),
  () => {
    throw new HttpError(400, 'error.400')
  },
)

ticketsRoutes.get('/tickets/:case/timeline', staffOnly, timelineQuery, async (c) => {
  const { db } = c.get('deps')
  const caseNumber = caseParam(c)
  const { before } = c.req.valid('query')
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) throw notFound()
  const t = c.get('t')
  const locale = c.get('locale')
  const { shown, earlier } = timelinePage(
    await timelineEvents(db, ticket.id, before, TIMELINE_PAGE + 1),
    ticket.case_number,
  )
  const names = await staffNames(db)
  const files = filesByEvent(
    evidenceItems(await visibleEvidence(db, signedIn(c), ticket), {
      caseNumber: ticket.case_number,
      t,
      locale,
      names,
    }),
  )
  return render(
    c,
    'tickets/timeline',
    {
      caseNumber: ticket.case_number,
      items: shown.map((e) => ({
        ...timelineView(e, t, locale, names, (text) => (text === null ? '' : redact(text))),
        files: files.get(e.id) ?? [],
      })),
      earlier,
    },
    { fragment: 'tickets/_timelineItems' },
  )
})

/** A file of the case this user may see; opening an ID document (to save or to preview) is recorded. */
async function openEvidence(c: Context<AppEnv>, shown: (mime: string) => boolean = () => true) {
  const { db, clock } = c.get('deps')
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id < 1) throw notFound()
  const user = signedIn(c)
  const row = await evidenceForStaff(db, user, caseParam(c), id)
  if (!row || !shown(row.mime)) throw notFound()
  // An ID document is never opened unseen: who opened it and when goes on the case's record.
  if (row.sensitive === 1) {
    await recordOnTicket(c.get('deps'), {
      ticketId: row.ticket_id,
      actor: staffActor(user),
      now: clock(),
      input: { type: 'open_sensitive_evidence', evidenceId: row.id },
    })
  }
  return row
}

ticketsRoutes.get('/tickets/:case/evidence/:id', staffOnly, async (c) => {
  const row = await openEvidence(c)
  return evidenceResponse(localEvidenceStore(c.get('deps').config.evidenceDir), row)
})

// Shown on the page (the ticket page's viewer) rather than saved; a type without a preview is a 404.
ticketsRoutes.get('/tickets/:case/evidence/:id/preview', staffOnly, async (c) => {
  const row = await openEvidence(c, (mime) => previewKind(mime) !== null)
  const store = localEvidenceStore(c.get('deps').config.evidenceDir)
  return previewResponse(store, row, c.get('t'), c.get('locale'))
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
  const ticket = await findTicket(db, caseNumber)
  if (!ticket) throw notFound()
  await recordOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    actor: staffActor(user),
    now: clock(),
    input: async (trx) => {
      const row = await evidenceForStaff(trx, user, caseNumber, id)
      if (!row || row.uploaded_by_type !== 'complainant') throw notFound()
      if (row.sensitive === wanted) return null
      await trx
        .updateTable('evidence')
        .set({ sensitive: wanted })
        .where('id', '=', row.id)
        .execute()
      return { type: 'restrict_evidence', evidenceId: row.id, sensitive: wanted === 1 }
    },
  })
  return c.redirect(`/tickets/${caseNumber}#evidence`, 303)
})

/** Shows the unmasked numbers once, and records who looked; the ticket itself does not change. */
ticketsRoutes.post('/tickets/:case/reveal', mayReveal, async (c) => {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const ticket = await findTicket(db, caseParam(c))
  if (!ticket) throw notFound()
  await recordOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    actor: staffActor(user),
    now: clock(),
    input: { type: 'reveal', fields: sensitiveFields(ticket) },
  })
  return renderTicketPage(c, ticket.case_number, { revealed: true })
})

// ---------------------------------------------------------------------------------------------
// Actions: one route per action form, each validated by its own schema.

// The escalation's confirmation page by a link (the form's own POST shows it too); it changes nothing.
ticketsRoutes.get(
  '/tickets/:case/actions/escalate',
  staffOnly,
  validQuery(ACTION_SCHEMAS.escalate, (c: Context<AppEnv>, errors, values) =>
    renderTicketPage(c, caseParam(c), {
      status: 422,
      form: { action: 'escalate', values, errors, message: c.get('t')('form.errorsTitle') },
    }),
  ),
  async (c) => {
    const ticket = await findTicket(c.get('deps').db, caseParam(c))
    if (!ticket) throw notFound()
    const data = c.req.valid('query')
    const built = await actionInput(c, 'escalate', data, ticket)
    if ('errors' in built || built.input.type !== 'escalate') throw new HttpError(400, 'error.400')
    return confirmEscalation(c, ticket, built.input, data.version, c.req.query())
  },
)

/** The strings of a submitted form, to put back into the re-rendered action form. */
const textValues = (values: FormValues): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )

for (const action of FORM_ACTIONS) {
  const invalidForm = (c: Context<AppEnv>, errors: FieldErrors, values: FormValues) =>
    renderTicketPage(c, caseParam(c), {
      status: 422,
      form: { action, values: textValues(values), errors, message: c.get('t')('form.errorsTitle') },
    })
  // A reply, a request for information and a proposal may carry files (tickets/attachments.ts).
  const readAction = takesAttachments(action)
    ? (attachmentForm(action, invalidForm) as ReturnType<typeof validForm<z.ZodType, AppEnv>>)
    : validForm(ACTION_SCHEMAS[action], invalidForm)
  ticketsRoutes.post(`/tickets/:case/actions/${action}`, staffOnly, readAction, async (c) => {
    const { db, clock, config } = c.get('deps')
    const t = c.get('t')
    const caseNumber = caseParam(c)
    const ticket = await findTicket(db, caseNumber)
    if (!ticket) throw notFound()
    const data = c.req.valid('form') as Record<string, unknown> & { version: number }
    const sent = sentWithFiles(c)
    const values = sent?.values ?? textValues(await submittedValues(c))
    const refuse = (status: ContentfulStatusCode, errors: FieldErrors, message: string) =>
      renderTicketPage(c, caseNumber, { status, form: { action, values, errors, message } })

    const built = await actionInput(c, action, data, ticket)
    if ('errors' in built) return refuse(422, built.errors, built.message ?? t('form.errorsTitle'))
    if (built.input.type === 'escalate' && data[CONFIRM_FIELD] !== CONFIRMED)
      return confirmEscalation(c, ticket, built.input, data.version, values)
    const actor = staffActor(signedIn(c))
    const now = clock()
    // Files are stored only for an action that will be done: a stale or refused one (the
    // same ticket, so the same decision) leaves nothing behind.
    const alsoWrite = await attachmentWriter(
      c,
      sent?.files ?? [],
      actor.userId,
      now,
      data.version === ticket.version && decide(ticketState(ticket), built.input, actor, now).ok,
    )
    const result = await actOnTicket(c.get('deps'), {
      ticketId: ticket.id,
      expectedVersion: data.version,
      input: built.input,
      actor,
      now,
      notify: { baseUrl: config.baseUrl },
      alsoWrite,
    })
    if (result.ok) return c.redirect(`/tickets/${caseNumber}`, 303)
    if (result.kind === 'not_found') throw notFound()
    if (result.kind === 'stale')
      return staleFormPage(c, caseNumber, { action, values }, data.version, result.ticket.version)
    const message = refusalText(t, result.refusal.code, result.ticket.status)
    return refuse(result.refusal.httpStatus, {}, message)
  })
}
