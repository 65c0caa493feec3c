import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { issueSetupTokenIfNeeded, SETUP_TOKEN_TTL_MS } from '../../src/auth/setup.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { cookieOf } from '../helpers/staffSignIn.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const admin = {
  email: 'Chief@Example.com',
  name: '主管 Chief',
  password: 'long-enough-1',
  password_confirm: 'long-enough-1',
}

describe('first-run setup', () => {
  it('issues a token only while there is no active admin, and a new one replaces the old', async () => {
    const first = await issueSetupTokenIfNeeded(t.db, t.now())
    const second = await issueSetupTokenIfNeeded(t.db, t.now())
    expect(first).toMatch(/^[\w-]{40,}$/)
    expect(second).not.toBe(first)
    expect((await t.get(`/setup?token=${first}`)).status).toBe(404)
    expect((await t.get(`/setup?token=${second}`)).status).toBe(200)
    await t.createStaff('admin')
    expect(await issueSetupTokenIfNeeded(t.db, t.now())).toBeNull()
  })

  it('creates the first admin, signs them in, and the link then stops working', async () => {
    const token = (await issueSetupTokenIfNeeded(t.db, t.now()))!
    const page = await html(await t.get(`/setup?token=${token}`))
    expect(page.$('#setup-form input[name="token"]')?.getAttribute('value')).toBe(token)
    for (const name of ['email', 'name', 'password', 'password_confirm']) {
      const input = page.$(`#f-${name}`)
      expect(input, name).not.toBeNull()
      expect(page.$(`label[for="f-${name}"]`), name).not.toBeNull()
    }
    const res = await t.postForm('/setup', { token, ...admin })
    expect(res.status).toBe(303)
    // The first admin too sets up the second factor before any session exists.
    expect(res.headers.get('location')).toBe('/login/enrol')
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ladder_session='))).toBe(false)
    const signed = await t.staff.enrol(admin.email, cookieOf(res, 'ladder_login')!)
    const cookie = signed.cookie
    expect(signed.res.headers.getSetCookie().join(';')).toMatch(/HttpOnly/i)
    expect(signed.res.headers.getSetCookie().join(';')).toMatch(/SameSite=Lax/i)
    const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    expect(user).toMatchObject({ email: 'chief@example.com', role: 'admin', active: 1 })
    expect(user.password_hash).toMatch(/^scrypt\$/)
    expect(user.password_hash).not.toContain(admin.password)
    const home = await html(await t.get('/', { cookie }))
    expect(home.text('.site-nav .who')).toContain('主管 Chief')

    const again = await t.postForm('/setup', { token, ...admin, email: 'second@example.com' })
    expect(again.status).toBe(404)
    expect(await t.db.selectFrom('users').select('id').execute()).toHaveLength(1)
  })

  it('lets the new admin sign out and sign in again with the password', async () => {
    const token = (await issueSetupTokenIfNeeded(t.db, t.now()))!
    const setup = await t.postForm('/setup', { token, ...admin })
    const cookie = (await t.staff.enrol(admin.email, cookieOf(setup, 'ladder_login')!)).cookie
    const out = await t.postForm('/logout', {}, { cookie })
    expect(out.status).toBe(303)
    const home = await html(await t.get('/', { cookie }))
    expect(home.$('.site-nav .who')).toBeNull()
    const wrong = await t.postForm('/login', { email: admin.email, password: 'not-the-password-1' })
    expect(wrong.status).toBe(401)
    expect((await html(wrong)).text('#form-error')).toBeTruthy()
    const signedIn = await t.signIn('chief@example.com', admin.password)
    expect(signedIn).toMatch(/^ladder_session=/)
  })

  it('refuses an expired link', async () => {
    const token = (await issueSetupTokenIfNeeded(t.db, t.now()))!
    t.advance(SETUP_TOKEN_TTL_MS + 1)
    expect((await t.get(`/setup?token=${token}`)).status).toBe(404)
    expect((await t.postForm('/setup', { token, ...admin })).status).toBe(404)
  })

  it.each([
    [{ password: 'short1', password_confirm: 'short1' }, 'password', '8'],
    [{ password: 'onlyletters', password_confirm: 'onlyletters' }, 'password', 'digits'],
    [{ password: 'Password123', password_confirm: 'Password123' }, 'password', 'common passwords'],
    [{ password: 'chief-2026', password_confirm: 'chief-2026' }, 'password', 'your name'],
    [{ password: 'zzzz1111', password_confirm: 'zzzz1111' }, 'password', '5 different'],
    [{ password_confirm: 'different-1' }, 'password_confirm', 'differ'],
    [{ email: 'not-an-email' }, 'email', 'email'],
    [{ name: '' }, 'name', 'required'],
  ])(
    're-renders the form with 422 and the message by the field for %j',
    async (change, field, words) => {
      const token = (await issueSetupTokenIfNeeded(t.db, t.now()))!
      const res = await t.postForm(
        '/setup',
        { token, ...admin, ...change },
        { headers: { 'accept-language': 'en' } },
      )
      expect(res.status).toBe(422)
      const page = await html(res)
      const input = page.$(`#f-${field}`)
      expect(input?.getAttribute('aria-invalid')).toBe('true')
      expect(input?.getAttribute('aria-describedby')).toContain(`f-${field}-error`)
      expect(page.text(`#f-${field}-error`)?.toLowerCase()).toContain(words)
      if (field !== 'email') expect(page.$('#f-email')?.getAttribute('value')).toBe(admin.email)
      expect(page.$('#f-password')?.getAttribute('value')).toBe('')
      // The token was not spent by the failed attempt.
      expect((await t.get(`/setup?token=${token}`)).status).toBe(200)
    },
  )
})
