import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

let t: TestApp
let admin: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  admin = await t.createStaff('admin', 'boss@ladder.test')
  cookie = await t.signIn(admin.email, admin.password)
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }
const user = (email: string) =>
  t.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
const sessionsOf = async (id: number) =>
  (await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute()).length

describe('admin access', () => {
  const pages = [
    '/admin',
    '/admin/users',
    '/admin/providers',
    '/admin/providers/1',
    '/admin/deadlines',
  ]
  const posts: [string, Record<string, string>][] = [
    ['/admin/invitations', { email: 'x@ladder.test', name: 'X', role: 'admin' }],
    ['/admin/users/1/role', { role: 'agent' }],
    ['/admin/users/1/deactivate', {}],
    ['/admin/providers', { slug: 'newpay', name_zh: '新', name_en: 'New' }],
    ['/admin/providers/1/deactivate', {}],
    ['/admin/deadlines/preset', { preset: 'gb' }],
    ['/admin/deadlines/days', { date: '2027-01-01', kind: 'holiday', name: 'x' }],
  ]

  it('refuses agents and managers with 403 on every admin page and change', async () => {
    for (const role of ['agent', 'manager'] as const) {
      const staff = await t.createStaff(role)
      const staffCookie = await t.signIn(staff.email, staff.password)
      for (const path of pages)
        expect((await t.get(path, { cookie: staffCookie })).status, `${role} GET ${path}`).toBe(403)
      for (const [path, fields] of posts) {
        expect(
          (await t.postForm(path, fields, { cookie: staffCookie })).status,
          `${role} POST ${path}`,
        ).toBe(403)
      }
    }
    expect(await user('x@ladder.test')).toBeUndefined()
    expect(await t.db.selectFrom('invitations').select('id').execute()).toEqual([])
    const provider = await t.db
      .selectFrom('providers')
      .select('active')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    expect(provider.active).toBe(1)
    const preset = await t.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'deadline_preset')
      .executeTakeFirst()
    expect(preset?.value ?? '"cn"').toBe('"cn"')
  })

  it('sends someone not signed in to the sign-in page and back', async () => {
    for (const path of pages) {
      const res = await t.get(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`)
    }
    expect((await t.postForm('/admin/users/1/deactivate', {})).status).toBe(303)
    expect((await user(admin.email))?.active).toBe(1)
  })

  it('renders every admin page without inline script or style, so the CSP holds', async () => {
    for (const path of pages) {
      const res = await t.get(path, { cookie })
      expect(res.status, path).toBe(200)
      const { $$, $ } = await html(res)
      expect($('h1'), path).not.toBeNull()
      expect($$('script:not([src])'), path).toHaveLength(0)
      expect($$('[style]'), path).toHaveLength(0)
      expect($$('[onclick], [onsubmit], [onload]'), path).toHaveLength(0)
    }
  })

  it('links the index to users, providers, deadlines, outgoing mail, macros and the activity record', async () => {
    const res = await t.get('/admin', { cookie })
    expect(res.status).toBe(200)
    const links = (await html(res)).$$('#admin-index a').map((a) => a.getAttribute('href'))
    expect(links).toEqual([
      '/admin/users',
      '/admin/providers',
      '/admin/deadlines',
      '/admin/outbox',
      '/admin/macros',
      '/admin/activity',
    ])
  })
})

describe('admin: users', () => {
  it('lists users with email, role, status and last sign-in', async () => {
    const agent = await t.createStaff('agent', 'agent@ladder.test')
    const { $, text } = await html(await t.get('/admin/users', { cookie, headers: EN }))
    expect(text(`#user-${admin.id}`)).toContain('boss@ladder.test')
    expect($(`#user-${admin.id}`)?.getAttribute('data-role')).toBe('admin')
    expect(text(`#user-${agent.id}`)).toContain('Never')
    expect(text(`#user-${admin.id}`)).not.toContain('Never')
    expect($(`#user-${agent.id} select[name=role] option[selected]`)?.getAttribute('value')).toBe(
      'agent',
    )
  })

  // Adding users (by invitation, with no password typed by an administrator) is in invitations.test.ts.

  it('deactivating a user ends their sessions at once; reactivating lets them sign in again', async () => {
    const agent = await t.createStaff('agent')
    const agentCookie = await t.signIn(agent.email, agent.password)
    expect(
      (await html(await t.get('/', { cookie: agentCookie }))).$('.site-nav .who'),
    ).not.toBeNull()

    const res = await t.postForm(`/admin/users/${agent.id}/deactivate`, {}, { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/users?done=deactivated')
    expect((await user(agent.email))?.active).toBe(0)
    expect(await sessionsOf(agent.id)).toBe(0)
    expect((await html(await t.get('/', { cookie: agentCookie }))).$('.site-nav .who')).toBeNull()
    expect(
      (await t.postForm('/login', { email: agent.email, password: agent.password })).status,
    ).toBe(401)

    expect((await t.postForm(`/admin/users/${agent.id}/reactivate`, {}, { cookie })).status).toBe(
      303,
    )
    expect((await user(agent.email))?.active).toBe(1)
    await t.signIn(agent.email, agent.password)
  })

  it('changes a role, which applies to a live session at once', async () => {
    const other = await t.createStaff('agent')
    const otherCookie = await t.signIn(other.email, other.password)
    expect((await t.get('/admin', { cookie: otherCookie })).status).toBe(403)
    const res = await t.postForm(`/admin/users/${other.id}/role`, { role: 'admin' }, { cookie })
    expect(res.headers.get('location')).toBe('/admin/users?done=role')
    expect((await user(other.email))?.role).toBe('admin')
    expect((await t.get('/admin', { cookie: otherCookie })).status).toBe(200)
    expect(
      (await t.postForm(`/admin/users/${other.id}/role`, { role: 'boss' }, { cookie })).status,
    ).toBe(422)
  })

  it('refuses to deactivate or demote the last active administrator with 409', async () => {
    const off = await t.postForm(`/admin/users/${admin.id}/deactivate`, {}, { cookie, headers: EN })
    expect(off.status).toBe(409)
    expect((await html(off)).text('#form-error')).toContain('last active administrator')
    const demote = await t.postForm(
      `/admin/users/${admin.id}/role`,
      { role: 'manager' },
      { cookie },
    )
    expect(demote.status).toBe(409)
    expect(await user(admin.email)).toMatchObject({ role: 'admin', active: 1 })
    expect(await sessionsOf(admin.id)).toBe(1)

    // A deactivated admin does not count as a second one.
    const dormant = await t.createStaff('admin')
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', dormant.id).execute()
    expect(
      (await t.postForm(`/admin/users/${admin.id}/role`, { role: 'agent' }, { cookie })).status,
    ).toBe(409)
  })

  it('lets an administrator step down once another one is active', async () => {
    const second = await t.createStaff('admin')
    const demote = await t.postForm(
      `/admin/users/${admin.id}/role`,
      { role: 'manager' },
      { cookie },
    )
    expect(demote.status).toBe(303)
    expect((await t.get('/admin', { cookie })).status).toBe(403)
    const secondCookie = await t.signIn(second.email, second.password)
    expect(
      (await t.postForm(`/admin/users/${second.id}/deactivate`, {}, { cookie: secondCookie }))
        .status,
    ).toBe(409)
  })

  it('signs out an administrator who deactivates their own account', async () => {
    await t.createStaff('admin')
    const res = await t.postForm(`/admin/users/${admin.id}/deactivate`, {}, { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?signed_out=1')
    expect((await t.get('/admin', { cookie })).status).toBe(303)
  })

  it('answers 404 for a user that does not exist', async () => {
    expect((await t.postForm('/admin/users/9999/deactivate', {}, { cookie })).status).toBe(404)
    expect((await t.postForm('/admin/users/abc/role', { role: 'agent' }, { cookie })).status).toBe(
      404,
    )
  })
})
