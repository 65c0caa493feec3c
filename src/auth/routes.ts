import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppEnv } from '../http/env.js'
import { validForm, type FieldErrors, type FormValues } from '../http/forms.js'
import { HttpError } from '../http/errors.js'
import { clientIp, hitRateLimits, resetRateLimit, undoRateLimitHit } from '../http/rateLimit.js'
import { render } from '../http/render.js'
import { safeRedirect } from '../http/safeRedirect.js'
import { knownDevice } from './devices.js'
import { loginLimits } from './loginLimits.js'
import { verifyPassword } from './password.js'
import { PASSWORD_MESSAGE } from './passwordMessages.js'
import { LOGIN_NOTICES } from './passwordRoutes.js'
import { SESSION_COOKIE, destroySession } from './sessions.js'
import { afterPassword } from './signIn.js'
import { completeSetup, setupTokenValid } from './setup.js'
import { findUserByEmail, normalizeEmail, type CreateUserProblem } from './users.js'
import type { MessageKey } from '../i18n/translate.js'

const email = z
  .string()
  .trim()
  .min(1, 'form.required')
  .max(254, 'form.invalidEmail')
  .email('form.invalidEmail')

const loginSchema = z.object({
  email,
  password: z.string().min(1, 'form.required').max(1000, 'form.invalid'),
  // A hidden field the user cannot correct: anything but a path on this site is dropped.
  next: z
    .unknown()
    .optional()
    .transform((v) => safeRedirect(v, '')),
})

const setupSchema = z
  .object({
    token: z.string().min(1).max(200),
    email,
    name: z.string().trim().min(1, 'form.required').max(100, 'form.tooLong'),
    password: z.string().min(1, 'form.required'),
    password_confirm: z.string().min(1, 'form.required'),
  })
  .refine((v) => v.password === v.password_confirm, {
    path: ['password_confirm'],
    message: 'form.passwordMismatch',
  })

const problemField = (p: CreateUserProblem): [string, MessageKey] =>
  p === 'email_taken' ? ['email', 'form.emailTaken'] : ['password', PASSWORD_MESSAGE[p]]

export const authRoutes = new Hono<AppEnv>()

function loginPage(
  c: Context<AppEnv>,
  status: 200 | 401 | 422,
  values: FormValues,
  errors: FieldErrors,
  formError: MessageKey | null,
) {
  return render(c, 'auth/login', { values, errors, formError }, { status })
}

authRoutes.get('/login', (c) => {
  const next = safeRedirect(c.req.query('next'), '')
  if (c.get('user')) return c.redirect(next || '/', 303)
  const done = c.req.query('done') ?? ''
  const notice: MessageKey | null =
    c.req.query('signed_out') === '1'
      ? 'login.signedOut'
      : Object.hasOwn(LOGIN_NOTICES, done)
        ? LOGIN_NOTICES[done]!
        : null
  return loginPage(c, 200, { next }, {}, notice)
})

authRoutes.post(
  '/login',
  validForm(loginSchema, (c: Context<AppEnv>, errors, values) =>
    loginPage(
      c,
      422,
      { ...values, password: '', next: safeRedirect(values['next'], '') },
      errors,
      'form.errorsTitle',
    ),
  ),
  async (c) => {
    const { db, clock } = c.get('deps')
    const form = c.req.valid('form')
    const now = clock()
    const user = await findUserByEmail(db, form.email)
    const limits = loginLimits({
      email: normalizeEmail(form.email),
      ip: clientIp(c),
      knownDevice: await knownDevice(c, db, user?.id ?? null, now),
    })
    // Every attempt is counted before the password is checked, so parallel guesses cannot
    // overtake the count; a success hands its hits back below, so only failures add up.
    const wait = await hitRateLimits(db, limits, now)
    if (wait > 0) throw tooManyAttempts(wait)
    // Verify even for unknown emails so timing does not tell which accounts exist. A deactivated
    // account is refused exactly like a wrong password: another answer would confirm it.
    const ok = await verifyPassword(form.password, user?.password_hash ?? DUMMY_HASH)
    if (!user || !ok || user.active !== 1) {
      return loginPage(c, 401, { email: form.email, next: form.next }, {}, 'login.failed')
    }
    for (const l of limits)
      await (l.onSuccess === 'reset' ? resetRateLimit(db, l.key) : undoRateLimitHit(db, l.key))
    // A session only once every factor the account needs has been checked.
    return afterPassword(c, user, form.next || '/queue', now)
  },
)

authRoutes.post('/logout', async (c) => {
  const idHash = c.get('sessionIdHash')
  if (idHash) await destroySession(c.get('deps').db, idHash)
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
  return c.redirect('/login?signed_out=1', 303)
})

authRoutes.get('/setup', async (c) => {
  const { db, clock } = c.get('deps')
  const token = c.req.query('token') ?? ''
  if (!token || !(await setupTokenValid(db, token, clock()))) {
    return render(
      c,
      'error',
      { status: 404, message: c.get('t')('setup.invalidToken') },
      { status: 404 },
    )
  }
  return render(c, 'auth/setup', { values: { token }, errors: {}, formError: null })
})

authRoutes.post(
  '/setup',
  validForm(setupSchema, (c: Context<AppEnv>, errors, values) =>
    render(
      c,
      'auth/setup',
      {
        values: { ...values, password: '', password_confirm: '' },
        errors,
        formError: 'form.errorsTitle',
      },
      { status: 422 },
    ),
  ),
  async (c) => {
    const { db, clock } = c.get('deps')
    const form = c.req.valid('form')
    const now = clock()
    const result = await completeSetup(db, form.token, form, now)
    if (!result.ok) {
      if (result.problem === 'invalid_token') {
        return render(
          c,
          'error',
          { status: 404, message: c.get('t')('setup.invalidToken') },
          { status: 404 },
        )
      }
      const [field, key] = problemField(result.problem)
      return render(
        c,
        'auth/setup',
        {
          values: { token: form.token, email: form.email, name: form.name },
          errors: { [field]: key },
          formError: 'form.errorsTitle',
        },
        { status: 422 },
      )
    }
    // The first admin sets up a second factor before the session starts, like everyone else.
    return afterPassword(c, result.user, '/?welcome=1', now)
  },
)

function tooManyAttempts(seconds: number): HttpError {
  return new HttpError(429, 'error.429', { seconds }, { 'Retry-After': String(seconds) })
}

// A valid hash of a random password, checked against when the email is unknown.
const DUMMY_HASH =
  'scrypt$16384$8$1$3q2+7w3q2+7w3q2+7w3q2w==$Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8='
