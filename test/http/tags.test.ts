import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { fileTicket, versionOf } from './ticketFixtures.js'

let t: TestApp
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  const agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

const post = async (caseNumber: string, action: string, tag: string) =>
  t.postForm(
    `/tickets/${caseNumber}/actions/${action}`,
    { version: String(await versionOf(t, caseNumber)), tag },
    { cookie },
  )

describe('tags', () => {
  it('are added and removed with timeline events, filter, search and counts', async () => {
    const a = await fileTicket(t)
    const b = await fileTicket(t, { description: '另一件投诉，付款失败。' })
    expect((await post(a.case_number, 'add_tag', '  VIP ')).status).toBe(303)
    expect((await post(b.case_number, 'add_tag', 'vip')).status).toBe(303)
    expect((await post(a.case_number, 'add_tag', 'fraud')).status).toBe(303)
    const page = await html(await t.get(`/tickets/${a.case_number}`, { cookie }))
    expect(page.$$('#tag-list .tag a').map((e) => e.textContent)).toEqual(['#fraud', '#vip'])
    expect(page.text('#timeline')).toContain('#vip')

    const queue = await html(await t.get('/queue?tag=VIP', { cookie }))
    const body = queue.text('body') ?? ''
    expect(body).toContain(a.case_number)
    expect(body).toContain(b.case_number)
    const fraud = (await html(await t.get('/queue?tag=fraud', { cookie }))).text('main') ?? ''
    expect(fraud).toContain(a.case_number)
    expect(fraud).not.toContain(b.case_number)
    expect(queue.$('[data-tag="vip"] .count')?.textContent).toBe('2')

    const found = (await html(await t.get('/queue?q=fraud', { cookie }))).text('main') ?? ''
    expect(found).toContain(a.case_number)

    expect((await post(a.case_number, 'remove_tag', 'vip')).status).toBe(303)
    const after = await html(await t.get('/queue?tag=vip', { cookie }))
    expect(after.text('main')).not.toContain(a.case_number)
    expect(after.$('[data-tag="vip"] .count')?.textContent).toBe('1')
    const events = await t.db
      .selectFrom('events')
      .select(['type', 'visibility'])
      .where('ticket_id', '=', a.id)
      .where('type', 'in', ['tag_added', 'tag_removed'])
      .execute()
    expect(events).toHaveLength(3)
    expect(events.every((e) => e.visibility === 'internal')).toBe(true)
  })

  it('refuses bad tags with a clear 422 and a second copy with a 409', async () => {
    const a = await fileTicket(t)
    for (const bad of ['', 'two words', 'x'.repeat(33), '<b>']) {
      const res = await post(a.case_number, 'add_tag', bad)
      expect(res.status).toBe(422)
      expect((await html(res)).text('#tags')).toMatch(/标签/)
    }
    await post(a.case_number, 'add_tag', 'vip')
    expect((await post(a.case_number, 'add_tag', 'VIP')).status).toBe(409)
  })
})
