import { Hono, type Context } from 'hono'
import { CATEGORIES, getCategory, type Category } from '../domain/categories.js'
import { DESIRED_OUTCOMES } from '../domain/ladder.js'
import { localEvidenceStore } from '../evidence/store.js'
import { checkEvidenceForm, evidenceLimits, type EvidenceForm } from '../evidence/upload.js'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { clientIp, hitRateLimit } from '../http/rateLimit.js'
import type { FieldErrors, FormValues } from '../http/forms.js'
import { render } from '../http/render.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'
import { activeProviders } from './providers.js'
import { CURRENCIES, OTHER_PROVIDER, formValues, one, validateComplaint } from './form.js'
import { readEvidenceForm } from '../evidence/form.js'
import { seeOther } from '../http/forms.js'
import {
  COMPLAINT_SCOPE,
  earlierResponse,
  newIdempotencyKey,
  validIdempotencyKey,
} from './idempotency.js'
import { formatLocalDateTime } from '../i18n/localTime.js'
import { submitComplaint } from './submit.js'

export const complaintRoutes = new Hono<AppEnv>()

/** New cases one client address may file per hour; a person with two problems files twice. */
export const FILINGS_PER_IP_PER_HOUR = 20
const HOUR_MS = 3_600_000

interface FormState {
  values: FormValues
  errors: FieldErrors
  fileProblems: string[]
  /** After a failed submission: files are never kept, so they must be chosen again. */
  failed: boolean
}

async function formPage(
  c: Context<AppEnv>,
  category: Category,
  state: FormState,
  status: 200 | 422 = 200,
) {
  const { db, config, clock } = c.get('deps')
  const locale = c.get('locale')
  const providers = (await activeProviders(db)).map((p) => ({
    value: p.slug,
    label: locale === 'en' ? p.name_en : p.name_zh,
  }))
  return render(
    c,
    'complaints/new',
    {
      category: {
        key: category.key,
        title: category.title[locale],
        summary: category.summary[locale],
        causes: category.typicalCauses.map((x) => x[locale]),
        selfHelp: category.selfHelp.map((i) => ({ key: i.key, text: i.text[locale] })),
      },
      providers,
      otherProvider: OTHER_PROVIDER,
      currencies: CURRENCIES,
      desiredOutcomes: DESIRED_OUTCOMES,
      maxOccurredAt: formatLocalDateTime(clock(), DISPLAY_TIME_ZONE),
      limits: {
        maxFiles: config.evidenceMaxFiles,
        mb: Math.round((config.evidenceMaxFileBytes / 1048576) * 10) / 10,
      },
      ...state,
    },
    { status, fragment: 'complaints/_form' },
  )
}

function choosePage(c: Context<AppEnv>, status: 200 | 422 = 200) {
  const locale = c.get('locale')
  return render(
    c,
    'complaints/choose',
    {
      categories: CATEGORIES.map((x) => ({
        key: x.key,
        title: x.title[locale],
        summary: x.summary[locale],
      })),
      invalid: status === 422,
    },
    { status },
  )
}

complaintRoutes.get('/complaints/new', (c) => {
  const category = getCategory(c.req.query('category') ?? '')
  if (!category) return choosePage(c)
  return formPage(c, category, {
    values: {
      category: category.key,
      currency: 'CNY',
      idempotency_key: newIdempotencyKey(),
      self_help: [],
    },
    errors: {},
    fileProblems: [],
    failed: false,
  })
})

complaintRoutes.post('/complaints', async (c) => {
  const form = await readEvidenceForm(c)
  try {
    return await fileFromForm(c, form)
  } finally {
    await form.discard()
  }
})

async function fileFromForm(c: Context<AppEnv>, form: EvidenceForm): Promise<Response> {
  const { db, config, clock } = c.get('deps')
  const t = c.get('t')
  const now = clock()
  const values = formValues(form.fields)
  const key = validIdempotencyKey(one(values, 'idempotency_key'))
  // A resend of a form that already filed its case goes to that case, whatever it now contains.
  if (key) {
    const earlier = await earlierResponse(db, key, COMPLAINT_SCOPE, now)
    if (earlier) return seeOther(c, earlier)
  }
  const category = getCategory(one(values, 'category'))
  if (!category) return choosePage(c, 422)

  const providers = await db
    .selectFrom('providers')
    .select(['id', 'slug'])
    .where('active', '=', 1)
    .execute()
  const checked = validateComplaint(values, { now, providers })
  const uploads = checkEvidenceForm(form, evidenceLimits(config))
  if (!checked.ok || uploads.problems.length) {
    const errors: FieldErrors = checked.ok ? {} : { ...checked.errors }
    if (uploads.problemField) errors[uploads.problemField] = uploads.problems[0]!.key
    return formPage(
      c,
      category,
      {
        values: { ...values, idempotency_key: key ?? newIdempotencyKey() },
        errors,
        fileProblems: uploads.problems.map((p) => t(p.key, p.params)),
        failed: true,
      },
      422,
    )
  }
  // Counted only for a valid filing, after the replay check: correcting a form or resending
  // one never uses up the allowance, a flood of new cases from one address does.
  const limit = await hitRateLimit(
    db,
    `complaint:ip:${clientIp(c)}`,
    FILINGS_PER_IP_PER_HOUR,
    HOUR_MS,
    now,
  )
  if (!limit.allowed) {
    const seconds = limit.retryAfterSeconds
    throw new HttpError(429, 'error.429', { seconds }, { 'Retry-After': String(seconds) })
  }
  const store = localEvidenceStore(config.evidenceDir)
  const result = await submitComplaint(
    { ...c.get('deps'), store },
    { ...checked.input, locale: c.get('locale') },
    uploads.files,
    key,
    now,
  )
  return seeOther(c, result.location)
}
