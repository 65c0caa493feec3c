import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Secret } from 'otpauth'
import { LOGIN_CHALLENGE_MS } from '../../src/auth/signIn.js'
import { CODE_FAILURES_PER_USER, CODE_WINDOW_MS } from '../../src/auth/twoFactorRoutes.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { twoFactorRequired } from '../../src/domain/twoFactorPolicy.js'
import { hashSecret } from '../../src/secrets.js'
import { codeAt, cookieOf, recoveryCodesOnPage, secretOnPage } from '../helpers/staffSignIn.js'
import { createTestApp, html, sessionCookie, type TestApp } from '../helpers/testApp.js'

// Two-factor sign-in (issue 20, item 8): after the right password only a login challenge exists,
// which opens nothing; the session, with a new id, comes after a TOTP code (RFC 6238, each time
// step good once) or a single-use recovery code. Codes are computed here with otpauth, as an
// authenticator app would.

const EN = { 'accept-language': 'en' }
const ZH = { 'accept-language': 'zh-CN' }
const STEP = 30_000

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

async function passwordStep(who: { email: string; password: string }, next?: string) {
  const res = await t.postForm('/login', next === undefined ? { ...who } : { ...who, next })
  expect(res.status).toBe(303)
  const challenge = cookieOf(res, 'ladder_login')
  expect(challenge).toBeDefined()
  return { res, challenge: challenge!, location: res.headers.get('location') }
}

/** Enrols through the pages by hand: the key read off the page, the code made with otpauth. */
async function enrolByHand(who: { email: string; password: string }) {
  const step = await passwordStep(who)
  expect(step.location).toBe('/login/enrol')
  const page = await t.get('/login/enrol', { cookie: step.challenge })
  expect(page.status).toBe(200)
  const secret = secretOnPage(await page.text())
  const done = await t.postForm(
    '/login/enrol',
    { code: codeAt(secret, t.now()) },
    { cookie: step.challenge },
  )
  expect(done.status).toBe(200)
  return {
    secret,
    res: done,
    codes: recoveryCodesOnPage(await done.clone().text()),
    cookie: sessionCookie(done),
  }
}

const sessions = async (userId: number) =>
  Number(
    (
      await t.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('enrolment', () => {
  it('sends a manager to enrolment after the password, with a QR code drawn on the server and the key as text, then recovery codes once', async () => {
    const manager = await t.createStaff('manager')
    const step = await passwordStep(manager, '/reports')
    expect(step.location).toBe('/login/enrol')
    expect(step.res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    expect(await sessions(manager.id)).toBe(0)

    const page = await t.get('/login/enrol', { cookie: step.challenge, headers: EN })
    const doc = await html(page.clone())
    const qr = doc.$('#totp-qr')?.getAttribute('src') ?? ''
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(qr.split(',')[1]!, 'base64').toString()).toContain('<svg')
    const secret = secretOnPage(await page.text())
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(doc.$$('script[src^="http"], img[src^="http"], link[href^="http"]')).toHaveLength(0)
    // Reloading shows the same key, so a slow phone camera is not outrun.
    expect(
      secretOnPage(await (await t.get('/login/enrol', { cookie: step.challenge })).text()),
    ).toBe(secret)

    const done = await t.postForm(
      '/login/enrol',
      { code: codeAt(secret, t.now()) },
      { cookie: step.challenge, headers: EN },
    )
    expect(done.status).toBe(200)
    const codes = recoveryCodesOnPage(await done.clone().text())
    expect(codes).toHaveLength(10)
    expect(done.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(new Set(codes).size).toBe(10)
    expect((await html(done.clone())).$('#recovery-continue')?.getAttribute('href')).toBe(
      '/reports',
    )
    const cookie = sessionCookie(done)
    expect((await t.get('/reports', { cookie })).status).toBe(200)

    // Stored: the secret sealed, the recovery codes hashed; neither shown again.
    const row = await t.db
      .selectFrom('two_factor')
      .selectAll()
      .where('user_id', '=', manager.id)
      .executeTakeFirstOrThrow()
    expect(row.secret).not.toContain(secret)
    expect(row.pending_secret).toBeNull()
    const stored = await t.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', manager.id)
      .execute()
    expect(stored.map((r) => r.code_hash)).toContain(hashSecret(codes[0]!.replace(/-/g, '')))
    expect(JSON.stringify(stored)).not.toContain(codes[0]!)
    const account = await (await t.get('/account/two-factor', { cookie })).text()
    expect(account).not.toContain(secret)
    expect(account).not.toContain(codes[0]!)
    expect((await t.get('/login/enrol', { cookie })).headers.get('location')).toBe('/login')
  })

  it('then signs in with the password and a current code, to the page asked for', async () => {
    const admin = await t.createStaff('admin')
    const { secret } = await enrolByHand(admin)
    t.advance(STEP)
    const step = await passwordStep(admin, '/admin/users')
    expect(step.location).toBe('/login/code')
    const page = await t.get('/login/code', { cookie: step.challenge, headers: ZH })
    expect((await html(page)).text('h1')).toBe('输入登录验证码')
    const res = await t.postForm(
      '/login/code',
      { code: codeAt(secret, t.now()) },
      { cookie: step.challenge },
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/users')
    expect((await t.get('/admin/users', { cookie: sessionCookie(res) })).status).toBe(200)
  })

  it.each(['manager', 'admin', 'agent'] as const)(
    'forces a %s without a second factor to enrol, and lets them do nothing else meanwhile',
    async (role) => {
      const who = await t.createStaff(role)
      const step = await passwordStep(who)
      expect(step.location).toBe('/login/enrol')
      // The code step of an enrolment challenge leads back to the enrolment.
      expect((await t.get('/login/code', { cookie: step.challenge })).headers.get('location')).toBe(
        '/login/enrol',
      )
      const skipped = await t.postForm(
        '/login/code',
        { code: '123456' },
        { cookie: step.challenge },
      )
      expect(skipped.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(
        false,
      )
      for (const path of ['/queue', '/reports', '/admin/users', '/account/two-factor']) {
        const res = await t.get(path, { cookie: step.challenge })
        expect(res.status, path).toBe(303)
        expect(res.headers.get('location'), path).toMatch(/^\/login\?next=/)
      }
      expect(await sessions(who.id)).toBe(0)
    },
  )

  it('requires it of whoever may reveal masked numbers or open ID documents, and of every staff account with LADDER_REQUIRE_2FA=all', async () => {
    // Every agent may reveal a ticket's numbers and open the ID documents of tickets assigned to them.
    expect(twoFactorRequired('agent', 'roles')).toBe(true)
    expect(twoFactorRequired('manager', 'roles')).toBe(true)
    expect(twoFactorRequired('admin', 'roles')).toBe(true)
    expect(twoFactorRequired('agent', 'all')).toBe(true)
    expect(loadConfig({}).require2fa).toBe('roles')
    expect(loadConfig({ LADDER_REQUIRE_2FA: 'all' }).require2fa).toBe('all')
    expect(() => loadConfig({ LADDER_REQUIRE_2FA: 'some' })).toThrow(ConfigError)

    const all = await createTestApp({ env: { LADDER_REQUIRE_2FA: 'all' } })
    try {
      const agent = await all.createStaff('agent')
      const res = await all.postForm('/login', { email: agent.email, password: agent.password })
      expect(res.headers.get('location')).toBe('/login/enrol')
      expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    } finally {
      await all.close()
    }
  })

  it('refuses a wrong code at enrolment and keeps the same key', async () => {
    const manager = await t.createStaff('manager')
    const step = await passwordStep(manager)
    const secret = secretOnPage(
      await (await t.get('/login/enrol', { cookie: step.challenge })).text(),
    )
    const other = new Secret({ size: 20 }).base32
    const res = await t.postForm(
      '/login/enrol',
      { code: codeAt(other, t.now()) },
      { cookie: step.challenge, headers: EN },
    )
    expect(res.status).toBe(422)
    expect(await res.clone().text()).toContain('That code is not right')
    expect(secretOnPage(await res.text())).toBe(secret)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
  })
})

describe('the second step refuses', () => {
  let admin: { id: number; email: string; password: string }
  let secret: string
  let codes: string[]
  beforeEach(async () => {
    admin = await t.createStaff('admin')
    ;({ secret, codes } = await enrolByHand(admin))
    t.advance(STEP)
  })

  async function tryCode(code: string, headers = EN) {
    const step = await passwordStep(admin)
    expect(step.location).toBe('/login/code')
    return t.postForm('/login/code', { code }, { cookie: step.challenge, headers })
  }

  const noSession = (res: Response) =>
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)

  it('a wrong code, in the user’s language', async () => {
    const wrong = (Number(codeAt(secret, t.now())) + 1) % 1_000_000
    const res = await tryCode(String(wrong).padStart(6, '0'), ZH)
    expect(res.status).toBe(401)
    expect((await html(res.clone())).text('#form-error')).toContain('验证码不正确')
    noSession(res)
    const en = await tryCode('000000x')
    expect(en.status).toBe(401)
    expect((await html(en)).text('#form-error')).toContain('That code is not right')
  })

  it('a code used once already (replay), also within its time window', async () => {
    const code = codeAt(secret, t.now())
    expect((await tryCode(code)).status).toBe(303)
    const again = await tryCode(code)
    expect(again.status).toBe(401)
    expect((await html(again.clone())).text('#form-error')).toContain('used already')
    noSession(again)
    // The previous step's code is older than the one accepted: refused too.
    expect((await tryCode(codeAt(secret, t.now() - STEP))).status).toBe(401)
  })

  it('a code from another user’s secret', async () => {
    const other = await t.createStaff('manager')
    const theirs = await enrolByHand(other)
    const res = await tryCode(codeAt(theirs.secret, t.now()))
    expect(res.status).toBe(401)
    noSession(res)
  })

  it('a recovery code used twice, and another user’s recovery code', async () => {
    const first = await tryCode(codes[0]!)
    expect(first.status).toBe(303)
    expect((await t.get('/queue', { cookie: sessionCookie(first) })).status).toBe(200)
    const again = await tryCode(codes[0]!)
    expect(again.status).toBe(401)
    expect((await html(again)).text('#form-error')).toContain('used already')
    // Typed in capitals without dashes it is the same code.
    expect((await tryCode(codes[1]!.replace(/-/g, '').toUpperCase())).status).toBe(303)
    const other = await t.createStaff('manager')
    const theirs = await enrolByHand(other)
    expect((await tryCode(theirs.codes[0]!)).status).toBe(401)
  })

  it('skipping the second step: the half-signed-in browser opens no staff page, whichever cookie it sends', async () => {
    const step = await passwordStep(admin)
    const value = step.challenge.split('=')[1]!
    for (const cookie of [step.challenge, `ladder_session=${value}`]) {
      for (const path of ['/queue', '/reports', '/admin', '/tickets/LD-2026-000001']) {
        const res = await t.get(path, { cookie })
        expect(res.status, `${path} ${cookie}`).toBe(303)
        expect(res.headers.get('location')).toMatch(/^\/login\?next=/)
      }
    }
    expect(await sessions(admin.id)).toBe(1) // the one from enrolment, not this one
  })

  it('an expired half session, even with the right code', async () => {
    const step = await passwordStep(admin)
    t.advance(LOGIN_CHALLENGE_MS)
    const res = await t.postForm(
      '/login/code',
      { code: codeAt(secret, t.now()) },
      { cookie: step.challenge },
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?done=sign_in_expired')
    noSession(res)
    const page = await t.get('/login?done=sign_in_expired', { headers: EN })
    expect((await html(page)).text('#form-error')).toContain('took too long')
  })

  it('too many wrong codes, with 429 and Retry-After, then the right one too until the window ends', async () => {
    for (let i = 0; i < CODE_FAILURES_PER_USER; i++)
      expect((await tryCode('999999x')).status).toBe(401)
    const locked = await tryCode(codeAt(secret, t.now()))
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    noSession(locked)
    t.advance(CODE_WINDOW_MS)
    expect((await tryCode(codeAt(secret, t.now()))).status).toBe(303)
  })
})

describe('the session after the second factor', () => {
  it('has a new id: not the challenge’s, not the browser’s previous session, which ends', async () => {
    const admin = await t.createStaff('admin')
    const { secret, cookie: before } = await enrolByHand(admin)
    t.advance(STEP)
    const res = await t.postForm(
      '/login',
      { email: admin.email, password: admin.password },
      { cookie: before },
    )
    const challenge = cookieOf(res, 'ladder_login')!
    // The password alone leaves the old session as it was and opens no new one.
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    expect(await sessions(admin.id)).toBe(1)
    const done = await t.postForm(
      '/login/code',
      { code: codeAt(secret, t.now()) },
      { cookie: `${before}; ${challenge}` },
    )
    const after = sessionCookie(done)
    expect(after).not.toBe(before)
    expect(after.split('=')[1]).not.toBe(challenge.split('=')[1])
    expect(await sessions(admin.id)).toBe(1)
    expect((await t.get('/queue', { cookie: before })).status).toBe(303)
    expect((await t.get('/queue', { cookie: after })).status).toBe(200)
    // The challenge is spent with the sign-in.
    expect(
      (
        await t.postForm(
          '/login/code',
          { code: codeAt(secret, t.now() + STEP) },
          { cookie: challenge },
        )
      ).headers.get('location'),
    ).toBe('/login?done=sign_in_expired')
  })
})

describe('the account page', () => {
  it('moves the second factor to a new phone only with a code of the current one, and replaces the recovery codes', async () => {
    const manager = await t.createStaff('manager')
    const { secret, codes, cookie } = await enrolByHand(manager)
    const status = await html(await t.get('/account/two-factor', { cookie, headers: EN }))
    expect(status.text('#recovery-left')).toContain('10')
    const page = await t.get('/account/two-factor?setup=1', { cookie })
    const fresh = secretOnPage(await page.text())
    expect(fresh).not.toBe(secret)
    t.advance(STEP)
    const without = await t.postForm(
      '/account/two-factor',
      { code: codeAt(fresh, t.now()), current_code: '111111' },
      { cookie, headers: EN },
    )
    expect(without.status).toBe(422)
    expect(await without.text()).toContain('The code from your current app is not right')
    const moved = await t.postForm(
      '/account/two-factor',
      { code: codeAt(fresh, t.now()), current_code: codeAt(secret, t.now()) },
      { cookie },
    )
    expect(moved.status).toBe(200)
    expect(recoveryCodesOnPage(await moved.text())).toHaveLength(10)
    t.advance(STEP)
    const step = await passwordStep(manager)
    expect(
      (await t.postForm('/login/code', { code: codes[1]! }, { cookie: step.challenge })).status,
    ).toBe(401)
    expect(
      (
        await t.postForm(
          '/login/code',
          { code: codeAt(secret, t.now()) },
          { cookie: step.challenge },
        )
      ).status,
    ).toBe(401)
    expect(
      (
        await t.postForm(
          '/login/code',
          { code: codeAt(fresh, t.now()) },
          { cookie: step.challenge },
        )
      ).status,
    ).toBe(303)
  })
})

describe('an administrator’s reset', () => {
  it('removes the second factor, ends the user’s sessions, records who did it, and the user enrols again', async () => {
    const admin = await t.createStaff('admin')
    const adminCookie = await t.signIn(admin.email, admin.password)
    const manager = await t.createStaff('manager')
    const { cookie } = await enrolByHand(manager)
    const page = await html(await t.get('/admin/users', { cookie: adminCookie }))
    expect(page.$(`form[action="/admin/users/${manager.id}/two-factor/reset"]`)).not.toBeNull()

    const res = await t.postForm(
      `/admin/users/${manager.id}/two-factor/reset`,
      {},
      { cookie: adminCookie },
    )
    expect(res.status).toBe(303)
    expect((await t.get('/queue', { cookie })).status).toBe(303)
    const audit = await t.db
      .selectFrom('admin_changes')
      .selectAll()
      .where('action', '=', 'user_2fa_reset')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, subject: manager.email })
    expect((await passwordStep(manager)).location).toBe('/login/enrol')
    const activity = await html(
      await t.get('/admin/activity', { cookie: adminCookie, headers: EN }),
    )
    expect(activity.text('main')).toContain(`Reset the two-factor sign-in of ${manager.email}`)
  })

  it('is for administrators only', async () => {
    const manager = await t.createStaff('manager')
    const cookie = await t.signIn(manager.email, manager.password)
    const agent = await t.createStaff('agent')
    expect(
      (await t.postForm(`/admin/users/${agent.id}/two-factor/reset`, {}, { cookie })).status,
    ).toBe(403)
  })
})
