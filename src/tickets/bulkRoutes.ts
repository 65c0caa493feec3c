// Bulk work from the queue: one action on many tickets, each through its own action form's schema,
// the lifecycle and the change module in its own transaction with its own version, so one stale or
// refused ticket stops nothing else. The answer says, per ticket, what was done or why not.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import { actOnTicket } from '../change/ticketChanges.js'
import type { AppEnv } from '../http/env.js'
import { validForm, type FieldErrors } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { actionInput } from './actionInput.js'
import { findTicket } from './findTicket.js'
import { refusalText } from './refusalText.js'
import { ACTION_SCHEMAS, type FormAction } from './schemas.js'
import { signedIn, staffActor, staffOnly } from './staff.js'

export const bulkRoutes = new Hono<AppEnv>()

/** The most tickets one request may change: a long queue page, not the whole database. */
export const BULK_MAX = 500

export const BULK_ACTIONS = [
  'assign',
  'set_priority',
  'add_tag',
  'remove_tag',
  'close_duplicate',
] as const
type BulkAction = (typeof BULK_ACTIONS)[number]

const listed = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
const single = z.union([z.string(), z.array(z.string())]).optional()
const text = single.transform((v) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim())

const bulkSchema = z.object({
  ticket: listed,
  bulk_action: z.enum(BULK_ACTIONS, { message: 'form.invalidChoice' }),
  assignee: text,
  priority: text,
  tag: text,
  duplicate_of: text,
  // The queue's query string to go back to: only the characters a query string is made of.
  back: text.transform((s) => (/^[\w.~%&=+-]{0,1000}$/.test(s) ? s : '')),
})

interface Outcome {
  caseNumber: string
  href: string | null
  ok: boolean
  message: string
}

/** The single action's form fields for one ticket, so bulk can do nothing a form could not. */
function actionFields(
  action: BulkAction,
  form: z.output<typeof bulkSchema>,
  userId: number,
): { action: FormAction; fields: Record<string, string> } {
  switch (action) {
    case 'assign':
      return {
        action: 'assign',
        fields: { assignee: form.assignee === 'me' ? String(userId) : form.assignee },
      }
    case 'set_priority':
      return { action: 'set_priority', fields: { priority: form.priority } }
    case 'add_tag':
    case 'remove_tag':
      return { action, fields: { tag: form.tag } }
    case 'close_duplicate':
      return { action: 'close', fields: { outcome: 'duplicate', duplicate_of: form.duplicate_of } }
  }
}

const firstError = (errors: FieldErrors): MessageKey =>
  (Object.values(errors)[0] ?? 'bulk.invalid') as MessageKey

function summary(
  c: Context<AppEnv>,
  status: 200 | 422,
  back: string,
  outcomes: Outcome[],
  error?: string,
) {
  const done = outcomes.filter((o) => o.ok).length
  return render(
    c,
    'queue/bulk',
    {
      title: c.get('t')('bulk.title'),
      error: error ?? null,
      lead: c.get('t')('bulk.lead', {
        done: String(done),
        total: String(outcomes.length),
        refused: String(outcomes.length - done),
      }),
      outcomes,
      backHref: back ? `/queue?${back}` : '/queue',
    },
    { status },
  )
}

bulkRoutes.post(
  '/queue/bulk',
  staffOnly,
  validForm(bulkSchema, (c: Context<AppEnv>) =>
    summary(c, 422, '', [], c.get('t')('bulk.invalid')),
  ),
  async (c) => {
    const deps = c.get('deps')
    const t = c.get('t')
    const user = signedIn(c)
    const form = c.req.valid('form')
    if (!form.ticket.length) return summary(c, 422, form.back, [], t('bulk.none'))
    if (form.ticket.length > BULK_MAX)
      return summary(c, 422, form.back, [], t('bulk.tooMany', { max: String(BULK_MAX) }))
    if (form.bulk_action === 'close_duplicate') {
      const target = normalizeCaseNumber(form.duplicate_of)
      if (!target || !(await findTicket(deps.db, target)))
        return summary(c, 422, form.back, [], t('bulk.duplicateOfUnknown'))
    }
    const { action, fields } = actionFields(form.bulk_action, form, user.id)
    const seen = new Set<string>()
    const outcomes: Outcome[] = []
    for (const entry of form.ticket) {
      const m = /^\s*([^:\s]{1,40}):(\d{1,9})\s*$/.exec(entry)
      const caseNumber = m ? normalizeCaseNumber(m[1]!) : null
      if (!m || !caseNumber) {
        outcomes.push({
          caseNumber: entry.slice(0, 40),
          href: null,
          ok: false,
          message: t('bulk.badTicket'),
        })
        continue
      }
      const href = `/tickets/${caseNumber}`
      if (seen.has(caseNumber)) {
        outcomes.push({ caseNumber, href, ok: false, message: t('bulk.duplicateTicket') })
        continue
      }
      seen.add(caseNumber)
      outcomes.push(await actOnOne(c, caseNumber, Number(m[2]), action, fields))
    }
    return summary(c, 200, form.back, outcomes)
  },
)

async function actOnOne(
  c: Context<AppEnv>,
  caseNumber: string,
  version: number,
  action: FormAction,
  fields: Record<string, string>,
): Promise<Outcome> {
  const deps = c.get('deps')
  const t = c.get('t')
  const href = `/tickets/${caseNumber}`
  const refused = (message: string): Outcome => ({ caseNumber, href, ok: false, message })
  const ticket = await findTicket(deps.db, caseNumber)
  if (!ticket) return { caseNumber, href: null, ok: false, message: t('bulk.notFound') }
  const parsed = ACTION_SCHEMAS[action].safeParse({ ...fields, version: String(version) })
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.message
    return refused(t((key ?? 'bulk.invalid') as MessageKey))
  }
  const built = await actionInput(c, action, parsed.data as Record<string, unknown>, ticket)
  if ('errors' in built) return refused(built.message ?? t(firstError(built.errors)))
  const result = await actOnTicket(deps, {
    ticketId: ticket.id,
    expectedVersion: version,
    input: built.input,
    actor: staffActor(signedIn(c)),
    now: deps.clock(),
    notify: { baseUrl: deps.config.baseUrl },
  })
  if (result.ok) return { caseNumber, href, ok: true, message: t('bulk.ok') }
  if (result.kind === 'not_found')
    return { caseNumber, href: null, ok: false, message: t('bulk.notFound') }
  if (result.kind === 'stale') return refused(t('refusal.stale'))
  return refused(refusalText(t, result.refusal.code, result.ticket.status))
}
