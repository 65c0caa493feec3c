import type { Context, Env, MiddlewareHandler } from 'hono'
import { zValidator } from '@hono/zod-validator'
import type { z } from 'zod'
import { hasMessage, type MessageKey } from '../i18n/translate.js'

export type FieldErrors = Record<string, MessageKey>
export type FormValues = Record<string, string | string[]>

/** Zod messages in our schemas are message keys; anything else becomes a generic message. */
export function fieldErrors(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[]
}): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form')
    if (out[field]) continue
    out[field] = hasMessage(issue.message)
      ? issue.message
      : issue.code === 'invalid_type'
        ? 'form.required'
        : issue.code === 'invalid_value'
          ? 'form.invalidChoice'
          : 'form.invalid'
  }
  return out
}

/** What the user typed, to put back into the re-rendered form (files are never echoed). */
export async function submittedValues(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true })
  const out: FormValues = {}
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
  }
  return out
}

/**
 * zValidator('form') whose failure re-renders the caller's form with 422, the messages next to
 * their fields and the values kept.
 */
export function validForm<S extends z.ZodType, E extends Env>(
  schema: S,
  onInvalid: (c: Context<E>, errors: FieldErrors, values: FormValues) => Response | Promise<Response>,
) {
  return zValidator('form', schema, async (result, c) => {
    if (!result.success) {
      return onInvalid(c as unknown as Context<E>, fieldErrors(result.error), await submittedValues(c))
    }
  }) as unknown as MiddlewareHandler<E, string, { in: { form: z.input<S> }; out: { form: z.output<S> } }>
}
