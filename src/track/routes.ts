import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { actOnTicket } from '../change/ticketChanges.js'
import { ticketState } from '../change/ticketState.js'
import { readEvidenceForm } from '../evidence/form.js'
import { insertComplainantEvidence } from '../change/evidenceRows.js'
import { checkFields, cleaned, formOnly, readForm, seeOther, validForm } from '../http/forms.js'
import type { Ticket } from '../db/schema.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import type { ActionInput } from '../domain/actions.js'
import { decide } from '../domain/lifecycle.js'
import { cleanText } from '../domain/text.js'
import { evidenceResponse } from '../evidence/serve.js'
import { previewResponse } from '../evidence/preview.js'
import { localEvidenceStore } from '../evidence/store.js'
import {
  checkEvidenceForm,
  evidenceLimits,
  storeUploads,
  withoutFiles,
  type AcceptedFile,
  type EvidenceForm,
} from '../evidence/upload.js'
import type { AppEnv } from '../http/env.js'
import { HttpError, notFound } from '../http/errors.js'
import type { FieldErrors, FormValues } from '../http/forms.js'
import { afterReply } from '../http/afterReply.js'
import { clientIp, hitRateLimits } from '../http/rateLimit.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { trackingPath } from '../mail/trackingLink.js'
import { trackFieldSchemas } from './actionSchemas.js'
import { reissueTrackingLink } from './lostLink.js'
import { lostLinkLimits } from './lostLinkLimits.js'
import { ticketByToken, visibleEvidenceById } from './queries.js'
import { trackPageData, type ActionFeedback, type TrackAction } from './view.js'

export const trackRoutes = new Hono<AppEnv>()

const COMPLAINANT = { kind: 'complainant' } as const

async function openCase(c: Context<AppEnv>): Promise<{ ticket: Ticket; token: string }> {
  const token = c.req.param('token') ?? ''
  const ticket = await ticketByToken(c.get('deps').db, token, c.get('deps').clock())
  if (!ticket) throw notFound()
  // The URL is the secret: keep it out of search engines and shared caches.
  c.header('X-Robots-Tag', 'noindex, nofollow')
  return { ticket, token }
}

async function trackPage(
  c: Context<AppEnv>,
  ticket: Ticket,
  token: string,
  status: 200 | 409 | 403 | 422 = 200,
  feedback?: Partial<ActionFeedback>,
) {
  const data = await trackPageData(c, c.get('deps').db, ticket, token, feedback)
  return render(c, 'track/show', data, { status, fragment: 'track/_actions' })
}

trackRoutes.get('/track/:token', async (c) => {
  const { ticket, token } = await openCase(c)
  return trackPage(c, ticket, token)
})

trackRoutes.get('/track/:token/evidence/:id{[0-9]{1,15}}', async (c) => {
  const { ticket } = await openCase(c)
  const { db, config } = c.get('deps')
  const row = await visibleEvidenceById(db, ticket.id, Number(c.req.param('id')))
  if (!row) throw notFound()
  return evidenceResponse(localEvidenceStore(config.evidenceDir), row)
})

// Shown on the page rather than saved: the complainant's viewer, as on the ticket page.
trackRoutes.get('/track/:token/evidence/:id{[0-9]{1,15}}/preview', async (c) => {
  const { ticket } = await openCase(c)
  const { db, config } = c.get('deps')
  const row = await visibleEvidenceById(db, ticket.id, Number(c.req.param('id')))
  if (!row) throw notFound()
  const store = localEvidenceStore(config.evidenceDir)
  return previewResponse(store, row, c.get('t'), c.get('locale'))
})

// ---- The complainant's actions: each one goes through the lifecycle via applyAction. ----

/** Fields with lines (textareas); every other is a single line. */
const MULTILINE_FIELDS = new Set(['body', 'reason', 'summary'])
/** A field as typed, without invisible and direction-changing characters (src/domain/text.ts). */
const text = (v: FormData, name: string) => {
  const x = v.get(name)
  return typeof x === 'string'
    ? cleanText(x, { singleLine: !MULTILINE_FIELDS.has(name) }).trim()
    : ''
}

interface Parsed {
  input: ActionInput
  errors: FieldErrors
  values: FormValues
  files?: AcceptedFile[]
  fileProblems?: string[]
  contact?: { contactedAt: number; channel: string; summary: string; externalRef: string | null }
}

function parseAction(c: Context<AppEnv>, action: TrackAction, received: EvidenceForm): Parsed {
  if (action === 'add_evidence') return parseEvidence(c, received)
  const form = received.fields
  const values: FormValues = {}
  for (const k of ['body', 'reason', 'contacted_at', 'channel', 'summary', 'external_ref'])
    values[k] = text(form, k)
  const v = (k: string) => values[k] as string
  const schemas = trackFieldSchemas(c.get('deps').clock())
  const fields = { ...values, confirm: text(form, 'confirm') }
  // The lifecycle judges the action from what was typed, valid or not: its refusal comes first.
  const errorsOf = (checked: { ok: true } | { ok: false; errors: FieldErrors }) =>
    checked.ok ? {} : checked.errors
  switch (action) {
    case 'comment':
      return {
        input: { type: 'comment', body: v('body') },
        errors: errorsOf(checkFields(schemas.comment, fields)),
        values,
      }
    case 'accept':
      return {
        input: { type: 'accept', reason: v('reason') || null },
        errors: errorsOf(checkFields(schemas.accept, fields)),
        values,
      }
    case 'dispute':
      return {
        input: { type: 'dispute', reason: v('reason') },
        errors: errorsOf(checkFields(schemas.dispute, fields)),
        values,
      }
    case 'withdraw':
      return {
        input: { type: 'withdraw', reason: v('reason') || null },
        errors: errorsOf(checkFields(schemas.withdraw, fields)),
        values,
      }
    case 'log_contact': {
      const checked = checkFields(schemas.log_contact, fields)
      return {
        input: { type: 'log_contact', summary: v('summary') },
        errors: errorsOf(checked),
        values,
        contact: checked.ok
          ? {
              contactedAt: checked.data.contacted_at,
              channel: checked.data.channel,
              summary: checked.data.summary,
              externalRef: checked.data.external_ref || null,
            }
          : undefined,
      }
    }
  }
}

function parseEvidence(c: Context<AppEnv>, received: EvidenceForm): Parsed {
  const uploads = checkEvidenceForm(received, evidenceLimits(c.get('deps').config))
  const t = c.get('t')
  const errors: FieldErrors = {}
  if (uploads.problemField) errors[uploads.problemField] = uploads.problems[0]!.key
  else if (!uploads.files.length) errors['evidence'] = 'track.error.noFiles'
  return {
    input: { type: 'add_evidence', fileCount: uploads.files.length },
    errors,
    values: {},
    files: uploads.files,
    fileProblems: uploads.problems.map((p) => t(p.key, p.params)),
  }
}

function refusalMessage(c: Context<AppEnv>, code: string, ticket: Ticket): string {
  const t = c.get('t')
  return t(`refusal.${code}` as MessageKey, { status: t(`status.${ticket.status}` as MessageKey) })
}

const ROUTES: Record<string, TrackAction> = {
  messages: 'comment',
  evidence: 'add_evidence',
  contacts: 'log_contact',
  accept: 'accept',
  dispute: 'dispute',
  withdraw: 'withdraw',
}

trackRoutes.post(
  '/track/:token/:what{messages|evidence|contacts|accept|dispute|withdraw}',
  async (c) => {
    const action = ROUTES[c.req.param('what')]!
    const { ticket, token } = await openCase(c)
    const form =
      action === 'add_evidence' ? await readEvidenceForm(c) : withoutFiles(await readForm(c))
    try {
      return await act(c, action, ticket, token, form)
    } finally {
      await form.discard()
    }
  },
)

async function act(
  c: Context<AppEnv>,
  action: TrackAction,
  ticket: Ticket,
  token: string,
  form: EvidenceForm,
): Promise<Response> {
  const { db, config, clock } = c.get('deps')
  const parsed = parseAction(c, action, form)
  const now = clock()

  // The lifecycle's verdict first: a form for an action the status does not allow gets that
  // explanation, and evidence for such an action is never stored.
  const verdict = decide(ticketState(ticket), parsed.input, COMPLAINANT, now)
  if (!verdict.ok && verdict.httpStatus !== 422) {
    return trackPage(c, ticket, token, verdict.httpStatus, {
      message: refusalMessage(c, verdict.code, ticket),
    })
  }
  if (Object.keys(parsed.errors).length) {
    return trackPage(c, ticket, token, 422, {
      action,
      errors: parsed.errors,
      values: parsed.values,
      fileProblems: parsed.fileProblems ?? [],
    })
  }

  const stored = parsed.files?.length
    ? await storeUploads(localEvidenceStore(config.evidenceDir), parsed.files)
    : []
  const result = await actOnTicket(c.get('deps'), {
    ticketId: ticket.id,
    expectedVersion: null,
    input: parsed.input,
    actor: COMPLAINANT,
    now,
    notify: { baseUrl: config.baseUrl },
    alsoWrite: async (trx, { ticket: updated, eventId }) => {
      await insertComplainantEvidence(trx, updated.id, eventId, stored, now)
      if (parsed.contact) {
        await trx
          .insertInto('contact_attempts')
          .values({
            ticket_id: updated.id,
            contacted_at: parsed.contact.contactedAt,
            channel: parsed.contact.channel,
            summary: parsed.contact.summary,
            external_ref: parsed.contact.externalRef,
            recorded_by_type: 'complainant',
            recorded_by_user_id: null,
            created_at: now,
          })
          .execute()
      }
    },
  })
  if (!result.ok) {
    if (result.kind === 'not_found') throw notFound()
    const current = result.ticket
    const message =
      result.kind === 'stale'
        ? c.get('t')('refusal.stale')
        : refusalMessage(c, result.refusal.code, current)
    const status = result.kind === 'stale' ? 409 : result.refusal.httpStatus
    return trackPage(c, current, token, status, { message })
  }
  return seeOther(c, `${trackingPath(token)}?done=${action}`)
}

// ---- Lost link ----

const caseNumber = z
  .string({ message: 'form.required' })
  .trim()
  .min(1, 'form.required')
  .max(40, 'track.error.caseNumber')
  .transform((v, ctx) => {
    const normal = normalizeCaseNumber(v)
    if (normal === null) ctx.addIssue({ code: 'custom', message: 'track.error.caseNumber' })
    return normal ?? ''
  })
const lostSchema = z.object({
  case_number: cleaned(caseNumber, 'single'),
  email: cleaned(
    z
      .string({ message: 'form.required' })
      .trim()
      .min(1, 'form.required')
      .max(254, 'form.invalidEmail')
      .email('form.invalidEmail'),
    'single',
  ),
})

trackRoutes.get('/track', (c) =>
  render(c, 'track/lost', { values: {}, errors: {}, formError: null }),
)

const lostFormInvalid = (c: Context<AppEnv>, errors: FieldErrors, values: FormValues) =>
  render(c, 'track/lost', { values, errors, formError: 'form.errorsTitle' }, { status: 422 })

trackRoutes.post('/track', formOnly, validForm(lostSchema, lostFormInvalid), async (c) => {
  const { db, config, clock, logger } = c.get('deps')
  const { case_number: caseNumber, email } = c.req.valid('form')
  const now = clock()
  const wait = await hitRateLimits(db, lostLinkLimits({ caseNumber, email, ip: clientIp(c) }), now)
  if (wait > 0)
    throw new HttpError(429, 'error.429', { seconds: wait }, { 'Retry-After': String(wait) })
  // Whether case and email belong together is found out only after the answer: a match does
  // more work (a new link, an event, a mail), and an answer that waited for it would be slower.
  const deps = c.get('deps')
  afterReply(logger, 'lost link', () =>
    reissueTrackingLink(deps, { caseNumber, email, now, baseUrl: config.baseUrl }),
  )
  return render(c, 'track/lost_sent', {})
})
