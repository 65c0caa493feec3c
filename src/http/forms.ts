import type { Context, Env, MiddlewareHandler } from 'hono'
import { zValidator } from '@hono/zod-validator'
import { z } from 'zod'
import { cleanText } from '../domain/text.js'
import { hasMessage, type MessageKey } from '../i18n/translate.js'
import { HttpError } from './errors.js'

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
  onInvalid: (
    c: Context<E>,
    errors: FieldErrors,
    values: FormValues,
  ) => Response | Promise<Response>,
) {
  return zValidator('form', schema, async (result, c) => {
    if (!result.success) {
      return onInvalid(
        c as unknown as Context<E>,
        fieldErrors(result.error),
        await submittedValues(c),
      )
    }
  }) as unknown as MiddlewareHandler<
    E,
    string,
    { in: { form: z.input<S> }; out: { form: z.output<S> } }
  >
}

export type QueryValues = Record<string, string>

/**
 * zValidator('query') whose failure answers through the caller (a page re-rendered with the
 * messages, or an error status), given the query string's values to show again (the first of a
 * repeated name, as c.req.query() reads it).
 */
export function validQuery<S extends z.ZodType, E extends Env>(
  schema: S,
  onInvalid: (
    c: Context<E>,
    errors: FieldErrors,
    values: QueryValues,
  ) => Response | Promise<Response>,
) {
  return zValidator('query', schema, async (result, c) => {
    if (!result.success)
      return onInvalid(c as unknown as Context<E>, fieldErrors(result.error), c.req.query())
  }) as unknown as MiddlewareHandler<
    E,
    string,
    { in: { query: z.input<S> }; out: { query: z.output<S> } }
  >
}

/**
 * The same check for fields read some other way (a body already streamed to disk for its
 * files): the schema's output, or the message keys next to their fields.
 */
export function checkFields<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values)
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: fieldErrors(result.error) }
}

/** A repeated query parameter counts by its first value, as c.req.query() reads it. */
export const firstValue = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema)

/** Free text, read without invisible and direction-changing characters (src/domain/text.ts). */
export const cleaned = <T extends z.ZodType>(schema: T, lines: 'multiline' | 'single') =>
  z.preprocess(
    (v) => (typeof v === 'string' ? cleanText(v, { singleLine: lines === 'single' }) : v),
    schema,
  )

/**
 * After a successful POST: a plain form follows a 303; htmx is told to load the page itself
 * (HX-Redirect), since a followed redirect would swap a whole page into the form's place.
 */
export function seeOther(c: Context, location: string): Response {
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', location)
    return c.body(null, 200)
  }
  return c.redirect(location, 303)
}

export const contentType = (c: Context) =>
  c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()

const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded']

/** Before validForm where a body that is not a form is a 415 (validForm alone reads it as empty). */
export const formOnly: MiddlewareHandler = async (c, next) => {
  if (!FORM_TYPES.includes(contentType(c) ?? '')) throw new HttpError(415, 'error.415')
  await next()
}

/** The submitted form, urlencoded or multipart; anything else is a 415. */
export async function readForm(c: Context): Promise<FormData> {
  if (!FORM_TYPES.includes(contentType(c) ?? '')) throw new HttpError(415, 'error.415')
  try {
    return await c.req.formData()
  } catch (err) {
    // The body limit fires while the body is read; let its 413 through.
    if (err instanceof HttpError) throw err
    throw new HttpError(400, 'error.400')
  }
}
