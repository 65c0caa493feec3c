import { z } from 'zod'
import { CATEGORY_KEYS, selfHelpKeys, type CategoryKey } from '../domain/categories.js'
import { DESIRED_OUTCOMES } from '../domain/ladder.js'
import { cleanText } from '../domain/text.js'
import { checkFields, type FieldErrors, type FormValues } from '../http/forms.js'
import { currencyExponent, DISPLAY_TIME_ZONE } from '../i18n/format.js'
import type { MessageKey } from '../i18n/translate.js'
import { parseAmount, type AmountProblem } from './amount.js'
import type { ComplaintInput } from '../change/filing.js'
import { parseLocalDateTime } from '../i18n/localTime.js'

// The complaint form: field names are the outside contract (CONTRACT.md); provider_other,
// consent and idempotency_key are additions the page itself carries.

/** The one field with lines; every other is a single line. */
const MULTILINE_FIELDS = new Set(['description'])

export const CURRENCIES = [
  'CNY',
  'HKD',
  'MOP',
  'TWD',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'KRW',
  'SGD',
] as const
export const DESCRIPTION_MAX = 5000
export const OTHER_PROVIDER = 'other'

const TEXT_FIELDS = [
  'category',
  'provider',
  'provider_other',
  'occurred_at',
  'amount',
  'currency',
  'transaction_ref',
  'merchant',
  'description',
  'desired_outcome',
  'name',
  'email',
  'phone',
  'consent',
  'idempotency_key',
] as const

/** The text fields of a submitted form (first value of each; self_help all values), files left out. */
export function formValues(form: FormData): FormValues {
  const out: FormValues = {}
  for (const name of TEXT_FIELDS) {
    const v = form.get(name)
    if (typeof v === 'string') out[name] = v
  }
  out['self_help'] = form.getAll('self_help').filter((v): v is string => typeof v === 'string')
  return out
}

export const one = (values: FormValues, name: string): string => {
  const v = values[name]
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim()
}

const tooLong = (max: number) => z.string().max(max, 'complaints.error.tooLong')
const chars = (s: string) => [...s].length

// Per-field rules; what needs two fields or the clock is checked after, in validateComplaint.
const fieldsSchema = z.object({
  category: z.enum(CATEGORY_KEYS, { message: 'complaints.error.category' }),
  provider: z.string().min(1, 'form.required').max(60, 'form.invalidChoice'),
  provider_other: tooLong(100),
  occurred_at: z.string().min(1, 'form.required').max(40, 'complaints.error.dateFormat'),
  amount: z.string().max(40, 'complaints.error.amountFormat'),
  currency: z.enum(CURRENCIES, { message: 'form.invalidChoice' }),
  transaction_ref: tooLong(100),
  merchant: tooLong(200),
  description: z
    .string()
    .min(1, 'form.required')
    .refine((v) => chars(v) <= DESCRIPTION_MAX, 'complaints.error.descriptionTooLong'),
  desired_outcome: z.enum(DESIRED_OUTCOMES, { message: 'form.invalidChoice' }),
  name: z.string().min(1, 'form.required').max(100, 'complaints.error.tooLong'),
  email: z.union([
    z.literal(''),
    z.string().max(254, 'form.invalidEmail').email('form.invalidEmail'),
  ]),
  phone: z.union([
    z.literal(''),
    z
      .string()
      .max(30, 'complaints.error.phone')
      .regex(/^\+?[0-9][0-9 ()-]*$/, 'complaints.error.phone')
      .refine((v) => v.replace(/\D/g, '').length >= 5, 'complaints.error.phone'),
  ]),
})

const AMOUNT_MESSAGES: Record<AmountProblem, MessageKey> = {
  format: 'complaints.error.amountFormat',
  too_many_decimals: 'complaints.error.amountDecimals',
  not_positive: 'complaints.error.amountPositive',
  too_large: 'complaints.error.amountTooLarge',
}

export interface ProviderChoice {
  id: number
  slug: string
}

export type ValidatedComplaint =
  { ok: true; input: Omit<ComplaintInput, 'locale'> } | { ok: false; errors: FieldErrors }

/** Checks the form as a whole: every problem is reported at once, next to its field. */
export function validateComplaint(
  values: FormValues,
  ctx: { now: number; providers: readonly ProviderChoice[] },
): ValidatedComplaint {
  // Cleaned where every check reads a field, the schema and the checks across fields alike,
  // so a contact made only of invisible characters counts as none.
  const v = (name: string) =>
    cleanText(one(values, name), { singleLine: !MULTILINE_FIELDS.has(name) }).trim()
  const raw = Object.fromEntries(Object.keys(fieldsSchema.shape).map((k) => [k, v(k)]))
  if (raw['currency'] === '') raw['currency'] = 'CNY'
  raw['currency'] = raw['currency']!.toUpperCase()
  const checked = checkFields(fieldsSchema, raw)
  const errors: FieldErrors = checked.ok ? {} : checked.errors
  const set = (field: string, key: MessageKey) => {
    errors[field] ??= key
  }

  let providerId: number | null = null
  const providerValue = v('provider')
  if (providerValue === OTHER_PROVIDER) {
    if (v('provider_other') === '') set('provider_other', 'complaints.error.providerOther')
  } else if (providerValue !== '') {
    const found = ctx.providers.find(
      (p) => p.slug === providerValue || String(p.id) === providerValue,
    )
    if (found) providerId = found.id
    else set('provider', 'form.invalidChoice')
  }

  let occurredAt: number | null = null
  if (v('occurred_at') !== '' && !errors['occurred_at']) {
    occurredAt = parseLocalDateTime(v('occurred_at'), DISPLAY_TIME_ZONE)
    if (occurredAt === null) set('occurred_at', 'complaints.error.dateFormat')
    else if (occurredAt > ctx.now) set('occurred_at', 'complaints.error.futureDate')
  }

  let amountMinor: number | null = null
  if (v('amount') !== '' && !errors['amount']) {
    const amount = parseAmount(v('amount'), currencyExponent(raw['currency'] ?? 'CNY'))
    if (amount.ok) amountMinor = amount.minor
    else set('amount', AMOUNT_MESSAGES[amount.problem])
  }

  if (v('email') === '' && v('phone') === '') {
    set('email', 'complaints.error.contactRequired')
    set('phone', 'complaints.error.contactRequired')
  }
  if (!['on', 'yes', '1', 'true'].includes(v('consent').toLowerCase()))
    set('consent', 'complaints.error.consent')

  if (!checked.ok || Object.keys(errors).length) return { ok: false, errors }
  const f = checked.data
  const known = new Set(selfHelpKeys(f.category as CategoryKey))
  const ticked = values['self_help'] ?? []
  const selfHelp = [...new Set(Array.isArray(ticked) ? ticked : [ticked])].filter((k) =>
    known.has(k),
  )
  const orNull = (s: string) => (s === '' ? null : s)
  return {
    ok: true,
    input: {
      category: f.category,
      providerId,
      providerOther: providerValue === OTHER_PROVIDER ? f.provider_other : null,
      occurredAt,
      amountMinor,
      currency: f.currency,
      transactionRef: orNull(f.transaction_ref),
      merchant: orNull(f.merchant),
      description: f.description,
      desiredOutcome: f.desired_outcome,
      selfHelp,
      name: f.name,
      email: orNull(f.email),
      phone: orNull(f.phone),
    },
  }
}
