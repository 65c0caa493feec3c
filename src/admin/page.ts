import type { Context } from 'hono'
import type { AppEnv } from '../http/env.js'
import type { FieldErrors, FormValues } from '../http/forms.js'
import type { MessageKey } from '../i18n/translate.js'
import type { AdminAudit } from './audit.js'

/** What every admin form page carries: the form's values and errors, and one message on top. */
export interface FormState {
  values: FormValues
  errors: FieldErrors
  /** Already translated: a refusal (409) or the 422 summary. */
  alert: string | null
}

export const emptyForm = (): FormState => ({ values: {}, errors: {}, alert: null })

export function invalidForm(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
): FormState {
  return { values, errors, alert: c.get('t')('form.errorsTitle') }
}

/**
 * The success message after a 303 back to a list, from `?done=`; only the page's own keys are
 * honoured, so the query string cannot put arbitrary text on the page.
 */
export function doneNotice(c: Context<AppEnv>, allowed: Record<string, MessageKey>): string | null {
  const done = c.req.query('done')
  const key = done && Object.hasOwn(allowed, done) ? allowed[done] : undefined
  return key ? c.get('t')(key) : null
}

/** Who is making this admin change, and when: recorded with the change (src/admin/audit.ts). */
export function auditOf(c: Context<AppEnv>): AdminAudit {
  return { actorUserId: c.get('user')?.id ?? null, at: c.get('deps').clock() }
}
