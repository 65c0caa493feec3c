// The second step of signing in (/login/code), setting up a second factor on the way in
// (/login/enrol), and a signed-in user's own page for it (/account/two-factor).
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import {
  clientIp,
  hitRateLimits,
  resetRateLimit,
  undoRateLimitHit,
  type RateLimit,
} from '../http/rateLimit.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { requireRole } from './middleware.js'
import { twoFactorKey } from './secretBox.js'
import { currentChallenge, endChallenge, startSession, type LoginChallenge } from './signIn.js'
import { groupedSecret, qrSvg, totpUri } from './totp.js'
import {
  confirmSecret,
  pendingSecret,
  spendSecondFactor,
  twoFactorStatus,
  type Confirmation,
} from './twoFactor.js'

// Failed codes only, like passwords: a guesser who has the password gets a few tries per window
// (each try hits one of three valid codes in a million), the owner's right code is never counted.
export const CODE_WINDOW_MS = 15 * 60_000
export const CODE_FAILURES_PER_USER = 5
export const CODE_FAILURES_PER_IP = 20

const code = z.string().trim().min(1, 'form.required').max(64, 'form.tooLong')
const codeSchema = z.object({ code })
const accountSchema = z.object({
  code,
  current_code: z.string().trim().max(64, 'form.tooLong').optional(),
})

export const twoFactorRoutes = new Hono<AppEnv>()

function codeLimits(c: Context<AppEnv>, userId: number): RateLimit[] {
  return [
    { key: `2fa:user:${userId}`, limit: CODE_FAILURES_PER_USER, windowMs: CODE_WINDOW_MS },
    { key: `2fa:ip:${clientIp(c)}`, limit: CODE_FAILURES_PER_IP, windowMs: CODE_WINDOW_MS },
  ]
}

/** Counts the attempt before the code is checked (so parallel guesses cannot overtake the count). */
async function countAttempt(c: Context<AppEnv>, userId: number, now: number) {
  const { db } = c.get('deps')
  const limits = codeLimits(c, userId)
  const wait = await hitRateLimits(db, limits, now)
  if (wait > 0)
    throw new HttpError(429, 'error.429', { seconds: wait }, { 'Retry-After': String(wait) })
  return {
    /** The owner's failures are forgotten; the address's count only loses this attempt. */
    async succeeded() {
      await resetRateLimit(db, limits[0]!.key)
      await undoRateLimitHit(db, limits[1]!.key)
    },
  }
}

function logUnreadable(c: Context<AppEnv>, userId: number) {
  c.get('deps').logger.error(
    'two-factor secret cannot be opened: is LADDER_2FA_KEY or two-factor.key the one it was made with?',
    { user: userId },
  )
}

// ---------------------------------------------------------------------------------------------
// /login/code: the password was right, the second factor is asked for

function codePage(c: Context<AppEnv>, status: ContentfulStatusCode, error: MessageKey | null) {
  return render(
    c,
    'auth/code',
    { formError: error, errors: error ? { code: error } : {} },
    { status },
  )
}

/** Without a live challenge there is nothing to continue: back to the password. */
function restart(c: Context<AppEnv>, expired: boolean) {
  return c.redirect(expired ? '/login?done=sign_in_expired' : '/login', 303)
}

twoFactorRoutes.get('/login/code', async (c) => {
  const challenge = await currentChallenge(c, c.get('deps').clock())
  if (!challenge) return restart(c, false)
  if (challenge.purpose === 'enrol') return c.redirect('/login/enrol', 303)
  return codePage(c, 200, null)
})

twoFactorRoutes.post(
  '/login/code',
  validForm(codeSchema, (c: Context<AppEnv>) => codePage(c, 422, 'form.required')),
  async (c) => {
    const { db, config, clock } = c.get('deps')
    const now = clock()
    const challenge = await currentChallenge(c, now)
    if (!challenge || challenge.purpose !== 'verify') return restart(c, true)
    const attempt = await countAttempt(c, challenge.user.id, now)
    const result = await spendSecondFactor(
      db,
      twoFactorKey(config),
      challenge.user.id,
      c.req.valid('form').code,
      now,
    )
    if (!result.ok) {
      if (result.problem === 'unreadable') logUnreadable(c, challenge.user.id)
      return codePage(
        c,
        401,
        result.problem === 'used' ? 'twoFactor.usedCode' : 'twoFactor.wrongCode',
      )
    }
    await attempt.succeeded()
    await finishSignIn(c, challenge, now)
    return c.redirect(challenge.next, 303)
  },
)

async function finishSignIn(c: Context<AppEnv>, challenge: LoginChallenge, now: number) {
  await endChallenge(c)
  await startSession(c, challenge.user.id, now)
}

// ---------------------------------------------------------------------------------------------
// Setting up: on the way in (/login/enrol) and for the signed-in user (/account/two-factor)

interface EnrolView {
  action: string
  /** Replacing a second factor that is on asks for a code of the current one as well. */
  replacing: boolean
  required: boolean
}

async function enrolPage(
  c: Context<AppEnv>,
  user: { id: number; email: string },
  view: EnrolView,
  status: ContentfulStatusCode,
  errors: Record<string, MessageKey>,
  formError: MessageKey | null,
) {
  const { db, config, clock } = c.get('deps')
  const secret = await pendingSecret(db, twoFactorKey(config), user.id, clock())
  const svg = await qrSvg(totpUri(secret, user.email))
  return render(
    c,
    'auth/enrol',
    {
      ...view,
      qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      secret: groupedSecret(secret),
      errors,
      formError,
    },
    { status },
  )
}

const CONFIRM_PROBLEM: Record<
  Exclude<Confirmation, { ok: true }>['problem'],
  [string, MessageKey]
> = {
  wrong: ['code', 'twoFactor.wrongCode'],
  unreadable: ['code', 'twoFactor.wrongCode'],
  expired: ['code', 'twoFactor.enrol.expired'],
  current_wrong: ['current_code', 'twoFactor.enrol.currentWrong'],
  current_used: ['current_code', 'twoFactor.enrol.currentUsed'],
}

function recoveryPage(c: Context<AppEnv>, codes: string[], next: string, replaced: boolean) {
  return render(c, 'auth/recovery_codes', { codes, next, replaced })
}

const LOGIN_ENROL: EnrolView = { action: '/login/enrol', replacing: false, required: true }

twoFactorRoutes.get('/login/enrol', async (c) => {
  const challenge = await currentChallenge(c, c.get('deps').clock())
  if (!challenge) return restart(c, false)
  if (challenge.purpose === 'verify') return c.redirect('/login/code', 303)
  return enrolPage(c, challenge.user, LOGIN_ENROL, 200, {}, null)
})

twoFactorRoutes.post(
  '/login/enrol',
  validForm(codeSchema, async (c: Context<AppEnv>, errors) => {
    const challenge = await currentChallenge(c, c.get('deps').clock())
    if (!challenge || challenge.purpose !== 'enrol') return restart(c, true)
    return enrolPage(c, challenge.user, LOGIN_ENROL, 422, errors, 'form.errorsTitle')
  }),
  async (c) => {
    const { db, config, clock } = c.get('deps')
    const now = clock()
    const challenge = await currentChallenge(c, now)
    if (!challenge || challenge.purpose !== 'enrol') return restart(c, true)
    const attempt = await countAttempt(c, challenge.user.id, now)
    const result = await confirmSecret(
      db,
      twoFactorKey(config),
      challenge.user.id,
      { code: c.req.valid('form').code },
      now,
    )
    if (!result.ok) {
      if (result.problem === 'unreadable') logUnreadable(c, challenge.user.id)
      const [field, key] = CONFIRM_PROBLEM[result.problem]
      return enrolPage(c, challenge.user, LOGIN_ENROL, 422, { [field]: key }, 'form.errorsTitle')
    }
    await attempt.succeeded()
    await finishSignIn(c, challenge, now)
    c.get('deps').logger.info('two-factor switched on', { user: challenge.user.id })
    return recoveryPage(c, result.recoveryCodes, challenge.next, false)
  },
)

const staffOnly = requireRole('agent')

function accountView(enabled: boolean): EnrolView {
  return { action: '/account/two-factor', replacing: enabled, required: false }
}

twoFactorRoutes.get('/account/two-factor', staffOnly, async (c) => {
  const user = c.get('user')!
  const status = await twoFactorStatus(c.get('deps').db, user.id)
  if (!status.enabled || c.req.query('setup') === '1') {
    return enrolPage(c, user, accountView(status.enabled), 200, {}, null)
  }
  return render(c, 'auth/account_two_factor', { status })
})

twoFactorRoutes.post(
  '/account/two-factor',
  staffOnly,
  validForm(accountSchema, async (c: Context<AppEnv>, errors) => {
    const user = c.get('user')!
    const status = await twoFactorStatus(c.get('deps').db, user.id)
    return enrolPage(c, user, accountView(status.enabled), 422, errors, 'form.errorsTitle')
  }),
  async (c) => {
    const { db, config, clock, logger } = c.get('deps')
    const now = clock()
    const user = c.get('user')!
    const form = c.req.valid('form')
    const before = await twoFactorStatus(db, user.id)
    const attempt = await countAttempt(c, user.id, now)
    const result = await confirmSecret(
      db,
      twoFactorKey(config),
      user.id,
      { code: form.code, currentCode: form.current_code },
      now,
    )
    if (!result.ok) {
      if (result.problem === 'unreadable') logUnreadable(c, user.id)
      const [field, key] = CONFIRM_PROBLEM[result.problem]
      return enrolPage(
        c,
        user,
        accountView(before.enabled),
        422,
        { [field]: key },
        'form.errorsTitle',
      )
    }
    await attempt.succeeded()
    logger.info(before.enabled ? 'two-factor moved to a new device' : 'two-factor switched on', {
      user: user.id,
    })
    return recoveryPage(c, result.recoveryCodes, '/account/two-factor', before.enabled)
  },
)
