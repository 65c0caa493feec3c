import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp, PDF, PNG } from '../http/complaints-helpers.js'

// Who can open what. Already covered elsewhere and not repeated here: another case's evidence
// id through a tracking link (test/http/track.test.ts), sign-out and deactivation ending a
// session (test/http/auth.test.ts, admin-users.test.ts), agents and managers refused on every
// admin page (admin-users.test.ts). There are no routes that take an event id.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

async function twoCases() {
  const a = await fileViaHttp(t, { description: 'CASE-A-SECRET description' }, [
    { name: 'a.png', bytes: PNG },
  ])
  const b = await fileViaHttp(t, { description: 'CASE-B-SECRET description' }, [
    { name: 'b.pdf', bytes: PDF },
  ])
  const rows = await t.db
    .selectFrom('tickets')
    .select(['id', 'case_number'])
    .orderBy('id')
    .execute()
  const evidence = await t.db
    .selectFrom('evidence')
    .select(['id', 'ticket_id'])
    .orderBy('id')
    .execute()
  return {
    a: { ...a, ...rows[0]!, evidenceId: evidence[0]!.id },
    b: { ...b, ...rows[1]!, evidenceId: evidence[1]!.id },
  }
}

/** Reads the body, so a streamed download is finished before the test's data directory goes. */
async function status(res: Promise<Response>): Promise<number> {
  const r = await res
  await r.arrayBuffer()
  return r.status
}

const count = async (table: 'events' | 'evidence' | 'users' | 'contact_attempts' | 'invitations') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('a tracking link', () => {
  it('opens its own case only, and acts on its own case only', async () => {
    const { a, b } = await twoCases()
    const page = await t.get(`/track/${a.token}`)
    const text = (await html(page)).document.body.textContent ?? ''
    expect(text).toContain(a.case_number)
    expect(text).not.toContain(b.case_number)
    expect(text).not.toContain('CASE-B-SECRET')

    const before = await count('events')
    const res = await t.postForm(`/track/${a.token}/messages`, { body: 'for A only' })
    expect(res.status).toBe(303)
    const written = await t.db
      .selectFrom('events')
      .select(['ticket_id', 'body'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(written).toEqual({ ticket_id: a.id, body: 'for A only' })
    expect(await count('events')).toBe(before + 1)
  })

  it('is refused with 404 when truncated, altered, or a case number is used in its place', async () => {
    const { a } = await twoCases()
    const flipped = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A')
    for (const bad of [
      a.token.slice(0, -1),
      flipped,
      a.token.toUpperCase() === a.token ? a.token.toLowerCase() : a.token.toUpperCase(),
      a.case_number,
      `${a.token}/..`,
    ]) {
      expect((await t.get(`/track/${bad}`)).status, bad).toBe(404)
      expect((await t.postForm(`/track/${bad}/messages`, { body: 'x' })).status, bad).toBe(404)
    }
  })

  it('never opens a staff page', async () => {
    const { a } = await twoCases()
    for (const path of [
      `/tickets/${a.case_number}`,
      `/tickets/${a.case_number}/evidence/${a.evidenceId}`,
      `/tickets/${a.case_number}/dossier.zip`,
      '/queue',
    ]) {
      const res = await t.get(path, { headers: { cookie: `ladder_session=${a.token}` } })
      expect([303, 404]).toContain(res.status)
      if (res.status === 303) expect(res.headers.get('location')).toMatch(/^\/login/)
    }
  })
})

describe('staff scoping', () => {
  it("answers another case's evidence id under a case with 404, and the dossier of a missing case with 404", async () => {
    const { a, b } = await twoCases()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    expect(
      await status(t.get(`/tickets/${a.case_number}/evidence/${a.evidenceId}`, { cookie })),
    ).toBe(200)
    expect(
      (await t.get(`/tickets/${a.case_number}/evidence/${b.evidenceId}`, { cookie })).status,
    ).toBe(404)
    expect(
      (await t.get(`/tickets/${b.case_number}/evidence/${a.evidenceId}`, { cookie })).status,
    ).toBe(404)
    expect((await t.get(`/tickets/${a.case_number}/evidence/0`, { cookie })).status).toBe(404)
    expect(await status(t.get(`/tickets/${a.case_number}/dossier.zip`, { cookie }))).toBe(200)
    expect((await t.get('/tickets/LD-2026-999999/dossier.zip', { cookie })).status).toBe(404)
    expect((await t.get('/tickets/LD-2026-999999/evidence/1', { cookie })).status).toBe(404)
  })

  it('sends someone not signed in to sign-in from every staff page and refuses every staff action', async () => {
    const { a } = await twoCases()
    const pages = [
      '/queue',
      `/tickets/${a.case_number}`,
      `/tickets/${a.case_number}/history`,
      `/tickets/${a.case_number}/evidence/${a.evidenceId}`,
      `/tickets/${a.case_number}/dossier.zip`,
      '/reports',
      '/reports/funnel.csv',
      '/admin',
      '/admin/users',
      '/admin/providers',
      '/admin/deadlines',
      '/admin/outbox',
    ]
    for (const path of pages) {
      const res = await t.get(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location'), path).toMatch(/^\/login/)
    }
    const before = await count('events')
    for (const action of ['note', 'reply', 'close', 'assign']) {
      const res = await t.postForm(`/tickets/${a.case_number}/actions/${action}`, {
        body: 'x',
        version: '1',
        outcome: 'resolved',
        assignee: 'none',
      })
      expect([303, 401, 403, 404]).toContain(res.status)
      if (res.status === 303) expect(res.headers.get('location')).toMatch(/^\/login/)
    }
    expect(
      (await t.postForm(`/tickets/${a.case_number}/reveal`, {})).headers.get('location') ?? '404',
    ).toMatch(/^\/login|404/)
    expect(await count('events')).toBe(before)
  })

  it('treats a forged session cookie as nobody', async () => {
    const res = await t.get('/queue', { cookie: `ladder_session=${'A'.repeat(43)}` })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })
})

describe('roles', () => {
  it('keeps an agent out of reports and admin, and a manager out of user management', async () => {
    const agent = await t.createStaff('agent')
    const manager = await t.createStaff('manager')
    const agentCookie = await t.signIn(agent.email, agent.password)
    const managerCookie = await t.signIn(manager.email, manager.password)
    for (const path of [
      '/reports',
      '/reports/funnel.csv',
      '/reports/workload.csv',
      '/admin',
      '/admin/users',
      '/admin/providers',
    ]) {
      expect((await t.get(path, { cookie: agentCookie })).status, path).toBe(403)
    }
    expect((await t.get('/reports', { cookie: managerCookie })).status).toBe(200)
    expect((await t.get('/reports/funnel.csv', { cookie: managerCookie })).status).toBe(200)
    const users = await count('users')
    for (const [path, fields] of [
      ['/admin/invitations', { email: 'evil@ladder.test', name: 'Evil', role: 'admin' }],
      ['/admin/invitations/1/resend', {}],
      ['/admin/invitations/1/revoke', {}],
      [`/admin/users/${agent.id}/role`, { role: 'admin' }],
      [`/admin/users/${agent.id}/deactivate`, {}],
    ] as const) {
      expect((await t.postForm(path, fields, { cookie: managerCookie })).status, path).toBe(403)
      expect((await t.postForm(path, fields, { cookie: agentCookie })).status, path).toBe(403)
    }
    expect(await count('users')).toBe(users)
    expect(await count('invitations')).toBe(0)
    const roles = await t.db
      .selectFrom('users')
      .select(['id', 'role', 'active'])
      .where('id', '=', agent.id)
      .executeTakeFirstOrThrow()
    expect(roles).toEqual({ id: agent.id, role: 'agent', active: 1 })
  })

  it('stops a deactivated agent mid-work: the next action is refused and writes nothing', async () => {
    const { a } = await twoCases()
    const admin = await t.createStaff('admin')
    const agent = await t.createStaff('agent')
    const adminCookie = await t.signIn(admin.email, admin.password)
    const cookie = await t.signIn(agent.email, agent.password)
    expect(
      (
        await t.postForm(
          `/tickets/${a.case_number}/actions/note`,
          { body: 'first', version: '1' },
          { cookie },
        )
      ).status,
    ).toBe(303)
    expect(
      (await t.postForm(`/admin/users/${agent.id}/deactivate`, {}, { cookie: adminCookie })).status,
    ).toBe(303)
    const before = await count('events')
    const res = await t.postForm(
      `/tickets/${a.case_number}/actions/note`,
      { body: 'after', version: '2' },
      { cookie },
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
    expect(
      (await t.get(`/tickets/${a.case_number}/evidence/${a.evidenceId}`, { cookie })).status,
    ).toBe(303)
    expect(await count('events')).toBe(before)
  })

  it('ends the session at sign-out for every kind of request, downloads included', async () => {
    const { a } = await twoCases()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    expect(await status(t.get(`/tickets/${a.case_number}/dossier.zip`, { cookie }))).toBe(200)
    expect((await t.postForm('/logout', {}, { cookie })).status).toBe(303)
    for (const path of [
      `/tickets/${a.case_number}/dossier.zip`,
      `/tickets/${a.case_number}/evidence/${a.evidenceId}`,
      '/queue',
    ]) {
      expect((await t.get(path, { cookie })).status, path).toBe(303)
    }
    const before = await count('events')
    await t.postForm(
      `/tickets/${a.case_number}/actions/note`,
      { body: 'ghost', version: '1' },
      { cookie },
    )
    expect(await count('events')).toBe(before)
  })
})
