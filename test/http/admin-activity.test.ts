import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, enqueueMail } from '../../src/mail/outbox.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

let t: TestApp
let admin: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  admin = await t.createStaff('admin', 'chief@ladder.test')
  cookie = await t.signIn(admin.email, admin.password)
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }
const recorded = () =>
  t.db
    .selectFrom('admin_changes')
    .select(['action', 'subject', 'actor_user_id', 'at'])
    .orderBy('id')
    .execute()
const post = async (path: string, fields: Record<string, string> = {}) => {
  const res = await t.postForm(path, fields, { cookie })
  expect(res.status, path).toBe(303)
}

describe('administrator activity', () => {
  it('records every kind of admin change with who made it and when, and lists them newest first', async () => {
    await post('/admin/invitations', { email: 'li@ladder.test', name: '李雷', role: 'agent' })
    const invitation = /\/invitation\?token=([\w-]+)/.exec(
      (await t.db.selectFrom('outbox').select('text_body').executeTakeFirstOrThrow()).text_body,
    )![1]!
    const accepted = await t.postForm('/invitation', {
      token: invitation,
      name: '李雷',
      password: 'a-long-passphrase-1',
      password_confirm: 'a-long-passphrase-1',
    })
    expect(accepted.status).toBe(303)
    const li = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'li@ladder.test')
      .executeTakeFirstOrThrow()
    await post(`/admin/users/${li.id}/role`, { role: 'manager' })
    await post(`/admin/users/${li.id}/deactivate`)
    await post(`/admin/users/${li.id}/reactivate`)
    await post('/admin/providers', { slug: 'bocpay', name_zh: '中银支付', name_en: 'BOC Pay' })
    const boc = await t.db
      .selectFrom('providers')
      .select('id')
      .where('slug', '=', 'bocpay')
      .executeTakeFirstOrThrow()
    await post(`/admin/providers/${boc.id}`, {
      name_zh: '中银跨境支付',
      name_en: 'BOC Cross-border Pay',
    })
    await post(`/admin/providers/${boc.id}/deactivate`)
    await post(`/admin/providers/${boc.id}/activate`)
    await post(`/admin/providers/${boc.id}/move`, { direction: 'up' })
    await post('/admin/deadlines/preset', { preset: 'gb' })
    await post('/admin/deadlines/days', { date: '2027-01-01', kind: 'holiday', name: '元旦' })
    await post('/admin/deadlines/days/remove', { date: '2027-01-01' })
    const mail = await enqueueMail(
      t.db,
      {
        kind: 'filed',
        to: 'wang@example.com',
        locale: 'zh-CN',
        subject: 's',
        text: 'b',
        html: null,
        ticketId: null,
        eventId: null,
      },
      t.now(),
    )
    await t.db
      .updateTable('outbox')
      .set({ status: 'failed', attempts: MAX_ATTEMPTS })
      .where('id', '=', mail)
      .execute()
    await post(`/admin/outbox/${mail}/retry`)

    const rows = await recorded()
    expect(rows.map((r) => [r.action, r.subject])).toEqual([
      ['user_invited', 'li@ladder.test'],
      ['invitation_accepted', 'li@ladder.test'],
      ['user_role', 'li@ladder.test'],
      ['user_deactivated', 'li@ladder.test'],
      ['user_reactivated', 'li@ladder.test'],
      ['provider_added', 'bocpay'],
      ['provider_renamed', 'bocpay'],
      ['provider_deactivated', 'bocpay'],
      ['provider_activated', 'bocpay'],
      ['provider_moved', 'bocpay'],
      ['preset_chosen', 'gb'],
      ['day_added', '2027-01-01'],
      ['day_removed', '2027-01-01'],
      ['mail_retried', `#${mail}`],
    ])
    // Accepting is the invitee's own doing.
    expect(
      rows.every(
        (r) =>
          r.actor_user_id === (r.action === 'invitation_accepted' ? li.id : admin.id) &&
          r.at === t.now(),
      ),
    ).toBe(true)

    const en = await html(await t.get('/admin/activity', { cookie, headers: EN }))
    const lines = en
      .$$('#admin-activity tbody tr')
      .map((tr) => tr.textContent?.replace(/\s+/g, ' ').trim())
    expect(lines).toHaveLength(14)
    expect(lines[0]).toContain(`Sent message #${mail} (filed) again`)
    expect(lines.at(-1)).toContain('Invited li@ladder.test as Agent')
    expect(lines.at(-2)).toContain('li@ladder.test accepted the invitation as Agent')
    expect(lines.at(-2)).toContain('李雷')
    expect(lines.join('\n')).toContain('Changed the role of li@ladder.test from Agent to Manager')
    expect(lines.join('\n')).toContain(
      'Renamed the provider bocpay: BOC Pay → BOC Cross-border Pay',
    )
    expect(lines.join('\n')).toContain('Marked 2027-01-01 as Public holiday 元旦')
    expect(lines.filter((l) => l?.includes('Test admin'))).toHaveLength(13)
    const zh = await html(await t.get('/admin/activity', { cookie }))
    expect(zh.text('#admin-activity')).toContain('将 li@ladder.test 的角色从处理专员改为主管')
    expect(zh.text('#admin-activity')).toContain(
      '修改了服务商 bocpay 的名称：中银支付 → 中银跨境支付',
    )
  })

  it('records nothing for a change that was refused or changed nothing', async () => {
    // The last active administrator cannot lose the role (409), an unknown user is a 404.
    expect(
      (await t.postForm(`/admin/users/${admin.id}/role`, { role: 'agent' }, { cookie })).status,
    ).toBe(409)
    expect((await t.postForm('/admin/users/9999/deactivate', {}, { cookie })).status).toBe(404)
    expect(
      (
        await t.postForm(
          '/admin/providers',
          { slug: 'alipay', name_zh: 'x', name_en: 'x' },
          { cookie },
        )
      ).status,
    ).toBe(422)
    await post('/admin/deadlines/preset', { preset: 'cn' }) // already the preset
    await post(`/admin/users/${admin.id}/role`, { role: 'admin' }) // already the role
    expect(await recorded()).toEqual([])
    const page = await html(await t.get('/admin/activity', { cookie, headers: EN }))
    expect(page.text('main')).toContain('No changes recorded yet.')
  })

  it('is for administrators only', async () => {
    const manager = await t.createStaff('manager')
    const managerCookie = await t.signIn(manager.email, manager.password)
    expect((await t.get('/admin/activity', { cookie: managerCookie })).status).toBe(403)
    expect((await t.get('/admin', { cookie })).status).toBe(200)
    expect(
      (await html(await t.get('/admin', { cookie }))).$('a[href="/admin/activity"]'),
    ).not.toBeNull()
  })
})
