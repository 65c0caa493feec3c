// Applying a macro from the ticket page: POST /tickets/{case}/actions/apply_macro with `macro`
// (its id) and the ticket's `version`. The change module applies every step in one transaction;
// a refused step is shown with its reason and nothing is applied.
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { applyMacro } from '../change/macro.js'
import { macroActions } from '../domain/macros.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { submittedValues, validForm, type FieldErrors, type FormValues } from '../http/forms.js'
import type { MessageKey } from '../i18n/translate.js'
import { findTicket } from './findTicket.js'
import { findMacro } from './macros.js'
import { refusalText } from './refusalText.js'
import { caseParam, signedIn, staffActor, staffOnly } from './staff.js'
import { renderTicketPage } from './ticketPage.js'

export const macroRoutes = new Hono<AppEnv>()

const ACTION = 'apply_macro'

const applyMacroSchema = z.object({
  version: z.coerce.number({ message: 'form.invalid' }).int('form.invalid').min(1, 'form.invalid'),
  macro: z
    .string({ message: 'macros.apply.choose' })
    .trim()
    .regex(/^[1-9]\d{0,15}$/, 'macros.apply.choose')
    .transform(Number),
})

const textValues = (values: FormValues): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )

const page = (
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  values: Record<string, string>,
  errors: FieldErrors,
  message: string,
  staleSince?: number,
) =>
  renderTicketPage(c, caseParam(c), {
    status,
    form: { action: ACTION, values, errors, message },
    staleSince,
  })

macroRoutes.post(
  `/tickets/:case/actions/${ACTION}`,
  staffOnly,
  validForm(applyMacroSchema, (c: Context<AppEnv>, errors, values) =>
    page(c, 422, textValues(values), errors, c.get('t')(errors['macro'] ?? 'form.errorsTitle')),
  ),
  async (c) => {
    const { db, clock, config } = c.get('deps')
    const t = c.get('t')
    const caseNumber = caseParam(c)
    const ticket = await findTicket(db, caseNumber)
    if (!ticket) throw notFound()
    const data = c.req.valid('form')
    const values = textValues(await submittedValues(c))
    const macro = await findMacro(db, data.macro)
    if (!macro) return page(c, 422, values, { macro: 'macros.unknown' }, t('macros.unknown'))
    const steps = macroActions(macro.steps, {
      caseNumber: ticket.case_number,
      complainantName: ticket.complainant_name,
    })
    const result = await applyMacro(c.get('deps'), {
      ticketId: ticket.id,
      expectedVersion: data.version,
      macro: { id: macro.id, name: macro.name },
      steps,
      actor: staffActor(signedIn(c)),
      now: clock(),
      notify: { baseUrl: config.baseUrl },
    })
    if (result.ok) return c.redirect(`/tickets/${caseNumber}`, 303)
    if (result.kind === 'not_found') throw notFound()
    if (result.kind === 'stale')
      return page(
        c,
        409,
        { ...values, version: String(result.ticket.version) },
        {},
        t('refusal.stale'),
        data.version,
      )
    const reason = refusalText(t, result.refusal.code, result.ticket.status)
    const message =
      result.step === null
        ? t('macros.nothingToDo', { name: macro.name })
        : t('macros.refusedStep', {
            step: t(`macros.step.${result.step}` as MessageKey),
            reason,
          })
    return page(c, result.refusal.httpStatus, values, {}, message)
  },
)
