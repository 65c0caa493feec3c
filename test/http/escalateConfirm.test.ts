// Issue 21, item 11c: escalation is asked twice. Without JavaScript the escalate form shows a
// confirmation page (next body, reason, the mail); only the confirmed POST escalates, once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { fileTicket, versionOf } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
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

const row = (id: number) =>
  t.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const escalations = (id: number) =>
  t.db
    .selectFrom('events')
    .select('id')
    .where('ticket_id', '=', id)
    .where('type', '=', 'escalated')
    .execute()
const escalationMails = (id: number) =>
  t.db
    .selectFrom('outbox')
    .select('id')
    .where('ticket_id', '=', id)
    .where('kind', '=', 'ticket_escalated')
    .execute()

describe('escalation confirmation', () => {
  it('shows a confirmation page for a POST without confirm and a GET, and changes nothing', async () => {
    const tk = await fileTicket(t)
    const version = String(await versionOf(t, tk.case_number))
    const fields = { version, reason: 'refused', note: 'Provider refused in writing.' }
    const res = await t.postForm(`/tickets/${tk.case_number}/actions/escalate`, fields, {
      cookie,
      headers: EN,
    })
    expect(res.status).toBe(200)
    const page = await html(res)
    expect(page.text('#escalate-confirm-to')).toBe('Consumer association')
    expect(page.text('#escalate-confirm-reason')).toBe('The body refused')
    expect(page.text('#escalate-confirm-mail')).toContain('will be emailed')
    const form = page.$('#escalate-confirm-form')!
    expect(form.getAttribute('method')).toBe('post')
    const hidden = Object.fromEntries(
      page
        .$$('#escalate-confirm-form input[type=hidden]')
        .map((i) => [i.getAttribute('name'), i.getAttribute('value')]),
    )
    expect(hidden).toMatchObject({ version, reason: 'refused', confirm: '1' })
    expect(page.text('#escalate-confirm-form button[type=submit]')).toBe(
      'Escalate to Consumer association',
    )

    const got = await t.get(
      `/tickets/${tk.case_number}/actions/escalate?version=${version}&reason=refused&confirm=1`,
      { cookie, headers: EN },
    )
    expect(got.status).toBe(200)
    expect((await html(got)).text('#escalate-confirm-to')).toBe('Consumer association')

    expect(await row(tk.id)).toMatchObject({ level: 'platform', version: Number(version) })
    expect(await escalations(tk.id)).toHaveLength(0)
    expect(await escalationMails(tk.id)).toHaveLength(0)
  })

  it('escalates once on the confirmed POST; replaying it is stale', async () => {
    const tk = await fileTicket(t)
    const version = String(await versionOf(t, tk.case_number))
    const confirmed = { version, reason: 'refused', note: '', external_ref: '', confirm: '1' }
    const res = await t.postForm(`/tickets/${tk.case_number}/actions/escalate`, confirmed, {
      cookie,
    })
    expect(res.status).toBe(303)
    expect(await row(tk.id)).toMatchObject({ level: 'consumer_association' })
    expect(await escalations(tk.id)).toHaveLength(1)
    expect(await escalationMails(tk.id)).toHaveLength(1)
    const again = await t.postForm(`/tickets/${tk.case_number}/actions/escalate`, confirmed, {
      cookie,
    })
    expect(again.status).toBe(409)
    expect(await escalations(tk.id)).toHaveLength(1)
    expect((await row(tk.id)).level).toBe('consumer_association')
  })

  it('answers what the lifecycle refuses before asking, and a stale version with 409', async () => {
    const tk = await fileTicket(t)
    const version = String(await versionOf(t, tk.case_number))
    const url = `/tickets/${tk.case_number}/actions/escalate`
    const early = await t.postForm(url, { version, reason: 'no_answer' }, { cookie, headers: EN })
    expect(early.status).toBe(409)
    expect((await html(early)).$('#escalate-confirm-form')).toBeNull()
    const stale = await t.postForm(
      url,
      { version: String(Number(version) - 1 || 99), reason: 'refused' },
      { cookie, headers: EN },
    )
    expect(stale.status).toBe(409)
    expect((await html(stale)).$('#escalate-confirm-form')).toBeNull()
    expect(await escalations(tk.id)).toHaveLength(0)
  })
})
