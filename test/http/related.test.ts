import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MERCHANT_SHOWN } from '../../src/tickets/related.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
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

const post = async (caseNumber: string, action: string, fields: Record<string, string>) =>
  t.postForm(
    `/tickets/${caseNumber}/actions/${action}`,
    { version: String(await versionOf(t, caseNumber)), ...fields },
    { cookie },
  )
const events = (id: number) =>
  t.db.selectFrom('events').selectAll().where('ticket_id', '=', id).orderBy('id').execute()

describe('related cases and links', () => {
  it('lists a ticket with the same email and not an unrelated one', async () => {
    const a = await fileTicket(t, { email: 'Same@Example.com', phone: null, merchant: 'A店' })
    const b = await fileTicket(t, { email: 'same@example.com', phone: null, merchant: 'B店' })
    const c = await fileTicket(t, { email: 'other@example.com', phone: null, merchant: 'C店' })
    const res = await t.get(`/tickets/${a.case_number}`, { cookie })
    const page = await res.text()
    expect(page).toContain(`data-case="${b.case_number}"`)
    expect(page).not.toContain(`data-case="${c.case_number}"`)
  })

  it('shows only the latest few cases against the same provider and merchant', async () => {
    const others = []
    for (let i = 0; i < MERCHANT_SHOWN + 2; i++) {
      others.push(
        await fileTicket(t, { email: `m${i}@example.com`, phone: null, merchant: '同店' }),
      )
      t.advance(60_000)
    }
    const own = await fileTicket(t, { email: 'own@example.com', phone: null, merchant: '同店' })
    const page = await (await t.get(`/tickets/${own.case_number}`, { cookie })).text()
    const shown = others.filter((o) => page.includes(`data-case="${o.case_number}"`))
    expect(shown.map((o) => o.case_number)).toEqual(
      others.slice(-MERCHANT_SHOWN).map((o) => o.case_number),
    )
  })

  it('links two tickets with an event on both, clocks unchanged, and refuses a second link', async () => {
    const a = await fileTicket(t, { email: 'a@example.com' })
    const b = await fileTicket(t, { email: 'b@example.com' })
    const res = await post(a.case_number, 'link', { other: b.case_number, relation: 'related' })
    expect(res.status).toBe(303)
    expect((await events(a.id)).at(-1)?.type).toBe('linked')
    expect((await events(b.id)).at(-1)?.type).toBe('linked')
    const after = await t.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow()
    expect(after.due_at).toBe(a.due_at)
    expect(after.status).toBe(a.status)
    const again = await post(b.case_number, 'link', { other: a.case_number, relation: 'related' })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('已经关联')
    const self = await post(a.case_number, 'link', { other: a.case_number, relation: 'related' })
    expect(self.status).toBe(422)
    const unknown = await post(a.case_number, 'link', {
      other: 'LD-2026-999999',
      relation: 'related',
    })
    expect(unknown.status).toBe(404)
    expect((await post(b.case_number, 'unlink', { other: a.case_number })).status).toBe(303)
    expect((await post(b.case_number, 'unlink', { other: a.case_number })).status).toBe(409)
  })
})
