// The action forms (field names as in CONTRACT.md); each also carries the ticket's version.
import { z } from 'zod'
import {
  BODY_OUTCOMES,
  CLOSE_OUTCOMES,
  ESCALATION_REASONS,
  PRIORITIES,
  RELIEF_TYPES,
} from '../domain/ladder.js'
import { cleaned } from '../http/forms.js'
import { normalizeTag } from '../domain/tags.js'

const version = z.coerce
  .number({ message: 'form.invalid' })
  .int('form.invalid')
  .min(1, 'form.invalid')
const body = cleaned(
  z.string({ message: 'form.required' }).trim().min(1, 'form.required').max(20_000, 'form.tooLong'),
  'multiline',
)
const optional = (max: number, lines: 'multiline' | 'single') =>
  cleaned(
    z
      .string()
      .trim()
      .max(max, 'form.tooLong')
      .optional()
      .transform((v) => (v ? v : null)),
    lines,
  )
/** A tag as typed; the message says what is wrong with it (domain/tags.ts decides). */
export const tagField = z.string({ message: 'tags.problem.empty' }).transform((raw, ctx) => {
  const n = normalizeTag(raw)
  if (n.ok) return n.tag
  ctx.addIssue({ code: 'custom', message: `tags.problem.${n.problem}` })
  return z.NEVER
})
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: 'form.invalidChoice' })

export const ACTION_SCHEMAS = {
  assign: z.object({
    version,
    assignee: z
      .string()
      .trim()
      .regex(/^(\d{1,9}|none)$/, 'form.invalidChoice'),
  }),
  reply: z.object({ version, body }),
  note: z.object({ version, body }),
  request_info: z.object({ version, body }),
  record_contact: z.object({
    version,
    body,
    external_ref: optional(200, 'single'),
    outcome: choice(BODY_OUTCOMES),
  }),
  propose_resolution: z.object({
    version,
    body,
    relief: choice(RELIEF_TYPES),
    amount_recovered: z
      .string()
      .trim()
      .regex(/^(\d{1,12}([.,]\d{1,2})?)?$/, 'tickets.form.amountInvalid')
      .optional()
      .transform((v) => (v ? v.replace(',', '.') : null)),
  }),
  escalate: z.object({
    version,
    reason: choice(ESCALATION_REASONS),
    note: optional(5000, 'multiline'),
    external_ref: optional(200, 'single'),
    // Only `1` escalates; without it the confirmation page is shown (tickets/escalateConfirm.ts).
    confirm: z.string().optional(),
  }),
  close: z.object({
    version,
    outcome: choice(CLOSE_OUTCOMES),
    note: optional(5000, 'multiline'),
    duplicate_of: optional(40, 'single'),
  }),
  reopen: z.object({ version, note: optional(5000, 'multiline') }),
  set_priority: z.object({ version, priority: choice(PRIORITIES) }),
  mark_complex: z.object({ version, complex: choice(['0', '1'] as const) }),
  set_reminder: z.object({
    version,
    reminder_at: z
      .string()
      .trim()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'tickets.form.dateInvalid')
      .optional()
      .transform((v) => (v ? v : null)),
  }),
  add_tag: z.object({ version, tag: tagField }),
  remove_tag: z.object({ version, tag: tagField }),
} as const

export type FormAction = keyof typeof ACTION_SCHEMAS
export const FORM_ACTIONS = Object.keys(ACTION_SCHEMAS) as FormAction[]

export function isFormAction(v: string): v is FormAction {
  return v in ACTION_SCHEMAS
}

/** "12.5" in a currency with `exponent` minor digits → 1250; null if it does not fit. */
export function decimalToMinor(value: string, exponent: number): number | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value)
  if (!m) return null
  const frac = m[2] ?? ''
  if (frac.length > exponent) return null
  const minor = Number(m[1]) * 10 ** exponent + Number(frac.padEnd(exponent, '0') || '0')
  return Number.isSafeInteger(minor) ? minor : null
}
