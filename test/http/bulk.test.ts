import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket, versionOf } from './ticketFixtures.js'

let t: TestApp
let cookie: string
let agentId: number
beforeEach(async () => {
  t = await createTestApp()
  const agent = await t.createStaff('agent')
  agentId = agent.id
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

const entry = async (caseNumber: string) => `${caseNumber}:${await versionOf(t, caseNumber)}`
const rows = async (res: Response) =>
  (await html(res)).$$('table.bulk-results tbody tr').map((tr) => ({
    ok: tr.getAttribute('class') === 'bulk-done',
    text: tr.textContent ?? '',
  }))

describe('bulk actions from the queue', () => {
  it('assign 20 tickets, one stale: 19 done, 1 refused with its reason', async () => {
    const tickets = []
    for (let i = 0; i < 20; i++) tickets.push(await fileTicket(t))
    const entries = await Promise.all(tickets.map((k) => entry(k.case_number)))
    // Someone changes the fifth ticket after the queue was drawn.
    await act(t, tickets[4]!.id, agentId, { type: 'set_priority', priority: 'high' })
    const res = await t.postForm(
      '/queue/bulk',
      { ticket: entries, bulk_action: 'assign', assignee: 'me', back: 'assignee=none' },
      { cookie },
    )
    expect(res.status).toBe(200)
    const out = await rows(res)
    expect(out.filter((r) => r.ok)).toHaveLength(19)
    const refused = out.filter((r) => !r.ok)
    expect(refused).toHaveLength(1)
    expect(refused[0]!.text).toContain(tickets[4]!.case_number)
    const assigned = await t.db
      .selectFrom('tickets')
      .select(['case_number', 'assignee_id'])
      .where('assignee_id', '=', agentId)
      .execute()
    expect(assigned).toHaveLength(19)
    expect(assigned.map((r) => r.case_number)).not.toContain(tickets[4]!.case_number)
  })

  it('sets priority and adds a tag through the same lifecycle as the single action', async () => {
    const a = await fileTicket(t)
    const b = await fileTicket(t)
    const res = await t.postForm(
      '/queue/bulk',
      {
        ticket: [await entry(a.case_number), await entry(b.case_number)],
        bulk_action: 'add_tag',
        tag: 'VIP',
      },
      { cookie },
    )
    expect((await rows(res)).every((r) => r.ok)).toBe(true)
    const tags = await t.db.selectFrom('ticket_tags').select('tag').execute()
    expect(tags.map((r) => r.tag)).toEqual(['vip', 'vip'])
    const again = await t.postForm(
      '/queue/bulk',
      { ticket: [await entry(a.case_number)], bulk_action: 'set_priority', priority: 'urgent' },
      { cookie },
    )
    expect((await rows(again))[0]!.ok).toBe(true)
    const p = await t.db
      .selectFrom('tickets')
      .select('priority')
      .where('id', '=', a.id)
      .executeTakeFirst()
    expect(p?.priority).toBe('urgent')
  })

  it('refuses what it cannot do, per ticket or for the whole request, never with a 500', async () => {
    const a = await fileTicket(t)
    const b = await fileTicket(t)
    const out = await rows(
      await t.postForm(
        '/queue/bulk',
        {
          ticket: [
            await entry(a.case_number),
            'LD-2026-999999:1',
            'garbage',
            await entry(a.case_number),
          ],
          bulk_action: 'add_tag',
          tag: 'urgent-1',
        },
        { cookie },
      ),
    )
    expect(out.map((r) => r.ok)).toEqual([true, false, false, false])
    expect(out[1]!.text).toContain('没有这件投诉')
    expect(out[3]!.text).toContain('两次')
    const badTag = await rows(
      await t.postForm(
        '/queue/bulk',
        { ticket: [await entry(b.case_number)], bulk_action: 'add_tag', tag: '!!' },
        { cookie },
      ),
    )
    expect(badTag[0]!.ok).toBe(false)

    const none = await t.postForm(
      '/queue/bulk',
      { bulk_action: 'assign', assignee: 'me' },
      { cookie },
    )
    expect(none.status).toBe(422)
    expect((await html(none)).text('[role=alert]')).toContain('至少选择一件')
    const badAction = await t.postForm(
      '/queue/bulk',
      { ticket: [await entry(b.case_number)], bulk_action: 'delete' },
      { cookie },
    )
    expect(badAction.status).toBe(422)
    const many = Array.from(
      { length: 501 },
      (_, i) => `LD-2026-${String(i + 1).padStart(6, '0')}:1`,
    )
    const tooMany = await t.postForm(
      '/queue/bulk',
      { ticket: many, bulk_action: 'assign', assignee: 'me' },
      { cookie },
    )
    expect(tooMany.status).toBe(422)
    const dupUnknown = await t.postForm(
      '/queue/bulk',
      {
        ticket: [await entry(b.case_number)],
        bulk_action: 'close_duplicate',
        duplicate_of: 'LD-2026-999999',
      },
      { cookie },
    )
    expect(dupUnknown.status).toBe(422)
    const anonymous = await t.postForm('/queue/bulk', {
      ticket: [await entry(b.case_number)],
      bulk_action: 'assign',
      assignee: 'me',
    })
    expect([302, 303]).toContain(anonymous.status)
  })

  it('closes as a duplicate of a case, and links back to the queue it came from', async () => {
    const original = await fileTicket(t)
    const copy = await fileTicket(t)
    const res = await t.postForm(
      '/queue/bulk',
      {
        ticket: [await entry(copy.case_number)],
        bulk_action: 'close_duplicate',
        duplicate_of: original.case_number,
        back: 'status=all&sort=newest',
      },
      { cookie },
    )
    const page = await html(res)
    expect(page.$('a.button')?.getAttribute('href')).toBe('/queue?status=all&sort=newest')
    const row = await t.db
      .selectFrom('tickets')
      .select(['status'])
      .where('id', '=', copy.id)
      .executeTakeFirst()
    expect(row?.status).toBe('closed')
    const evil = await html(
      await t.postForm(
        '/queue/bulk',
        {
          ticket: [await entry(original.case_number)],
          bulk_action: 'add_tag',
          tag: 'x',
          back: '//evil.example',
        },
        { cookie },
      ),
    )
    expect(evil.$('a.button')?.getAttribute('href')).toBe('/queue')
  })
})
