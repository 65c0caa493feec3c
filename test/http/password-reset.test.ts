// Password reset by email, over HTTP: the link goes through the outbox to a real SMTP server,
// works once for 30 minutes, ends every session of the account, and asking for one says and
// does the same whether or not the address has an account.
import type { ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/auth/password.js'
import {
  RESET_REQUESTS_PER_EMAIL,
  RESET_REQUESTS_PER_IP,
  RESET_TOKEN_TTL_MS,
} from '../../src/auth/passwordReset.js'
import { issueSetupTokenIfNeeded } from '../../src/auth/setup.js'
import { silentLogger } from '../../src/http/logger.js'
import { createSender } from '../../src/mail/sender.js'
import { createTransport } from '../../src/mail/transport.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { startSmtp, type Smtp } from '../mail/smtpServer.js'

const EN = { 'accept-language': 'en' }
const NEW_PASSWORD = 'river-stone-731'
let t: TestApp
let staff: { id: number; email: string; password: string }

beforeEach(async () => {
  t = await createTestApp()
  staff = await t.createStaff('agent', 'li.na@ladder.test')
})
afterEach(async () => {
  await t.close()
})

const outbox = () => t.db.selectFrom('outbox').selectAll().orderBy('id').execute()
const ask = (email: string, headers: Record<string, string> = EN) =>
  t.postForm('/password/forgot', { email }, { headers })
const reset = (
  token: string,
  password = NEW_PASSWORD,
  confirm = password,
  init: { cookie?: string } = {},
) =>
  t.postForm(
    '/password/reset',
    { token, password, password_confirm: confirm },
    { headers: EN, ...init },
  )
const hashOf = async (id: number) =>
  (
    await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).password_hash

function tokenIn(text: string): string {
  const m = /\/password\/reset\?token=([A-Za-z0-9_-]+)/.exec(text)
  if (!m) throw new Error('no reset link in: ' + text)
  return m[1]!
}

/** Asks for a link for `email` and returns the token of the email that was queued. */
async function linkFor(email: string): Promise<string> {
  const before = (await outbox()).length
  expect((await ask(email)).status).toBe(200)
  const rows = await outbox()
  expect(rows).toHaveLength(before + 1)
  return tokenIn(rows.at(-1)!.text_body)
}

describe('password reset', () => {
  it('is offered on the sign-in page', async () => {
    const { $ } = await html(await t.get('/login', { headers: EN }))
    expect($('#forgot-link')?.getAttribute('href')).toBe('/password/forgot')
    const page = await html(await t.get('/password/forgot', { headers: EN }))
    expect(page.$('#forgot-form #f-email')).not.toBeNull()
  })

  it('mails a link through the outbox to a real SMTP server; it sets a new password once', async () => {
    let smtp: Smtp | null = null
    try {
      smtp = await startSmtp()
      expect((await ask('Li.Na@Ladder.test')).status).toBe(200)
      const sender = createSender({
        db: t.db,
        transport: createTransport({
          smtpUrl: smtp.url,
          mailDir: t.config.mailDir,
          from: 'Ladder <noreply@ladder.test>',
        }),
        logger: silentLogger(),
        clock: t.now,
      })
      await sender.runOnce()
      await sender.stop()
      expect(smtp.received).toHaveLength(1)
      const { rcpt, mail } = smtp.received[0]! as { rcpt: string[]; mail: ParsedMail }
      expect(rcpt).toEqual(['li.na@ladder.test'])
      expect(mail.subject).toBe('Choose a new Ladder password')
      const link = /https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0]
      expect(mail.html).toContain(`href="${link}"`)
      // Only the token's hash is stored.
      const token = new URL(link).searchParams.get('token')!
      const stored = await t.db
        .selectFrom('one_time_tokens')
        .select('token_hash')
        .where('purpose', '=', 'password_reset')
        .execute()
      expect(stored).toHaveLength(1)
      expect(stored[0]!.token_hash).not.toContain(token)

      const form = await t.get(`/password/reset?token=${token}`, { headers: EN })
      expect(form.status).toBe(200)
      const page = await html(form)
      expect(page.text('h1')).toBe('Choose a new password')
      expect(page.text('.narrow > p')).toContain('li.na@ladder.test')
      expect(page.$('#reset-form input[name="token"]')?.getAttribute('value')).toBe(token)

      const done = await reset(token)
      expect(done.status).toBe(303)
      expect(done.headers.get('location')).toBe('/login?done=password_changed')
      const notice = await html(await t.get('/login?done=password_changed', { headers: EN }))
      expect(notice.text('#form-error')).toContain('Your password was changed')
      expect(await verifyPassword(NEW_PASSWORD, await hashOf(staff.id))).toBe(true)
      expect(
        (await t.postForm('/login', { email: staff.email, password: staff.password })).status,
      ).toBe(401)
      await t.signIn(staff.email, NEW_PASSWORD)
      // The owner hears of the change.
      const changed = (await outbox()).filter((r) => r.kind === 'password_changed')
      expect(changed.map((r) => r.to_address)).toEqual(['li.na@ladder.test'])
    } finally {
      await smtp?.close()
    }
  })

  it('answers an unknown or deactivated address exactly as a known one, with one email each', async () => {
    const known = await ask('li.na@ladder.test')
    const unknown = await ask('nobody@ladder.test')
    const dormant = await t.createStaff('agent', 'gone@ladder.test')
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', dormant.id).execute()
    const inactive = await ask('gone@ladder.test')
    const bodies = await Promise.all([known, unknown, inactive].map((r) => r.text()))
    for (const r of [unknown, inactive]) {
      expect(r.status).toBe(known.status)
      expect(r.headers.get('content-type')).toBe(known.headers.get('content-type'))
      expect(r.headers.get('set-cookie')).toBe(known.headers.get('set-cookie'))
    }
    expect(bodies[1]).toBe(bodies[0])
    expect(bodies[2]).toBe(bodies[0])
    expect(known.status).toBe(200)
    expect((await html(new Response(bodies[0]))).$('#reset-sent')).not.toBeNull()

    const rows = await outbox()
    expect(rows.map((r) => [r.kind, r.to_address])).toEqual([
      ['password_reset', 'li.na@ladder.test'],
      ['password_reset_unknown', 'nobody@ladder.test'],
      ['password_reset_unknown', 'gone@ladder.test'],
    ])
    // No link in the notices, and a token only for the active account.
    for (const r of rows.slice(1)) expect(r.text_body).not.toContain('/password/reset')
    const tokens = await t.db
      .selectFrom('one_time_tokens')
      .select('user_id')
      .where('purpose', '=', 'password_reset')
      .execute()
    expect(tokens).toEqual([{ user_id: staff.id }])
  })

  it('writes the email in the requester’s language when the account has none', async () => {
    await ask('li.na@ladder.test', { 'accept-language': 'zh-CN' })
    const [row] = await outbox()
    expect(row!.locale).toBe('zh-CN')
    expect(row!.subject).toBe('设置新的 Ladder 密码')
  })

  it('refuses an expired link, and changes nothing', async () => {
    const token = await linkFor(staff.email)
    const before = await hashOf(staff.id)
    t.advance(RESET_TOKEN_TTL_MS - 1)
    expect((await t.get(`/password/reset?token=${token}`)).status).toBe(200)
    t.advance(1)
    const page = await t.get(`/password/reset?token=${token}`, { headers: EN })
    expect(page.status).toBe(404)
    expect((await html(page)).text('#link-invalid')).toContain('not valid any more')
    expect((await reset(token)).status).toBe(404)
    expect(await hashOf(staff.id)).toBe(before)
  })

  it('refuses a link used once already, and every other link of the account with it', async () => {
    const first = await linkFor(staff.email)
    const second = await linkFor(staff.email)
    expect((await reset(second)).status).toBe(303)
    const after = await hashOf(staff.id)
    for (const token of [second, first]) {
      expect((await t.get(`/password/reset?token=${token}`)).status, token).toBe(404)
      expect((await reset(token, 'another-one-99')).status, token).toBe(404)
    }
    expect(await hashOf(staff.id)).toBe(after)
  })

  it('ends every session of the account, on every device', async () => {
    const phone = await t.signIn(staff.email, staff.password)
    const laptop = await t.signIn(staff.email, staff.password)
    const colleague = await t.createStaff('agent', 'colleague@ladder.test')
    const colleagueCookie = await t.signIn(colleague.email, colleague.password)
    expect((await t.get('/queue', { cookie: phone })).status).toBe(200)
    const token = await linkFor(staff.email)
    expect((await reset(token, NEW_PASSWORD, NEW_PASSWORD, { cookie: laptop })).status).toBe(303)
    const left = await t.db.selectFrom('sessions').select('user_id').execute()
    expect(left).toEqual([{ user_id: colleague.id }])
    for (const cookie of [phone, laptop]) {
      const res = await t.get('/queue', { cookie })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toMatch(/^\/login/)
    }
    expect((await t.get('/queue', { cookie: colleagueCookie })).status).toBe(200)
  })

  it('changes only the account the link was made for, whoever uses it', async () => {
    const other = await t.createStaff('manager', 'other@ladder.test')
    const otherCookie = await t.signIn(other.email, other.password)
    const otherHash = await hashOf(other.id)
    const token = await linkFor(staff.email)
    expect((await reset(token, NEW_PASSWORD, NEW_PASSWORD, { cookie: otherCookie })).status).toBe(
      303,
    )
    expect(await hashOf(other.id)).toBe(otherHash)
    expect(await verifyPassword(NEW_PASSWORD, await hashOf(staff.id))).toBe(true)
  })

  it('refuses tokens of another kind: a setup token, an invitation token, a made-up one', async () => {
    const admin = await t.createStaff('admin', 'boss@ladder.test')
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', admin.id).execute()
    const setup = (await issueSetupTokenIfNeeded(t.db, t.now()))!
    await t.db.updateTable('users').set({ active: 1 }).where('id', '=', admin.id).execute()
    const cookie = await t.signIn(admin.email, admin.password)
    await t.postForm(
      '/admin/invitations',
      { email: 'new@ladder.test', name: 'New', role: 'agent' },
      { cookie },
    )
    const invitation = /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(
      (await outbox()).at(-1)!.text_body,
    )![1]!
    const before = await hashOf(staff.id)
    for (const token of [setup, invitation, 'x'.repeat(43), 'a'.repeat(5000), '%00\r\n', '']) {
      const q = encodeURIComponent(token)
      expect((await t.get(`/password/reset?token=${q}`)).status, token).toBe(404)
      expect((await reset(token)).status, token).toBeLessThan(500)
      expect([404, 422]).toContain((await reset(token)).status)
    }
    expect((await t.get('/password/reset')).status).toBe(404)
    expect(await hashOf(staff.id)).toBe(before)
    // The invitation still works for what it was made for.
    expect((await t.get(`/invitation?token=${invitation}`)).status).toBe(200)
  })

  it.each([
    ['onlyletters', 'Mix letters with digits or symbols.'],
    ['short1', 'At least 8 characters.'],
    [
      'password1',
      'This password is on the list of common passwords that attackers try first. Choose another one.',
    ],
    ['aaaa1111', 'Use at least 5 different characters.'],
    ['li.na-2026', 'Do not use your name or the part of your email address before the @.'],
  ])(
    'refuses the weak or common password %j with its own message, and the link keeps working',
    async (password, message) => {
      const token = await linkFor(staff.email)
      const before = await hashOf(staff.id)
      const res = await reset(token, password)
      expect(res.status).toBe(422)
      const { $, text } = await html(res)
      expect(text('#f-password-error')).toBe(message)
      expect($('#f-password')?.getAttribute('value')).toBe('')
      expect($('#reset-form input[name="token"]')?.getAttribute('value')).toBe(token)
      expect(await hashOf(staff.id)).toBe(before)
      expect((await reset(token)).status).toBe(303)
    },
  )

  it('refuses two different passwords and a malformed address with 422', async () => {
    const token = await linkFor(staff.email)
    const res = await reset(token, NEW_PASSWORD, 'something-else-1')
    expect(res.status).toBe(422)
    expect((await html(res)).text('#f-password_confirm-error')).toBe('The two passwords differ.')
    const bad = await ask('not-an-address')
    expect(bad.status).toBe(422)
    expect((await html(bad)).$('#f-email')?.getAttribute('aria-invalid')).toBe('true')
  })

  it('limits requests per address, known or not, and per client', async () => {
    for (const email of ['li.na@ladder.test', 'nobody@ladder.test']) {
      for (let i = 0; i < RESET_REQUESTS_PER_EMAIL; i++) expect((await ask(email)).status).toBe(200)
      const refused = await ask(email.toUpperCase())
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    const sent = (await outbox()).length
    expect(sent).toBe(2 * RESET_REQUESTS_PER_EMAIL)
    for (let i = 2 * RESET_REQUESTS_PER_EMAIL; i < RESET_REQUESTS_PER_IP; i++)
      expect((await ask(`n${i}@ladder.test`)).status).toBe(200)
    expect((await ask('fresh@ladder.test')).status).toBe(429)
    expect((await outbox()).length).toBe(RESET_REQUESTS_PER_IP)
    // Links already sent still work while the address is limited.
    const first = tokenIn((await outbox())[0]!.text_body)
    expect((await reset(first)).status).toBe(303)
  })
})
