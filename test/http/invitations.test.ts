// Invitations over HTTP: an administrator invites by email, the invitee chooses the password
// with a single-use link; admins never type anyone's password. Revoked, replaced, accepted and
// expired links open nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { INVITATION_TTL_MS } from '../../src/admin/invitations.js'
import { verifyPassword } from '../../src/auth/password.js'
import { hashSecret } from '../../src/secrets.js'
import { createUser } from '../../src/auth/users.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

const EN = { 'accept-language': 'en' }
const PASSWORD = 'blue-harbour-58'
let t: TestApp
let admin: { id: number; email: string; password: string }
let cookie: string

beforeEach(async () => {
  t = await createTestApp()
  admin = await t.createStaff('admin', 'boss@ladder.test')
  await t.db.updateTable('users').set({ name: 'Zhou Min' }).where('id', '=', admin.id).execute()
  cookie = await t.signIn(admin.email, admin.password)
})
afterEach(async () => {
  await t.close()
})

const outbox = () => t.db.selectFrom('outbox').selectAll().orderBy('id').execute()
const user = (email: string) =>
  t.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
const invitations = () => t.db.selectFrom('invitations').selectAll().orderBy('id').execute()
const tokenIn = (text: string) => /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!

async function invite(fields: Record<string, string> = {}, headers: Record<string, string> = EN) {
  return t.postForm(
    '/admin/invitations',
    { email: 'Wang.Fang@Ladder.test', name: 'Wang Fang', role: 'manager', ...fields },
    { cookie, headers },
  )
}
/** Invites and returns the token from the email that was queued. */
async function invited(fields: Record<string, string> = {}): Promise<string> {
  const res = await invite(fields)
  expect(res.status).toBe(303)
  return tokenIn((await outbox()).at(-1)!.text_body)
}
const accept = (token: string, fields: Record<string, string> = {}) =>
  t.postForm(
    '/invitation',
    { token, name: 'Wang Fang', password: PASSWORD, password_confirm: PASSWORD, ...fields },
    { headers: EN },
  )

describe('the admin users page', () => {
  it('has no password field: a user is added by invitation', async () => {
    const { $, $$ } = await html(await t.get('/admin/users', { cookie, headers: EN }))
    expect($$('input[type="password"], [name="password"]')).toHaveLength(0)
    const form = $('#invite-form')
    expect(form?.getAttribute('action')).toBe('/admin/invitations')
    for (const f of ['email', 'name', 'role'])
      expect($(`#invite-form [name="${f}"]`), f).not.toBeNull()
    expect($('#user-add-form')).toBeNull()
  })

  it('no longer accepts a user with a password typed by an administrator', async () => {
    const res = await t.postForm(
      '/admin/users',
      { email: 'x@ladder.test', name: 'X', role: 'agent', password: 'strong-pass-17' },
      { cookie },
    )
    expect(res.status).toBe(404)
    expect(await user('x@ladder.test')).toBeUndefined()
  })
})

describe('inviting', () => {
  it('queues an email with a single-use link, stores only its hash and records who invited', async () => {
    const res = await invite()
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/users?done=invited')
    const [mail] = await outbox()
    expect(mail).toMatchObject({
      kind: 'invitation',
      to_address: 'wang.fang@ladder.test',
      locale: 'en',
      subject: 'You are invited to Ladder',
    })
    expect(mail!.text_body).toContain('Zhou Min invites you to Ladder')
    expect(mail!.text_body).toContain('with the role Manager')
    expect(mail!.html_body).toContain('/invitation?token=')
    const token = tokenIn(mail!.text_body)
    const [row] = await invitations()
    expect(row).toMatchObject({
      email: 'wang.fang@ladder.test',
      name: 'Wang Fang',
      role: 'manager',
      invited_by: admin.id,
      token_hash: hashSecret(token),
    })
    expect(row!.expires_at).toBe(t.now() + INVITATION_TTL_MS)
    expect(await user('wang.fang@ladder.test')).toBeUndefined()
    const changes = await t.db
      .selectFrom('admin_changes')
      .select(['action', 'subject', 'actor_user_id'])
      .execute()
    expect(changes).toEqual([
      { action: 'user_invited', subject: 'wang.fang@ladder.test', actor_user_id: admin.id },
    ])

    const { $, text } = await html(
      await t.get('/admin/users?done=invited', { cookie, headers: EN }),
    )
    expect(text('#admin-notice')).toBe('The invitation was sent.')
    expect(text(`#invitation-${row!.id}`)).toContain('wang.fang@ladder.test')
    expect(text(`#invitation-${row!.id}`)).toContain('Waiting')
    expect(
      $(`#invitation-${row!.id} form[action="/admin/invitations/${row!.id}/resend"]`),
    ).not.toBeNull()
    expect(
      $(`#invitation-${row!.id} form[action="/admin/invitations/${row!.id}/revoke"]`),
    ).not.toBeNull()
  })

  it('writes the invitation in the inviting administrator’s language', async () => {
    await invite({}, { 'accept-language': 'zh-CN' })
    const [mail] = await outbox()
    expect(mail).toMatchObject({ locale: 'zh-CN', subject: '邀请您加入 Ladder' })
    expect(mail!.text_body).toContain('以主管身份')
  })

  it('refuses an address that has an account or a waiting invitation, with 422 by the field', async () => {
    const taken = await invite({ email: 'BOSS@ladder.test' })
    expect(taken.status).toBe(422)
    expect((await html(taken)).text('#f-email-error')).toBe(
      'A user with this address exists already, so the invitation cannot be sent.',
    )
    await invited()
    const again = await invite({ name: 'Someone Else' })
    expect(again.status).toBe(422)
    const page = await html(again)
    expect(page.text('#f-email-error')).toContain('An invitation to this address is waiting')
    expect(page.$('#f-name')?.getAttribute('value')).toBe('Someone Else')
    expect(await invitations()).toHaveLength(1)
    expect(await outbox()).toHaveLength(1)
  })

  it('refuses missing fields and an unknown role with 422', async () => {
    const res = await invite({ email: 'not-an-email', name: '', role: 'root' })
    expect(res.status).toBe(422)
    const { $ } = await html(res)
    for (const f of ['email', 'name', 'role'])
      expect($(`#f-${f}`)?.getAttribute('aria-invalid'), f).toBe('true')
    expect(await invitations()).toHaveLength(0)
  })

  it('is for administrators only', async () => {
    for (const role of ['agent', 'manager'] as const) {
      const staff = await t.createStaff(role)
      const staffCookie = await t.signIn(staff.email, staff.password)
      const res = await t.postForm(
        '/admin/invitations',
        { email: 'evil@ladder.test', name: 'E', role: 'admin' },
        { cookie: staffCookie },
      )
      expect(res.status, role).toBe(403)
    }
    expect(await invitations()).toHaveLength(0)
  })
})

describe('accepting an invitation', () => {
  it('creates the account with the invited address and role, and then the person signs in', async () => {
    const token = await invited()
    const form = await t.get(`/invitation?token=${token}`, { headers: EN })
    expect(form.status).toBe(200)
    const page = await html(form)
    expect(page.text('.narrow > p')).toContain('wang.fang@ladder.test')
    expect(page.$('#f-name')?.getAttribute('value')).toBe('Wang Fang')
    expect(page.$('#invitation-form input[name="token"]')?.getAttribute('value')).toBe(token)

    // Address and role come from the invitation, whatever the form adds.
    const res = await accept(token, { name: '王芳', email: 'evil@ladder.test', role: 'admin' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?done=account_created')
    const created = await user('wang.fang@ladder.test')
    expect(created).toMatchObject({ name: '王芳', role: 'manager', active: 1 })
    expect(await verifyPassword(PASSWORD, created!.password_hash)).toBe(true)
    expect(await user('evil@ladder.test')).toBeUndefined()
    expect(
      (await html(await t.get('/login?done=account_created', { headers: EN }))).text('#form-error'),
    ).toContain('Your account is ready')
    await t.signIn('wang.fang@ladder.test', PASSWORD)

    const [row] = await invitations()
    expect(row).toMatchObject({ accepted_user_id: created!.id, accepted_at: t.now() })
    const list = await html(await t.get('/admin/users', { cookie, headers: EN }))
    expect(list.$(`#invitation-${row!.id}`)).toBeNull()
    expect(list.$(`#user-${created!.id}`)).not.toBeNull()
    const last = await t.db
      .selectFrom('admin_changes')
      .select(['action', 'actor_user_id'])
      .orderBy('id', 'desc')
      .executeTakeFirst()
    expect(last).toEqual({ action: 'invitation_accepted', actor_user_id: created!.id })
  })

  it('refuses an invitation link used once already', async () => {
    const token = await invited()
    expect((await accept(token)).status).toBe(303)
    const page = await t.get(`/invitation?token=${token}`, { headers: EN })
    expect(page.status).toBe(404)
    expect((await html(page)).text('#link-invalid')).toContain('not valid any more')
    expect(
      (await accept(token, { password: 'other-pass-77', password_confirm: 'other-pass-77' }))
        .status,
    ).toBe(404)
    expect(await t.db.selectFrom('users').select('id').execute()).toHaveLength(2)
    expect(
      await verifyPassword(PASSWORD, (await user('wang.fang@ladder.test'))!.password_hash),
    ).toBe(true)
  })

  it('refuses an expired invitation; sending it again gives a new link and kills the old one', async () => {
    const old = await invited()
    t.advance(INVITATION_TTL_MS)
    expect((await t.get(`/invitation?token=${old}`)).status).toBe(404)
    expect((await accept(old)).status).toBe(404)
    // A week later the administrator signs in again.
    cookie = await t.signIn(admin.email, admin.password)
    const [row] = await invitations()
    const list = await html(await t.get('/admin/users', { cookie, headers: EN }))
    expect(list.text(`#invitation-${row!.id}`)).toContain('Expired')

    const resent = await t.postForm(`/admin/invitations/${row!.id}/resend`, {}, { cookie })
    expect(resent.status).toBe(303)
    expect(resent.headers.get('location')).toBe('/admin/users?done=resent')
    const fresh = tokenIn((await outbox()).at(-1)!.text_body)
    expect(fresh).not.toBe(old)
    expect((await t.get(`/invitation?token=${old}`)).status).toBe(404)
    expect((await t.get(`/invitation?token=${fresh}`)).status).toBe(200)
    expect((await accept(old)).status).toBe(404)
    expect((await accept(fresh)).status).toBe(303)
  })

  it('a re-sent invitation replaces the earlier link at once', async () => {
    const first = await invited()
    const [row] = await invitations()
    expect((await t.postForm(`/admin/invitations/${row!.id}/resend`, {}, { cookie })).status).toBe(
      303,
    )
    const second = tokenIn((await outbox()).at(-1)!.text_body)
    expect((await accept(first)).status).toBe(404)
    expect((await accept(second)).status).toBe(303)
    const actions = await t.db.selectFrom('admin_changes').select('action').orderBy('id').execute()
    expect(actions.map((a) => a.action)).toEqual([
      'user_invited',
      'invitation_resent',
      'invitation_accepted',
    ])
  })

  it('refuses a revoked invitation; a revoked or accepted one cannot be revoked or sent again', async () => {
    const token = await invited()
    const [row] = await invitations()
    const revoked = await t.postForm(`/admin/invitations/${row!.id}/revoke`, {}, { cookie })
    expect(revoked.status).toBe(303)
    expect(revoked.headers.get('location')).toBe('/admin/users?done=revoked')
    expect((await t.get(`/invitation?token=${token}`)).status).toBe(404)
    expect((await accept(token)).status).toBe(404)
    expect(await user('wang.fang@ladder.test')).toBeUndefined()
    for (const what of ['revoke', 'resend']) {
      const res = await t.postForm(
        `/admin/invitations/${row!.id}/${what}`,
        {},
        { cookie, headers: EN },
      )
      expect(res.status, what).toBe(409)
      expect((await html(res)).text('#form-error')).toBe(
        'This invitation was accepted or revoked already.',
      )
    }
    // The address can be invited anew.
    const again = await invited()
    expect((await accept(again)).status).toBe(303)
    const [, second] = await invitations()
    expect(
      (await t.postForm(`/admin/invitations/${second!.id}/resend`, {}, { cookie })).status,
    ).toBe(409)
  })

  it('answers 404 for an invitation that does not exist', async () => {
    for (const path of [
      '/admin/invitations/9999/resend',
      '/admin/invitations/9999/revoke',
      '/admin/invitations/abc/revoke',
    ]) {
      expect((await t.postForm(path, {}, { cookie })).status, path).toBe(404)
    }
  })

  it('refuses a reset token, a setup-like token and made-up tokens as invitations', async () => {
    const staff = await t.createStaff('agent', 'li.na@ladder.test')
    expect((await t.postForm('/password/forgot', { email: staff.email })).status).toBe(200)
    const resetToken = /\/password\/reset\?token=([A-Za-z0-9_-]+)/.exec(
      (await outbox()).at(-1)!.text_body,
    )![1]!
    await invited()
    for (const token of [resetToken, 'x'.repeat(43), 'a'.repeat(5000), '']) {
      expect((await t.get(`/invitation?token=${encodeURIComponent(token)}`)).status, token).toBe(
        404,
      )
      expect([404, 422]).toContain((await accept(token)).status)
    }
    expect((await t.get('/invitation')).status).toBe(404)
    expect(await user('wang.fang@ladder.test')).toBeUndefined()
    // The reset link still works for its own account.
    expect((await t.get(`/password/reset?token=${resetToken}`)).status).toBe(200)
  })

  it.each([
    ['onlyletters', 'Mix letters with digits or symbols.'],
    ['abc1', 'At least 8 characters.'],
    [
      'iloveyou1',
      'This password is on the list of common passwords that attackers try first. Choose another one.',
    ],
    ['wangfang2026', 'Do not use your name or the part of your email address before the @.'],
  ])(
    'refuses the weak or common password %j with its own message; the link still works',
    async (password, message) => {
      const token = await invited()
      const res = await accept(token, { password, password_confirm: password })
      expect(res.status).toBe(422)
      const { $, text } = await html(res)
      expect(text('#f-password-error')).toBe(message)
      expect($('#f-password')?.getAttribute('value')).toBe('')
      expect($('#f-name')?.getAttribute('value')).toBe('Wang Fang')
      expect(await user('wang.fang@ladder.test')).toBeUndefined()
      expect((await accept(token)).status).toBe(303)
    },
  )

  it('refuses two different passwords and an empty name with 422', async () => {
    const token = await invited()
    const res = await accept(token, { name: '', password_confirm: 'different-77x' })
    expect(res.status).toBe(422)
    const { text } = await html(res)
    expect(text('#f-password_confirm-error')).toBe('The two passwords differ.')
    expect(text('#f-name-error')).toBe('This field is required.')
  })

  it('says so when an account with the address was created meanwhile (by the CLI), and creates no second one', async () => {
    const token = await invited()
    const cli = await createUser(
      t.db,
      { email: 'wang.fang@ladder.test', name: 'W', role: 'agent', password: 'made-by-cli-42' },
      t.now(),
    )
    expect(cli.ok).toBe(true)
    const res = await accept(token)
    expect(res.status).toBe(409)
    expect((await html(res)).text('#form-error')).toContain(
      'An account with this address exists already',
    )
    expect((await user('wang.fang@ladder.test'))?.role).toBe('agent')
    const [row] = await invitations()
    expect((await t.postForm(`/admin/invitations/${row!.id}/resend`, {}, { cookie })).status).toBe(
      409,
    )
  })
})
