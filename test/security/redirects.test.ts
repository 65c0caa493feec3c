import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { safeRedirect } from '../../src/http/safeRedirect.js'
import { createTestApp, html, sessionCookie, type TestApp } from '../helpers/testApp.js'
import { cookieOf } from '../helpers/staffSignIn.js'

// Where to go after signing in (?next=, the login form's hidden field) and after switching the
// language (return_to) comes from the user: only a path on this site is followed, anything
// else is ignored (the default page), and no value makes a 5xx.

// What a browser makes of each, when it is a Location header on http://ladder.test/.
const OFF_SITE = [
  '//evil.example',
  '//evil.example/x',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e%2e//evil.example',
  '/a/..//evil.example',
  'https://evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  'evil.example',
  ' //evil.example',
  '\t//evil.example',
  '',
]
const MALFORMED = [
  '/x\r\nSet-Cookie: a=b',
  '/x\nLocation: //evil',
  '/x\u0000',
  '/x\u001b',
  '/x\u007f',
  '/' + 'a'.repeat(2001),
]

describe('safeRedirect', () => {
  it.each([...OFF_SITE, ...MALFORMED])('falls back for %j', (target) => {
    expect(safeRedirect(target, '/queue')).toBe('/queue')
  })

  it.each([undefined, null, 42, ['/admin'], { href: '/admin' }])(
    'falls back for a non-string %j',
    (target) => {
      expect(safeRedirect(target, '/')).toBe('/')
    },
  )

  it.each([
    ['/admin/users', '/admin/users'],
    ['/queue?status=open&q=a%20b', '/queue?status=open&q=a%20b'],
    ['/tickets/LD-2026-000001#evidence', '/tickets/LD-2026-000001#evidence'],
    ['/', '/'],
    ['/a?next=//evil.example', '/a?next=//evil.example'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/a/../b', '/b'],
    // Serialized as a URL: the Location header holds ASCII only.
    ['/搜索?q=钱包', '/%E6%90%9C%E7%B4%A2?q=%E9%92%B1%E5%8C%85'],
    ['/a b', '/a%20b'],
  ])('keeps the same-site path %j as %j', (target, expected) => {
    expect(safeRedirect(target, '/queue')).toBe(expected)
  })
})

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

/** Where a browser goes with this Location, from a page on our origin. */
const resolvedHost = (location: string) => new URL(location, 'http://ladder.test/login').host

describe('sign-in redirect', () => {
  it('ignores ?next= leading off the site, on the sign-in page and for someone signed in', async () => {
    const admin = await t.createStaff('admin')
    const cookie = await t.signIn(admin.email, admin.password)
    for (const next of [...OFF_SITE, ...MALFORMED]) {
      const signedIn = await t.get(`/login?next=${encodeURIComponent(next)}`, { cookie })
      expect(signedIn.status, JSON.stringify(next)).toBe(303)
      expect(signedIn.headers.get('location'), JSON.stringify(next)).toBe('/')

      // The form carries only a safe target, so a crafted link cannot plant one for later.
      const page = await t.get(`/login?next=${encodeURIComponent(next)}`)
      expect(page.status).toBe(200)
      expect(
        (await html(page)).$('input[name=next]')?.getAttribute('value') ?? '',
        JSON.stringify(next),
      ).toBe('')
    }
    const fine = await t.get(`/login?next=${encodeURIComponent('/admin/users?done=added')}`)
    expect((await html(fine)).$('input[name=next]')?.getAttribute('value')).toBe(
      '/admin/users?done=added',
    )
  })

  /** The password step for `next`, then the second factor, on a fresh time step: the answer that ends sign-in. */
  async function signInWith(email: string, password: string, next: string | string[]) {
    const res = await t.postForm('/login', { email, password, next })
    expect(res.status, JSON.stringify(next)).toBe(303)
    expect(res.headers.get('location')).toBe('/login/code')
    t.advance(30_000)
    return t.postForm(
      '/login/code',
      { code: await t.staff.nextCode(email) },
      { cookie: cookieOf(res, 'ladder_login') },
    )
  }

  it('sends a user signing in to the default page for every target off the site or malformed, never a 5xx', async () => {
    const admin = await t.createStaff('admin')
    await t.signIn(admin.email, admin.password)
    for (const next of [...OFF_SITE, ...MALFORMED]) {
      const res = await signInWith(admin.email, admin.password, next)
      expect(res.status, JSON.stringify(next)).toBe(303)
      const location = res.headers.get('location')!
      expect(location, JSON.stringify(next)).toBe('/queue')
      expect(resolvedHost(location)).toBe('ladder.test')
    }
    // Repeated: the form field is one value, never a list.
    const twice = await signInWith(admin.email, admin.password, ['/admin', '//evil.example'])
    expect(twice.headers.get('location')).toBe('/queue')
    const back = await signInWith(admin.email, admin.password, '/admin/users')
    expect(back.headers.get('location')).toBe('/admin/users')
  })

  it('ignores a target holding CR/LF instead of a 500 after the session cookie was set', async () => {
    const admin = await t.createStaff('admin')
    await t.signIn(admin.email, admin.password)
    const res = await signInWith(admin.email, admin.password, '/x\r\nSet-Cookie: a=b')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/queue')
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('a='))).toEqual([])
    // The one session handed out works: the sign-in completed as a whole.
    expect((await t.get('/queue', { cookie: sessionCookie(res) })).status).toBe(200)
  })

  it('keeps a safe target through a refused attempt', async () => {
    const admin = await t.createStaff('admin')
    const wrong = await t.postForm('/login', {
      email: admin.email,
      password: 'wrong-password-1',
      next: '/admin',
    })
    expect(wrong.status).toBe(401)
    expect((await html(wrong)).$('input[name=next]')?.getAttribute('value')).toBe('/admin')
    const invalid = await t.postForm('/login', {
      email: 'not-an-email',
      password: 'x',
      next: '/\t/evil.example',
    })
    expect(invalid.status).toBe(422)
    expect((await html(invalid)).$('input[name=next]')?.getAttribute('value') ?? '').toBe('')
  })
})

describe('language switch redirect', () => {
  it('returns only to a path on this site, never a 5xx', async () => {
    for (const returnTo of [...OFF_SITE, ...MALFORMED]) {
      const res = await t.postForm('/lang', { locale: 'en', return_to: returnTo })
      expect(res.status, JSON.stringify(returnTo)).toBe(303)
      expect(res.headers.get('location'), JSON.stringify(returnTo)).toBe('/')
    }
    const res = await t.postForm('/lang', { locale: 'en', return_to: '/track?x=1' })
    expect(res.headers.get('location')).toBe('/track?x=1')
  })
})
