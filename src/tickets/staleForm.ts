// One answer to every ticket form that arrives with an older version than the ticket's.
import type { Context } from 'hono'
import type { AppEnv } from '../http/env.js'
import { renderTicketPage } from './ticketPage.js'

/**
 * The 409 of a form built on an older version: the page as it is now, the form kept with the
 * current version, and what changed since `seenVersion` shown above it.
 */
export function staleFormPage(
  c: Context<AppEnv>,
  caseNumber: string,
  form: { action: string; values: Record<string, string> },
  seenVersion: number,
  currentVersion: number,
): Promise<Response> {
  return renderTicketPage(c, caseNumber, {
    status: 409,
    form: {
      action: form.action,
      values: { ...form.values, version: String(currentVersion) },
      errors: {},
      message: c.get('t')('refusal.stale'),
    },
    staleSince: seenVersion,
  })
}
