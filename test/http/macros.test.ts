// Issue 21, item 10: macros. Admins manage them; agents apply one to a ticket, every step through
// the lifecycle in one transaction from the version they saw.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket, versionOf } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
let t: TestApp
let admin: string
let agent: { id: number; email: string; password: string }
let agentCookie: string
beforeEach(async () => {
  t = await createTestApp()
  const a = await t.createStaff('admin')
  admin = await t.signIn(a.email, a.password)
  agent = await t.createStaff('agent')
  agentCookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

const macroRow = (name: string) =>
  t.db.selectFrom('macros').selectAll().where('name', '=', name).executeTakeFirst()
const ticketRow = (id: number) =>
  t.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const eventsOf = (id: number) =>
  t.db
    .selectFrom('events')
    .select(['type', 'body', 'payload'])
    .where('ticket_id', '=', id)
    .orderBy('id')
    .execute()

async function addMacro(fields: Record<string, string>) {
  const res = await t.postForm('/admin/macros', fields, { cookie: admin })
  expect(res.status).toBe(303)
  return (await macroRow(fields['name']!))!.id
}

const apply = async (caseNumber: string, macro: number, version?: number) =>
  t.postForm(
    `/tickets/${caseNumber}/actions/apply_macro`,
    { version: String(version ?? (await versionOf(t, caseNumber))), macro: String(macro) },
    { cookie: agentCookie, headers: EN },
  )

describe('admin: macros', () => {
  it('creates, lists, edits and deletes a macro, each change recorded', async () => {
    expect((await t.get('/admin/macros', { cookie: admin })).status).toBe(200)
    const id = await addMacro({
      name: 'Refund chased',
      reply: 'Dear {name}, case {case}: we asked the provider again.',
      status: '',
      priority: 'high',
      tag: 'Chased',
    })
    expect(JSON.parse((await macroRow('Refund chased'))!.steps)).toMatchObject({
      reply: 'Dear {name}, case {case}: we asked the provider again.',
      status: null,
      priority: 'high',
      tag: 'chased',
    })
    const list = await html(await t.get('/admin/macros?done=added', { cookie: admin, headers: EN }))
    expect(list.$('#admin-notice')).not.toBeNull()
    expect(list.text(`#macro-${id}`)).toContain('#chased')

    const edit = await html(await t.get(`/admin/macros/${id}`, { cookie: admin }))
    expect(edit.$('#macro-name')?.getAttribute('value')).toBe('Refund chased')
    const saved = await t.postForm(
      `/admin/macros/${id}`,
      { name: 'Close as resolved', reply: '', status: 'close', outcome: 'resolved', priority: '' },
      { cookie: admin },
    )
    expect(saved.status).toBe(303)
    expect(JSON.parse((await macroRow('Close as resolved'))!.steps)).toMatchObject({
      status: 'close',
      outcome: 'resolved',
      priority: null,
      tag: null,
    })

    expect((await t.postForm(`/admin/macros/${id}/delete`, {}, { cookie: admin })).status).toBe(303)
    expect(await macroRow('Close as resolved')).toBeUndefined()
    expect((await t.get(`/admin/macros/${id}`, { cookie: admin })).status).toBe(404)
    const changes = await t.db.selectFrom('admin_changes').select('action').orderBy('id').execute()
    expect(changes.map((c) => c.action).filter((a) => a.startsWith('macro_'))).toEqual([
      'macro_added',
      'macro_saved',
      'macro_deleted',
    ])
  })

  it('refuses a macro without steps, a request without text, a close without outcome, a taken name', async () => {
    const post = (fields: Record<string, string>) =>
      t.postForm('/admin/macros', fields, { cookie: admin, headers: EN })
    const empty = await post({ name: 'Nothing' })
    expect(empty.status).toBe(422)
    expect((await html(empty)).text('#macro-steps-error')).toBe('Choose at least one step.')
    const ask = await post({ name: 'Ask', status: 'request_info' })
    expect(ask.status).toBe(422)
    expect((await html(ask)).text('#macro-add-form')).toContain('needs the text of the request')
    expect((await post({ name: 'Close', status: 'close' })).status).toBe(422)
    expect((await post({ name: 'Bad', priority: 'extreme' })).status).toBe(422)
    await addMacro({ name: 'Urgent', priority: 'urgent' })
    const again = await post({ name: 'Urgent', priority: 'high' })
    expect(again.status).toBe(409)
    expect((await html(again)).text('#form-error')).toBe('Another macro has this name.')
    expect(await t.db.selectFrom('macros').select('id').execute()).toHaveLength(1)
  })

  it('is for admins only: agents and managers cannot list, add, edit or delete', async () => {
    const id = await addMacro({ name: 'Urgent', priority: 'urgent' })
    const manager = await t.createStaff('manager')
    const managerCookie = await t.signIn(manager.email, manager.password)
    for (const cookie of [agentCookie, managerCookie]) {
      expect((await t.get('/admin/macros', { cookie })).status).toBe(403)
      expect(
        (await t.postForm('/admin/macros', { name: 'X', priority: 'low' }, { cookie })).status,
      ).toBe(403)
      expect(
        (await t.postForm(`/admin/macros/${id}`, { name: 'Y', priority: 'low' }, { cookie }))
          .status,
      ).toBe(403)
      expect((await t.postForm(`/admin/macros/${id}/delete`, {}, { cookie })).status).toBe(403)
    }
    expect(await macroRow('Urgent')).toMatchObject({ id })
    expect(await t.db.selectFrom('macros').select('id').execute()).toHaveLength(1)
  })
})

describe('applying a macro', () => {
  it('applies every step in one action, fills the placeholders and names the macro on each event', async () => {
    const id = await addMacro({
      name: 'Ask for the receipt',
      reply: '{name}, please send the receipt for {case}.',
      status: 'request_info',
      priority: 'urgent',
      tag: 'receipt',
    })
    const tk = await fileTicket(t)
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie: agentCookie }))
    expect(page.$$('#macro-select option').map((o) => o.textContent)).toContain(
      'Ask for the receipt',
    )
    const before = await versionOf(t, tk.case_number)
    const res = await apply(tk.case_number, id)
    expect(res.status).toBe(303)
    const row = await ticketRow(tk.id)
    expect(row).toMatchObject({ status: 'waiting_complainant', priority: 'urgent' })
    expect(row.version).toBe(before + 3)
    const events = (await eventsOf(tk.id)).slice(-3)
    expect(events.map((e) => e.type)).toEqual(['tag_added', 'priority_set', 'info_requested'])
    expect(events[2]!.body).toBe(`张伟, please send the receipt for ${tk.case_number}.`)
    for (const e of events)
      expect(JSON.parse(e.payload).macro).toEqual({ id, name: 'Ask for the receipt' })
    const after = await html(
      await t.get(`/tickets/${tk.case_number}`, { cookie: agentCookie, headers: EN }),
    )
    expect(after.text('#timeline')).toContain('Macro “Ask for the receipt”')
    expect(after.$$('#tag-list .tag a').map((e) => e.textContent)).toEqual(['#receipt'])
    // The request reaches the complainant as any request for information does.
    const mails = await t.db
      .selectFrom('outbox')
      .select('text_body')
      .where('ticket_id', '=', tk.id)
      .execute()
    expect(mails.some((m) => m.text_body.includes('please send the receipt'))).toBe(true)
  })

  it('refuses the whole macro with the refused step and its reason, applying nothing', async () => {
    // Asking for information is refused while the case waits for the complainant already.
    const id = await addMacro({
      name: 'Ask again',
      reply: 'Please answer.',
      status: 'request_info',
      priority: 'high',
      tag: 'asked',
    })
    const tk = await fileTicket(t)
    await act(t, tk.id, agent.id, { type: 'request_info', body: 'Send the screenshot.' })
    const before = await ticketRow(tk.id)
    const count = (await eventsOf(tk.id)).length
    const res = await apply(tk.case_number, id)
    expect(res.status).toBe(409)
    const page = await html(res)
    expect(page.text('#macro-error')).toContain('the step “ask for information” was refused')
    expect(page.text('#macro-error')).toContain('Waiting on the complainant')
    const after = await ticketRow(tk.id)
    expect(after).toMatchObject({
      version: before.version,
      priority: 'normal',
      status: before.status,
    })
    expect(await eventsOf(tk.id)).toHaveLength(count)
    expect(
      await t.db.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', tk.id).execute(),
    ).toEqual([])
  })

  it('answers a stale version with 409 and applies nothing', async () => {
    const id = await addMacro({ name: 'Urgent', priority: 'urgent', tag: 'hot' })
    const tk = await fileTicket(t)
    const seen = await versionOf(t, tk.case_number)
    await act(t, tk.id, agent.id, { type: 'note', body: 'A colleague wrote meanwhile.' })
    const res = await apply(tk.case_number, id, seen)
    expect(res.status).toBe(409)
    const page = await html(res)
    expect(page.text('#macro-error')).toContain('Someone else changed this case')
    expect(page.$('#stale')).not.toBeNull()
    expect(await ticketRow(tk.id)).toMatchObject({ priority: 'normal', version: seen + 1 })
  })

  it('leaves out steps already in place, refuses one with nothing to do, and an unknown macro', async () => {
    const id = await addMacro({ name: 'Urgent', priority: 'urgent', tag: 'hot' })
    const tk = await fileTicket(t)
    await act(t, tk.id, agent.id, { type: 'set_priority', priority: 'urgent' })
    expect((await apply(tk.case_number, id)).status).toBe(303)
    expect((await eventsOf(tk.id)).at(-1)!.type).toBe('tag_added')
    const nothing = await apply(tk.case_number, id)
    expect(nothing.status).toBe(409)
    expect((await html(nothing)).text('#macro-error')).toContain('already in place')
    const unknown = await apply(tk.case_number, 9999)
    expect(unknown.status).toBe(422)
    expect((await html(unknown)).text('#macro-error')).toBe('This macro no longer exists.')
    const bad = await t.postForm(
      `/tickets/${tk.case_number}/actions/apply_macro`,
      { version: 'x', macro: 'abc' },
      { cookie: agentCookie },
    )
    expect(bad.status).toBe(422)
  })
})
