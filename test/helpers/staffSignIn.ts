// Signs staff in through the real forms, second factor included, the way a person with an
// authenticator app would: at the first sign-in it reads the key shown for manual entry and
// switches two-factor on with a code computed by the `otpauth` library (not by Ladder's own
// code); later it answers /login/code with a code of a time step not used yet, or with one of the
// recovery codes it was shown. Works over app.request (tests) and over HTTP (real servers).
import { Secret, TOTP } from 'otpauth'

export type Fetcher = (
  path: string,
  init: { method: 'GET' | 'POST'; cookie?: string; form?: Record<string, string>; ip?: string },
) => Promise<Response>

export interface SignInOptions {
  next?: string
  cookie?: string
  /** The client's address (app.request only), for tests of per-address limits. */
  ip?: string
}

export interface Factor {
  secret: string
  recoveryCodes: string[]
  lastStep: number
}

const PERIOD_MS = 30_000

export function codeAt(secret: string, ms: number): string {
  return new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).generate({ timestamp: ms })
}

export const stepOf = (ms: number) => Math.floor(ms / PERIOD_MS)

export function cookieOf(res: Response, name: string): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  const pair = set?.split(';')[0]
  // A deleted cookie (Max-Age=0, empty value) is not one to send.
  return pair && pair !== `${name}=` ? pair : undefined
}

export interface SignedIn {
  cookie: string
  /** The answer that opened the session: 303 to `next`, or 200 with the recovery codes. */
  res: Response
  enrolled: boolean
}

export class StaffSignIn {
  readonly factors = new Map<string, Factor>()
  // One sign-in per account at a time, so two parallel ones cannot pick the same code.
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(
    private readonly fetcher: Fetcher,
    private readonly now: () => number,
    /** Real servers: wait for the next time step when every code in reach was used. */
    private readonly wait?: (ms: number) => Promise<void>,
  ) {}

  signIn(email: string, password: string, options: SignInOptions = {}): Promise<SignedIn> {
    const key = email.toLowerCase()
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.signInNow(key, password, options),
    )
    this.queues.set(
      key,
      run.catch(() => undefined),
    )
    return run
  }

  /** The password step alone: the 303 and the challenge cookie it set. */
  async passwordStep(email: string, password: string, options: SignInOptions = {}) {
    const form: Record<string, string> = { email, password }
    if (options.next !== undefined) form['next'] = options.next
    const res = await this.fetcher('/login', {
      method: 'POST',
      form,
      cookie: options.cookie,
      ip: options.ip,
    })
    if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`)
    return {
      res,
      location: res.headers.get('location') ?? '',
      challenge: cookieOf(res, 'ladder_login'),
    }
  }

  /** Reads the key off the enrolment page and switches two-factor on; the answer has the session. */
  async enrol(email: string, challenge: string, cookie?: string, ip?: string): Promise<SignedIn> {
    const both = [challenge, cookie].filter(Boolean).join('; ')
    const page = await this.fetcher('/login/enrol', { method: 'GET', cookie: both, ip })
    if (page.status !== 200) throw new Error(`enrolment page for ${email} answered ${page.status}`)
    const secret = secretOnPage(await page.text())
    const now = this.now()
    const res = await this.fetcher('/login/enrol', {
      method: 'POST',
      cookie: both,
      ip,
      form: { code: codeAt(secret, now) },
    })
    const session = cookieOf(res, 'ladder_session')
    if (res.status !== 200 || !session)
      throw new Error(`enrolment of ${email} answered ${res.status}`)
    const body = await res.clone().text()
    this.factors.set(email.toLowerCase(), {
      secret,
      recoveryCodes: recoveryCodesOnPage(body),
      lastStep: stepOf(now),
    })
    return { cookie: session, res, enrolled: true }
  }

  /** The next answer a person could give: a code of an unused step in reach, or a recovery code. */
  async nextCode(email: string): Promise<string> {
    const factor = this.factors.get(email.toLowerCase())
    if (!factor)
      throw new Error(`no second factor known for ${email}: enrol through StaffSignIn first`)
    for (;;) {
      const now = this.now()
      for (const step of [stepOf(now) - 1, stepOf(now), stepOf(now) + 1]) {
        if (step > factor.lastStep) {
          factor.lastStep = step
          return codeAt(factor.secret, step * PERIOD_MS)
        }
      }
      if (this.wait) await this.wait(PERIOD_MS - (now % PERIOD_MS) + 50)
      else {
        const recovery = factor.recoveryCodes.shift()
        if (!recovery)
          throw new Error(`${email}: every code in reach and every recovery code was used`)
        return recovery
      }
    }
  }

  private async signInNow(
    email: string,
    password: string,
    options: SignInOptions,
  ): Promise<SignedIn> {
    const step = await this.passwordStep(email, password, options)
    const direct = cookieOf(step.res, 'ladder_session')
    if (direct) return { cookie: direct, res: step.res, enrolled: false }
    if (!step.challenge)
      throw new Error(`sign-in of ${email} set neither a session nor a challenge`)
    if (step.location === '/login/enrol')
      return this.enrol(email, step.challenge, options.cookie, options.ip)
    const both = [step.challenge, options.cookie].filter(Boolean).join('; ')
    const res = await this.fetcher('/login/code', {
      method: 'POST',
      cookie: both,
      ip: options.ip,
      form: { code: await this.nextCode(email) },
    })
    const session = cookieOf(res, 'ladder_session')
    if (res.status !== 303 || !session)
      throw new Error(`second factor of ${email} answered ${res.status}`)
    return { cookie: session, res, enrolled: false }
  }
}

export function secretOnPage(html: string): string {
  const m = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(html)
  if (!m) throw new Error('no key for manual entry on the page')
  return m[1]!.replace(/\s/g, '')
}

export function recoveryCodesOnPage(html: string): string[] {
  const list = /id="recovery-codes"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? ''
  return [...list.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]!)
}

/** A StaffSignIn against a running server at `base`, on the real clock. */
export function overHttp(base: string): StaffSignIn {
  const fetcher: Fetcher = (path, init) =>
    fetch(base + path, {
      method: init.method,
      redirect: 'manual',
      headers: {
        origin: base,
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    })
  return new StaffSignIn(fetcher, Date.now, (ms) => new Promise((r) => setTimeout(r, ms)))
}
