// Escalation cannot be undone and mails the complainant, so it is asked twice: the escalate form
// (or a GET of its URL) shows a confirmation page naming the next body, the reason and the mail;
// only its confirmed POST (`confirm=1`, with the version) escalates. What the lifecycle would
// refuse, or a stale version, is answered at once, as the action itself would answer it.
import type { Context } from 'hono'
import type { ActionInput } from '../domain/actions.js'
import { nextLevel, type Level } from '../domain/ladder.js'
import { decide } from '../domain/lifecycle.js'
import { ticketState } from '../change/ticketState.js'
import type { AppEnv } from '../http/env.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import type { StaffTicket } from './findTicket.js'
import { refusalText } from './refusalText.js'
import { signedIn, staffActor } from './staff.js'
import { renderTicketPage } from './ticketPage.js'
import { staleFormPage } from './staleForm.js'

/** The confirming POST carries this field with this value. */
export const CONFIRM_FIELD = 'confirm'
export const CONFIRMED = '1'

export async function confirmEscalation(
  c: Context<AppEnv>,
  ticket: StaffTicket,
  input: Extract<ActionInput, { type: 'escalate' }>,
  version: number,
  values: Record<string, string>,
): Promise<Response> {
  const t = c.get('t')
  const form = (message: string, v = values) => ({
    action: 'escalate',
    values: v,
    errors: {},
    message,
  })
  if (version !== ticket.version)
    return staleFormPage(
      c,
      ticket.case_number,
      { action: 'escalate', values },
      version,
      ticket.version,
    )
  const decision = decide(
    ticketState(ticket),
    input,
    staffActor(signedIn(c)),
    c.get('deps').clock(),
  )
  if (!decision.ok) {
    return renderTicketPage(c, ticket.case_number, {
      status: decision.httpStatus,
      form: form(refusalText(t, decision.code, ticket.status)),
    })
  }
  const to = nextLevel(ticket.level as Level) as Level
  const base = `/tickets/${ticket.case_number}`
  return render(
    c,
    'tickets/confirm_escalate',
    {
      title: t('escalateConfirm.title', { case: ticket.case_number }),
      confirm: {
        caseNumber: ticket.case_number,
        base,
        version,
        from: t(`level.${ticket.level}` as MessageKey),
        to: t(`level.${to}` as MessageKey),
        reason: input.reason,
        reasonText: t(`reason.${input.reason}` as MessageKey),
        note: input.note ?? '',
        externalRef: input.externalRef ?? '',
        mailed: ticket.complainant_email !== null && ticket.complainant_email !== '',
        button: t('escalate.to', { level: t(`level.${to}` as MessageKey) }),
      },
    },
    { fragment: 'tickets/_confirmEscalate' },
  )
}
