// Linking two cases from the ticket page: POST /tickets/{case}/actions/link and …/unlink, each
// with the ticket's version. The change module writes the link and an event on both tickets.
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { linkTickets } from '../change/linking.js'
import { LINK_RELATIONS, type LinkRelation } from '../domain/actions.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { submittedValues, validForm, type FieldErrors, type FormValues } from '../http/forms.js'
import type { MessageKey } from '../i18n/translate.js'
import { findTicket } from './findTicket.js'
import { refusalText } from './refusalText.js'
import { caseParam, signedIn, staffActor, staffOnly } from './staff.js'
import { renderTicketPage } from './ticketPage.js'
import { staleFormPage } from './staleForm.js'

export const linkRoutes = new Hono<AppEnv>()

const version = z.coerce
  .number({ message: 'form.invalid' })
  .int('form.invalid')
  .min(1, 'form.invalid')
const other = z
  .string({ message: 'form.required' })
  .trim()
  .min(1, 'form.required')
  .max(40, 'form.tooLong')
const SCHEMAS = {
  link: z.object({
    version,
    other,
    relation: z.enum(LINK_RELATIONS, { message: 'form.invalidChoice' }),
  }),
  unlink: z.object({ version, other }),
}

const textValues = (values: FormValues): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )

for (const action of ['link', 'unlink'] as const) {
  const page = (
    c: Context<AppEnv>,
    status: ContentfulStatusCode,
    values: Record<string, string>,
    errors: FieldErrors,
    message: string,
  ) => renderTicketPage(c, caseParam(c), { status, form: { action, values, errors, message } })
  const invalid = (c: Context<AppEnv>, errors: FieldErrors, values: FormValues) =>
    page(c, 422, textValues(values), errors, c.get('t')('form.errorsTitle'))

  linkRoutes.post(
    `/tickets/:case/actions/${action}`,
    staffOnly,
    validForm(SCHEMAS[action], invalid),
    async (c) => {
      const { db, clock } = c.get('deps')
      const t = c.get('t')
      const caseNumber = caseParam(c)
      const ticket = await findTicket(db, caseNumber)
      if (!ticket) throw notFound()
      const data = c.req.valid('form') as {
        version: number
        other: string
        relation?: LinkRelation
      }
      const values = textValues(await submittedValues(c))
      const otherNumber = normalizeCaseNumber(data.other)
      const target = otherNumber ? await findTicket(db, otherNumber) : undefined
      if (!target)
        return page(c, 404, values, { other: 'links.unknownCase' }, t('links.unknownCase'))
      const result = await linkTickets(c.get('deps'), {
        ticketId: ticket.id,
        caseNumber: ticket.case_number,
        expectedVersion: data.version,
        other: { id: target.id, caseNumber: target.case_number },
        relation: action === 'link' ? (data.relation ?? 'related') : null,
        actor: staffActor(signedIn(c)),
        now: clock(),
      })
      if (result.ok) return c.redirect(`/tickets/${caseNumber}#related`, 303)
      if (result.kind === 'not_found') throw notFound()
      if (result.kind === 'stale')
        return staleFormPage(c, caseNumber, { action, values }, data.version, result.ticket.version)
      const message = refusalText(t, result.refusal.code, result.ticket.status)
      return page(c, result.refusal.httpStatus, values, {}, message)
    },
  )
}
