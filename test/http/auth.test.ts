import SQLite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEVICE_COOKIE, DEVICE_REMEMBERED_MS } from '../../src/auth/devices.js'
import {
  LOGIN_ACCOUNT_WINDOW_MS,
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_CLIENT,
  LOGIN_FAILURES_PER_IP,
  LOGIN_WINDOW_MS,
} from '../../src/auth/loginLimits.js'
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/auth/sessions.js'
import { hitRateLimit, pruneRateLimits } from '../../src/http/rateLimit.js'
import { createTestApp, html, ORIGIN, sessionCookie, type TestApp } from '../helpers/testApp.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }
const HOUR = 3_600_000

/**
 * A sign-in as the node server would see it from `ip` (getConnInfo reads the socket), from a
 * browser holding `cookie` (the device cookie of an earlier sign-in, say).
 */
function loginFrom(ip: string, email: string, password: string, cookie?: string) {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    'content-type': 'application/x-www-form-urlencoded',
  }
  if (cookie) headers['cookie'] = cookie
  return t.app.request(
    new URL('/login', ORIGIN).toString(),
    { method: 'POST', body: new URLSearchParams({ email, password }), headers },
    { incoming: { socket: { remoteAddress: ip } } },
  )
}

/** `ladder_device=…` that a sign-in set, for the same browser's next sign-in. */
function deviceCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))
  if (!set) throw new Error('no device cookie set')
  return set.split(';')[0]!
}

async function sessionCount(userId?: number) {
  let q = t.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n'))
  if (userId !== undefined) q = q.where('user_id', '=', userId)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

describe('staff sign-in', () => {
  it('refuses a wrong password with 401, a message and no session', async () => {
    const admin = await t.createStaff('admin')
    const res = await t.postForm(
      '/login',
      { email: admin.email, password: 'wrong-password-1' },
      { headers: EN },
    )
    expect(res.status).toBe(401)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    const { text, $ } = await html(res)
    expect(text('#form-error')).toBe('Email or password is not right.')
    expect($('#f-email')?.getAttribute('value')).toBe(admin.email)
    expect(await sessionCount()).toBe(0)
  })

  it('answers an unknown email exactly like a wrong password', async () => {
    const admin = await t.createStaff('admin')
    const wrong = await t.postForm(
      '/login',
      { email: admin.email, password: 'wrong-password-1' },
      { headers: EN },
    )
    const unknown = await t.postForm(
      '/login',
      { email: 'nobody@ladder.test', password: 'wrong-password-1' },
      { headers: EN },
    )
    expect(unknown.status).toBe(wrong.status)
    expect((await html(unknown)).text('#form-error')).toBe((await html(wrong)).text('#form-error'))
    expect(unknown.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
  })

  it('answers a deactivated account’s right password exactly like a wrong one, so the answer confirms nothing', async () => {
    const agent = await t.createStaff('agent')
    const other = await t.createStaff('agent')
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', agent.id).execute()
    const right = await t.postForm(
      '/login',
      { email: agent.email, password: agent.password, next: '/queue' },
      { headers: EN },
    )
    const wrong = await t.postForm(
      '/login',
      { email: agent.email, password: 'wrong-password-1', next: '/queue' },
      { headers: EN },
    )
    expect(right.status).toBe(401)
    expect(right.status).toBe(wrong.status)
    expect(await right.text()).toBe(await wrong.text())
    expect(right.headers.getSetCookie()).toEqual([])
    expect(await sessionCount()).toBe(0)
    // And it counts like a wrong one: the same attempts lock the same way as for an active account.
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT - 2; i++)
      await t.postForm('/login', { email: agent.email, password: agent.password })
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++)
      await t.postForm('/login', { email: other.email, password: 'wrong-password-1' })
    expect(
      (await t.postForm('/login', { email: agent.email, password: agent.password })).status,
    ).toBe(429)
    expect(
      (await t.postForm('/login', { email: other.email, password: other.password })).status,
    ).toBe(429)
  })

  it('sets a fresh HttpOnly SameSite=Lax session cookie at each sign-in and ends the previous session', async () => {
    const admin = await t.createStaff('admin')
    // The session is set once the second factor is in (src/auth/signIn.ts), not by the password.
    const first = await t.staff.signIn(admin.email, admin.password)
    const set = first.res.headers.getSetCookie().find((c) => c.startsWith('ladder_session='))!
    expect(set).toMatch(/HttpOnly/i)
    expect(set).toMatch(/SameSite=Lax/i)
    expect(set).toMatch(/Path=\//)
    expect(set).toMatch(new RegExp(`Max-Age=${SESSION_ABSOLUTE_MS / 1000}`))
    const again = await t.staff.signIn(admin.email, admin.password, { cookie: first.cookie })
    expect(again.cookie).not.toBe(first.cookie)
    expect(await sessionCount(admin.id)).toBe(1)
    expect((await t.get('/admin', { cookie: first.cookie })).status).toBe(303)
    expect((await t.get('/admin', { cookie: again.cookie })).status).toBe(200)
  })

  it('records the last sign-in time', async () => {
    const admin = await t.createStaff('admin')
    await t.signIn(admin.email, admin.password)
    const row = await t.db
      .selectFrom('users')
      .select('last_login_at')
      .where('id', '=', admin.id)
      .executeTakeFirstOrThrow()
    expect(row.last_login_at).toBe(t.now())
  })

  it('does not send a user to another site after sign-in', async () => {
    const admin = await t.createStaff('admin')
    await t.signIn(admin.email, admin.password)
    const res = (await t.staff.signIn(admin.email, admin.password, { next: '//evil.example/x' }))
      .res
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^\/(?![/\\])/)
    expect(location).not.toContain('evil')
    const back = (await t.staff.signIn(admin.email, admin.password, { next: '/admin/users' })).res
    expect(back.headers.get('location')).toBe('/admin/users')
  })
})

describe('sign-in rate limits', () => {
  it('refuses one address after repeated failures on an account with 429 and Retry-After, even for the right password, and only that address', async () => {
    const admin = await t.createStaff('admin')
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++) {
      const res = await t.postForm('/login', { email: admin.email, password: `wrong-${i}` })
      expect(res.status, `failure ${i + 1}`).toBe(401)
    }
    const locked = await t.postForm(
      '/login',
      { email: admin.email, password: admin.password },
      { headers: EN },
    )
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBe(LOGIN_WINDOW_MS / 1000)
    expect(locked.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    expect((await html(locked)).text('#error-message')).toContain(
      `Try again in ${LOGIN_WINDOW_MS / 1000} seconds`,
    )

    t.advance(LOGIN_WINDOW_MS - 60_000)
    const stillLocked = await t.postForm('/login', { email: admin.email, password: admin.password })
    expect(stillLocked.status).toBe(429)
    expect(Number(stillLocked.headers.get('retry-after'))).toBe(60)
    expect(await sessionCount()).toBe(0)

    t.advance(60_000)
    const open = await t.postForm('/login', { email: admin.email, password: admin.password })
    expect(open.status).toBe(303)
  })

  it('lets the owner sign in from another address while a stranger is refused for the same account', async () => {
    const admin = await t.createStaff('admin')
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT + 3; i++)
      await loginFrom('203.0.113.66', admin.email, `guess-${i}-x`)
    expect((await loginFrom('203.0.113.66', admin.email, admin.password)).status).toBe(429)
    // The owner, on a browser that never signed in before, from their own address.
    const owner = await t.staff.signIn(admin.email, admin.password, { ip: '198.51.100.7' })
    expect(owner.cookie).toMatch(/^ladder_session=/)
  })

  it('caps failures per account from many addresses, yet the browser the owner signed in from before still gets in', async () => {
    const admin = await t.createStaff('admin')
    const ownerBrowser = deviceCookie(
      (await t.staff.signIn(admin.email, admin.password, { ip: '198.51.100.7' })).res,
    )
    // A crowd of addresses, each staying under its own limits.
    let failures = 0
    for (let ip = 1; failures < LOGIN_FAILURES_PER_ACCOUNT; ip++) {
      for (
        let i = 0;
        i < LOGIN_FAILURES_PER_CLIENT - 1 && failures < LOGIN_FAILURES_PER_ACCOUNT;
        i++, failures++
      ) {
        expect(
          (await loginFrom(`203.0.113.${ip}`, admin.email, `guess-${failures}-x`)).status,
        ).toBe(401)
      }
    }
    // Strangers are refused now, from a fresh address and with the right password too.
    const stranger = await loginFrom('192.0.2.200', admin.email, 'guess-next-x')
    expect(stranger.status).toBe(429)
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await loginFrom('192.0.2.201', admin.email, admin.password)).status).toBe(429)
    // The owner's usual browser is not, from any address.
    expect(
      (await loginFrom('198.51.100.7', admin.email, admin.password, ownerBrowser)).status,
    ).toBe(303)
    expect((await loginFrom('192.0.2.202', admin.email, admin.password, ownerBrowser)).status).toBe(
      303,
    )
    // And the ceiling ends with its window.
    t.advance(LOGIN_ACCOUNT_WINDOW_MS)
    expect((await loginFrom('192.0.2.201', admin.email, admin.password)).status).toBe(303)
  })

  it('gives a browser known to the account its own limit, and knows it only for the account it signed in to', async () => {
    const a = await t.createStaff('agent')
    const b = await t.createStaff('agent')
    const signedIn = (await t.staff.signIn(a.email, a.password, { ip: '198.51.100.7' })).res
    const set = signedIn.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!
    expect(set).toMatch(/HttpOnly/i)
    expect(set).toMatch(/SameSite=Lax/i)
    expect(set).toMatch(/Path=\/login/)
    expect(set).toMatch(new RegExp(`Max-Age=${DEVICE_REMEMBERED_MS / 1000}`))
    const browser = deviceCookie(signedIn)
    const row = await t.db.selectFrom('login_devices').selectAll().executeTakeFirstOrThrow()
    expect(row.user_id).toBe(a.id)
    expect(row.token_hash).not.toContain(browser.split('=')[1]!)

    // The owner's typos on that browser are limited like anyone's.
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++) {
      expect((await loginFrom('198.51.100.7', a.email, `typo-${i}-x`, browser)).status).toBe(401)
    }
    expect((await loginFrom('198.51.100.7', a.email, a.password, browser)).status).toBe(429)
    // Those were not a stranger's failures: from the same address without the cookie, a gets in.
    expect((await loginFrom('198.51.100.7', a.email, a.password)).status).toBe(303)

    // The cookie means nothing for account b: its failures count per address as usual.
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++)
      await loginFrom('198.51.100.7', b.email, `typo-${i}-x`, browser)
    expect((await loginFrom('198.51.100.7', b.email, b.password, browser)).status).toBe(429)
    // A made-up cookie is a stranger's.
    expect(
      (await loginFrom('198.51.100.7', b.email, b.password, `${DEVICE_COOKIE}=${'A'.repeat(43)}`))
        .status,
    ).toBe(429)
  })

  it('forgets a browser not used for its whole remembering period', async () => {
    const admin = await t.createStaff('admin')
    const browser = deviceCookie(
      (await t.staff.signIn(admin.email, admin.password, { ip: '198.51.100.7' })).res,
    )
    t.advance(DEVICE_REMEMBERED_MS)
    for (
      let ip = 1;
      ip <= Math.ceil(LOGIN_FAILURES_PER_ACCOUNT / (LOGIN_FAILURES_PER_CLIENT - 1));
      ip++
    ) {
      for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT - 1; i++)
        await loginFrom(`203.0.113.${ip}`, admin.email, `guess-${i}-x`)
    }
    expect((await loginFrom('198.51.100.7', admin.email, admin.password, browser)).status).toBe(429)
  })

  it('counts the email however it is capitalised', async () => {
    const admin = await t.createStaff('admin')
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++) {
      await t.postForm('/login', {
        email: i % 2 ? admin.email.toUpperCase() : admin.email,
        password: 'wrong-1x',
      })
    }
    expect(
      (await t.postForm('/login', { email: admin.email, password: admin.password })).status,
    ).toBe(429)
  })

  it('does not lock other accounts when one is locked', async () => {
    const a = await t.createStaff('agent')
    const b = await t.createStaff('agent')
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++)
      await t.postForm('/login', { email: a.email, password: 'nope-123' })
    expect((await t.postForm('/login', { email: a.email, password: a.password })).status).toBe(429)
    expect((await t.postForm('/login', { email: b.email, password: b.password })).status).toBe(303)
  })

  it('never counts successful sign-ins, and a success clears the client’s failures', async () => {
    const admin = await t.createStaff('admin')
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT - 1; i++) {
        expect(
          (await t.postForm('/login', { email: admin.email, password: 'typo-123' })).status,
        ).toBe(401)
      }
      expect(
        (await t.postForm('/login', { email: admin.email, password: admin.password })).status,
        `round ${round}`,
      ).toBe(303)
    }
    for (let i = 0; i < Math.max(LOGIN_FAILURES_PER_IP, LOGIN_FAILURES_PER_ACCOUNT) + 2; i++) {
      expect((await loginFrom('10.1.1.1', admin.email, admin.password)).status).toBe(303)
    }
  })

  it('limits failures per IP address across different emails', async () => {
    const admin = await t.createStaff('admin')
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      const res = await loginFrom('203.0.113.9', `guess-${i}@ladder.test`, 'password-1')
      expect(res.status, `failure ${i + 1}`).toBe(401)
    }
    const blocked = await loginFrom('203.0.113.9', admin.email, admin.password)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    // The account itself had no failures: from another address it signs in.
    expect((await loginFrom('198.51.100.4', admin.email, admin.password)).status).toBe(303)
    t.advance(LOGIN_WINDOW_MS)
    expect((await loginFrom('203.0.113.9', admin.email, admin.password)).status).toBe(303)
  })

  it('cannot be overtaken by a burst of parallel guesses', async () => {
    const admin = await t.createStaff('admin')
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        t.postForm('/login', { email: admin.email, password: `burst-${i}` }),
      ),
    )
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_FAILURES_PER_CLIENT)
    expect(statuses.filter((s) => s === 429)).toHaveLength(15 - LOGIN_FAILURES_PER_CLIENT)
  })

  it('does not count refused attempts, so the lock ends when the window does', async () => {
    const admin = await t.createStaff('admin')
    for (let i = 0; i < LOGIN_FAILURES_PER_CLIENT; i++)
      await t.postForm('/login', { email: admin.email, password: 'wrong-9x' })
    for (let i = 0; i < 5; i++) {
      t.advance(60_000)
      expect(
        (await t.postForm('/login', { email: admin.email, password: 'wrong-9x' })).status,
      ).toBe(429)
    }
    const rows = await t.db.selectFrom('rate_limits').select(['key', 'count']).execute()
    expect(rows.map((r) => Number(r.count))).toEqual([
      LOGIN_FAILURES_PER_CLIENT,
      LOGIN_FAILURES_PER_CLIENT,
      LOGIN_FAILURES_PER_CLIENT,
    ])
    t.advance(LOGIN_WINDOW_MS - 5 * 60_000)
    expect(
      (await t.postForm('/login', { email: admin.email, password: admin.password })).status,
    ).toBe(303)
  })

  it('keeps its counters in the database', async () => {
    const admin = await t.createStaff('admin')
    await loginFrom('192.0.2.7', admin.email, 'wrong-pass-1')
    const keys = (await t.db.selectFrom('rate_limits').select(['key', 'count']).execute()).map(
      (r) => `${r.key}=${r.count}`,
    )
    expect(keys.sort()).toEqual([
      `login:account:${admin.email}=1`,
      'login:ip:192.0.2.7=1',
      `login:pair:${admin.email}|192.0.2.7=1`,
    ])
  })
})

describe('sessions', () => {
  it('ends a session left idle for 8 hours, server-side too', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    t.advance(SESSION_IDLE_MS - 60_000)
    expect((await t.get('/admin', { cookie })).status).toBe(200)
    t.advance(SESSION_IDLE_MS)
    const res = await t.get('/admin', { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Fadmin')
    expect(await sessionCount(admin.id)).toBe(0)
  })

  it('ends a session 7 days after sign-in however active it stays', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    const started = t.now()
    while (t.now() + 7 * HOUR < started + SESSION_ABSOLUTE_MS) {
      t.advance(7 * HOUR)
      expect(
        (await t.get('/admin', { cookie })).status,
        `after ${(t.now() - started) / HOUR} h`,
      ).toBe(200)
    }
    t.setNow(started + SESSION_ABSOLUTE_MS)
    const res = await t.get('/admin', { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login\?next=/)
    expect(await sessionCount(admin.id)).toBe(0)
  })

  it('keeps the signed-in user between requests until a write: a change behind the application’s back is not seen', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    const who = async () => (await html(await t.get('/', { cookie }))).text('.site-nav .who')
    expect(await who()).toContain('Test admin')
    // The raw handle bypasses the write tracking, as nothing in the application does.
    t.database.sqlite.prepare("update users set name = 'Renamed' where id = ?").run(admin.id)
    expect(await who()).toContain('Test admin')
    await t.db
      .updateTable('users')
      .set({ name: 'Renamed again' })
      .where('id', '=', admin.id)
      .execute()
    expect(await who()).toContain('Renamed again')
  })

  it('ends a session removed by another process (the CLI) on the very next request, though sessions are cached between requests', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    expect((await t.get('/admin/users', { cookie })).status).toBe(200)
    const other = new SQLite(t.config.databaseFile)
    try {
      other.prepare('delete from sessions where user_id = ?').run(admin.id)
    } finally {
      other.close()
    }
    const res = await t.get('/admin/users', { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Fadmin%2Fusers')
  })

  it('kills the session server-side at sign-out, so the old cookie opens nothing', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    const out = await t.postForm('/logout', {}, { cookie })
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/login?signed_out=1')
    expect(out.headers.getSetCookie().find((c) => c.startsWith('ladder_session='))).toMatch(
      /Max-Age=0/,
    )
    expect(await sessionCount(admin.id)).toBe(0)
    const reuse = await t.get('/admin/users', { cookie })
    expect(reuse.status).toBe(303)
    expect(reuse.headers.get('location')).toBe('/login?next=%2Fadmin%2Fusers')
  })

  it('stops a deactivated user’s live session at once', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    expect((await t.get('/admin', { cookie })).status).toBe(200)
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', admin.id).execute()
    expect((await t.get('/admin', { cookie })).status).toBe(303)
    expect(await sessionCount(admin.id)).toBe(0)
    const again = await t.postForm(
      '/login',
      { email: admin.email, password: admin.password },
      { headers: EN },
    )
    expect(again.status).toBe(401)
    // Said like a wrong password (see "answers a deactivated account’s right password…").
    expect((await html(again)).text('#form-error')).toBe('Email or password is not right.')
  })

  it('shows the Admin link only to administrators', async () => {
    const admin = await t.createStaff('admin')
    const manager = await t.createStaff('manager')
    const adminPage = await html(
      await t.get('/', { cookie: await t.signIn(admin.email, admin.password) }),
    )
    expect(adminPage.$('.site-nav a[href="/admin"]')).not.toBeNull()
    const managerPage = await html(
      await t.get('/', { cookie: await t.signIn(manager.email, manager.password) }),
    )
    expect(managerPage.$('.site-nav a[href="/admin"]')).toBeNull()
    expect((await html(await t.get('/'))).$('.site-nav a[href="/admin"]')).toBeNull()
  })
})

describe('CSRF', () => {
  const crossSite = {
    origin: 'https://evil.example',
    'content-type': 'application/x-www-form-urlencoded',
  }

  it('refuses a cross-origin sign-in', async () => {
    const admin = await t.createStaff('admin')
    const res = await t.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ email: admin.email, password: admin.password }),
      headers: crossSite,
    })
    expect(res.status).toBe(403)
    expect(await sessionCount()).toBe(0)
  })

  it('refuses a cross-origin sign-out and the session survives', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    const res = await t.request('/logout', {
      method: 'POST',
      body: new URLSearchParams(),
      headers: crossSite,
      cookie,
    })
    expect(res.status).toBe(403)
    expect(await sessionCount(admin.id)).toBe(1)
    expect((await t.get('/admin', { cookie })).status).toBe(200)
  })

  it('refuses a cross-origin admin change even with a valid session', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    const fields = {
      email: 'new@ladder.test',
      name: 'New',
      role: 'admin',
      password: 'strong-pass-9',
    }
    const res = await t.request('/admin/users', {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: crossSite,
      cookie,
    })
    expect(res.status).toBe(403)
    const fetchSite = await t.request('/admin/users', {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
      },
      cookie,
    })
    expect(fetchSite.status).toBe(403)
    expect(
      await t.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'new@ladder.test')
        .executeTakeFirst(),
    ).toBeUndefined()
  })

  it('refuses a form post that carries neither Origin nor Sec-Fetch-Site', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    for (const path of ['/login', '/logout', '/admin/providers']) {
      const res = await t.request(path, {
        method: 'POST',
        body: new URLSearchParams({
          email: admin.email,
          password: admin.password,
          slug: 'x1',
          name_zh: 'x',
          name_en: 'x',
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookie,
      })
      expect(res.status, path).toBe(403)
    }
    expect(await sessionCount(admin.id)).toBe(1)
  })

  it('accepts a same-origin post identified by Sec-Fetch-Site alone', async () => {
    const admin = await t.createStaff('admin')
    const res = await t.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ email: admin.email, password: admin.password }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
      },
    })
    expect(res.status).toBe(303)
  })
})

describe('hitRateLimit', () => {
  it('allows `limit` hits per fixed window, then says how long to wait, then starts a new window', async () => {
    const start = t.now()
    for (let i = 0; i < 3; i++)
      expect(await hitRateLimit(t.db, 'k', 3, 60_000, start + i * 1000)).toEqual({
        allowed: true,
        retryAfterSeconds: 0,
      })
    expect(await hitRateLimit(t.db, 'k', 3, 60_000, start + 10_500)).toEqual({
      allowed: false,
      retryAfterSeconds: 50,
    })
    expect(await hitRateLimit(t.db, 'other', 3, 60_000, start + 10_500)).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
    })
    expect(await hitRateLimit(t.db, 'k', 3, 60_000, start + 60_000)).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
    })
    const row = await t.db
      .selectFrom('rate_limits')
      .selectAll()
      .where('key', '=', 'k')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ window_start: start + 60_000, count: 1 })
  })

  it('prunes only windows that have ended', async () => {
    await hitRateLimit(t.db, 'old', 3, 60_000, t.now())
    await hitRateLimit(t.db, 'new', 3, 60_000, t.now() + 30_000)
    expect(await pruneRateLimits(t.db, t.now() + 60_000, 60_000)).toBe(1)
    expect(
      (await t.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key),
    ).toEqual(['new'])
  })
})
