// /password/forgot and /password/reset: a staff member who forgot the password asks for a link
// by email and chooses a new password with it.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { validForm, type FieldErrors, type FormValues } from '../http/forms.js'
import { clientIp, hitRateLimit, undoRateLimitHit } from '../http/rateLimit.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { PASSWORD_MESSAGE } from './passwordMessages.js'
import {
  RESET_REQUESTS_PER_EMAIL,
  RESET_REQUESTS_PER_IP,
  RESET_WINDOW_MS,
  completePasswordReset,
  requestPasswordReset,
  resetTarget,
  type ResetTarget,
} from './passwordReset.js'
import { normalizeEmail } from './users.js'

/** `/login?done=…` notices after these flows; only these keys are honoured. */
export const LOGIN_NOTICES: Record<string, MessageKey> = {
  password_changed: 'login.passwordChanged',
  account_created: 'login.accountCreated',
  // The time between the password and the second factor ran out (src/auth/signIn.ts).
  sign_in_expired: 'twoFactor.expired',
}

const email = z
  .string()
  .trim()
  .min(1, 'form.required')
  .max(254, 'form.invalidEmail')
  .email('form.invalidEmail')

const forgotSchema = z.object({ email })

/** A new password typed twice; shared with the invitation form. */
export const newPasswordFields = {
  password: z.string().min(1, 'form.required').max(1000, 'password.rule.tooLong'),
  password_confirm: z.string().min(1, 'form.required').max(1000, 'password.rule.tooLong'),
}

export const passwordsMatch = (v: { password: string; password_confirm: string }) =>
  v.password === v.password_confirm
export const MISMATCH = { path: ['password_confirm'], message: 'form.passwordMismatch' }

const resetSchema = z
  .object({ token: z.string().min(1).max(200), ...newPasswordFields })
  .refine(passwordsMatch, MISMATCH)

export const passwordRoutes = new Hono<AppEnv>()

function forgotPage(
  c: Context<AppEnv>,
  status: 200 | 422,
  values: FormValues,
  errors: FieldErrors,
) {
  return render(
    c,
    'auth/forgot',
    { values, errors, formError: status === 422 ? 'form.errorsTitle' : null },
    { status },
  )
}

passwordRoutes.get('/password/forgot', (c) => forgotPage(c, 200, {}, {}))

passwordRoutes.post(
  '/password/forgot',
  validForm(forgotSchema, (c: Context<AppEnv>, errors, values) =>
    forgotPage(c, 422, values, errors),
  ),
  async (c) => {
    const { db, config, clock } = c.get('deps')
    const form = c.req.valid('form')
    const now = clock()
    const limits = [
      { key: `pwreset:ip:${clientIp(c)}`, limit: RESET_REQUESTS_PER_IP },
      { key: `pwreset:email:${normalizeEmail(form.email)}`, limit: RESET_REQUESTS_PER_EMAIL },
    ]
    let wait = 0
    for (const l of limits) {
      const hit = await hitRateLimit(db, l.key, l.limit, RESET_WINDOW_MS, now)
      if (!hit.allowed) wait = Math.max(wait, hit.retryAfterSeconds)
    }
    if (wait > 0) {
      // A refused request sent nothing: it must not lengthen anyone's count.
      for (const l of limits) await undoRateLimitHit(db, l.key)
      throw new HttpError(429, 'error.429', { seconds: wait }, { 'Retry-After': String(wait) })
    }
    await requestPasswordReset(db, {
      email: form.email,
      locale: c.get('locale'),
      now,
      baseUrl: config.baseUrl,
    })
    return render(c, 'auth/forgot_sent', {})
  },
)

function invalidLink(c: Context<AppEnv>) {
  return render(
    c,
    'auth/link_invalid',
    {
      message: 'password.reset.invalid',
      again: { href: '/password/forgot', label: 'password.reset.again' },
    },
    { status: 404 },
  )
}

function resetPage(
  c: Context<AppEnv>,
  target: ResetTarget,
  token: string,
  status: 200 | 422,
  errors: FieldErrors,
) {
  c.header('X-Robots-Tag', 'noindex, nofollow')
  return render(
    c,
    'auth/reset',
    {
      email: target.email,
      values: { token },
      errors,
      formError: status === 422 ? 'form.errorsTitle' : null,
    },
    { status },
  )
}

passwordRoutes.get('/password/reset', async (c) => {
  const { db, clock } = c.get('deps')
  const token = c.req.query('token') ?? ''
  const target = token.length <= 200 && token ? await resetTarget(db, token, clock()) : null
  if (!target) return invalidLink(c)
  return resetPage(c, target, token, 200, {})
})

passwordRoutes.post(
  '/password/reset',
  validForm(resetSchema, async (c: Context<AppEnv>, errors, values) => {
    const token = typeof values['token'] === 'string' ? values['token'] : ''
    const target =
      token && token.length <= 200
        ? await resetTarget(c.get('deps').db, token, c.get('deps').clock())
        : null
    return target ? resetPage(c, target, token, 422, errors) : invalidLink(c)
  }),
  async (c) => {
    const { db, clock, logger } = c.get('deps')
    const form = c.req.valid('form')
    const result = await completePasswordReset(db, {
      token: form.token,
      password: form.password,
      locale: c.get('locale'),
      now: clock(),
    })
    if (!result.ok) {
      if (result.problem === 'invalid_token') return invalidLink(c)
      const target = await resetTarget(db, form.token, clock())
      if (!target) return invalidLink(c)
      return resetPage(c, target, form.token, 422, { password: PASSWORD_MESSAGE[result.problem] })
    }
    logger.info('password reset', { user: result.user.userId })
    // Every session of the account has ended, this browser's too if it had one: sign in afresh,
    // through whatever second step sign-in asks for.
    return c.redirect('/login?done=password_changed', 303)
  },
)
