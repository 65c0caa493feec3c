import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket, versionOf } from './ticketFixtures.js'
import { counterFor, filtersOf } from '../../src/tickets/savedViews.js'

let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

// In English unless a test asks otherwise (the default language is Chinese).
const EN = { 'accept-language': 'en' }
const get = (url: string, as = cookie) => t.get(url, { cookie: as, headers: EN })
const post = (url: string, fields: Record<string, string>, as = cookie) =>
  t.postForm(url, fields, { cookie: as, headers: EN })
const save = (fields: Record<string, string>, as = cookie) => post('/queue/views', fields, as)

/** The sidebar's saved views as name → count text. */
async function sidebar(as = cookie, url = '/queue') {
  const page = await html(await get(url, as))
  return Object.fromEntries(
    page
      .$$('#queue-saved a')
      .map((a) => [
        a.querySelector('span')?.firstChild?.textContent?.trim() ?? '',
        a.querySelector('.count')?.textContent?.trim() ?? '',
      ]),
  )
}

const viewsIn = (name: string) =>
  t.db.selectFrom('saved_views').selectAll().where('name', '=', name).execute()

describe('saved views', () => {
  it('saves the queue canonically, lists it with a live count and opens it', async () => {
    const res = await save({
      name: '  My big ones ',
      query: 'assignee=me&status=&sort=amount&hide=provider&hide=first&cursor=abc',
    })
    expect(res.status).toBe(303)
    // Empty fields and the page cursor stay out; hidden columns in the table's order.
    expect(res.headers.get('location')).toBe(
      '/queue?assignee=me&sort=amount&hide=first&hide=provider',
    )
    expect(await sidebar()).toEqual({ 'My big ones': '0' })

    // The count follows ticket changes (a counter row, as "Assigned to me" reads).
    const a = await fileTicket(t)
    await fileTicket(t)
    await act(t, a.id, agent.id, { type: 'assign', assigneeId: agent.id })
    expect(await sidebar()).toEqual({ 'My big ones': '1' })

    // A filter no counter keeps is counted as the queue's total is (capped at 1000).
    await save({ name: 'Tagged', query: 'tag=vip' })
    expect((await sidebar())['Tagged']).toBe('0')
    const tag = await post(`/tickets/${a.case_number}/actions/add_tag`, {
      version: String(await versionOf(t, a.case_number)),
      tag: 'vip',
    })
    expect(tag.status).toBe(303)
    expect((await sidebar())['Tagged']).toBe('1')
    // A search is not counted.
    await save({ name: 'Searching', query: 'q=退款' })
    expect((await sidebar())['Searching']).toBe('–not counted (a search)')

    // Opening it: the queue's canonical URL for it, columns hidden, the view marked current.
    const [view] = await viewsIn('My big ones')
    const open = await get(`/queue/views/${view!.id}`)
    expect(open.status).toBe(302)
    const location = open.headers.get('location')!
    expect(location).toBe('/queue?assignee=me&sort=amount&hide=first&hide=provider')
    const queue = await html(await get(location))
    expect(queue.$('#queue-table')?.getAttribute('data-hide')).toBe('first provider')
    expect(queue.$(`[data-saved-view="${view!.id}"]`)?.getAttribute('aria-current')).toBe('page')
    expect(queue.$$('#queue-rows tr.qrow').map((r) => r.id)).toEqual([`row-${a.case_number}`])
    expect(queue.$('#hide-provider')?.hasAttribute('checked')).toBe(true)
    // The save form keeps the current query for the next view.
    expect(queue.$('input[form="saved-view-save"][name="query"]')?.getAttribute('value')).toBe(
      'assignee=me&sort=amount&hide=first&hide=provider',
    )
  })

  it('keeps personal views to their owner and shares a manager’s with everyone', async () => {
    const other = await t.createStaff('agent')
    const otherCookie = await t.signIn(other.email, other.password)
    const manager = await t.createStaff('manager')
    const managerCookie = await t.signIn(manager.email, manager.password)

    expect((await save({ name: 'Mine', query: 'level=regulator' })).status).toBe(303)
    const [mine] = await viewsIn('Mine')
    expect(await sidebar(otherCookie)).toEqual({})
    expect((await get(`/queue/views/${mine!.id}`, otherCookie)).status).toBe(404)
    const stranger = await post(
      `/queue/views/${mine!.id}/rename`,
      { name: 'Taken over' },
      otherCookie,
    )
    expect(stranger.status).toBe(404)

    // An agent may not share; nothing is saved.
    const refused = await save({ name: 'Team', query: 'overdue=1', shared: '1' })
    expect(refused.status).toBe(403)
    expect((await html(refused)).text('#form-error')).toBe(
      'Only managers and administrators may share a view with everyone.',
    )
    expect(await viewsIn('Team')).toEqual([])

    // A manager's shared view is in every sidebar, marked shared.
    const shared = await save({ name: 'Team', query: 'overdue=1', shared: '1' }, managerCookie)
    expect(shared.status).toBe(303)
    const [team] = await viewsIn('Team')
    expect(team!.shared).toBe(1)
    expect(Object.keys(await sidebar(otherCookie))).toEqual(['Team'])
    expect(Object.keys(await sidebar())).toEqual(['Mine', 'Team'])
    expect((await html(await get('/queue', otherCookie))).text('.saved-shared')).toBe('(shared)')

    // Only managers rename or delete a shared view.
    const rename = await post(`/queue/views/${team!.id}/rename`, { name: 'Ours' })
    expect(rename.status).toBe(403)
    expect((await html(rename)).text('#form-error')).toContain('Only managers')
    const del = await post(`/queue/views/${team!.id}/delete`, {})
    expect(del.status).toBe(403)
    expect(await viewsIn('Team')).toHaveLength(1)
    const page = await html(await get('/queue/views'))
    expect(page.$(`#saved-view-${team!.id} form`)).toBeNull()
    expect(page.$(`#saved-view-${mine!.id} form`)).not.toBeNull()
    const byManager = await post(
      `/queue/views/${team!.id}/rename`,
      { name: 'Overdue, all' },
      managerCookie,
    )
    expect(byManager.status).toBe(303)
    expect(Object.keys(await sidebar(otherCookie))).toEqual(['Overdue, all'])
    expect((await post(`/queue/views/${team!.id}/delete`, {}, managerCookie)).status).toBe(303)
    expect(await sidebar(otherCookie)).toEqual({})
  })

  it('renames and deletes one’s own views and refuses bad names clearly', async () => {
    await save({ name: 'First', query: '' })
    await save({ name: 'Second', query: 'status=waiting_body' })
    const [first] = await viewsIn('First')
    expect(await sidebar()).toEqual({ First: '0', Second: '0' })

    const renamed = await post(`/queue/views/${first!.id}/rename`, { name: 'Everything open' })
    expect(renamed.status).toBe(303)
    expect(renamed.headers.get('location')).toBe('/queue/views?done=renamed')
    const manage = await html(await get('/queue/views?done=renamed'))
    expect(manage.text('#admin-notice')).toBe('The view was renamed.')
    expect(Object.keys(await sidebar())).toEqual(['Everything open', 'Second'])

    // Duplicates (letter case aside): 409 with the message beside the field.
    const dup = await save({ name: 'second', query: 'level=legal' })
    expect(dup.status).toBe(409)
    const dupPage = await html(dup)
    expect(dupPage.text('#saved-view-name-error')).toBe('There is already a view with this name.')
    expect(dupPage.$('#saved-view-name')?.getAttribute('value')).toBe('second')
    const dupRename = await post(`/queue/views/${first!.id}/rename`, { name: 'SECOND' })
    expect(dupRename.status).toBe(409)
    expect((await html(dupRename)).text(`#rename-${first!.id}-error`)).toBe(
      'There is already a view with this name.',
    )

    // Empty, blank and too long names: 422 with the reason.
    for (const [name, message] of [
      ['', 'Give the view a name.'],
      ['   ', 'Give the view a name.'],
      ['x'.repeat(61), 'A view’s name has at most 60 characters.'],
    ] as const) {
      const bad = await save({ name, query: '' })
      expect(bad.status).toBe(422)
      expect((await html(bad)).text('#saved-view-name-error')).toBe(message)
      const badRename = await post(`/queue/views/${first!.id}/rename`, { name })
      expect(badRename.status).toBe(422)
      expect((await html(badRename)).text(`#rename-${first!.id}-error`)).toBe(message)
    }
    // Missing name field altogether, and a query too long to keep.
    expect((await post('/queue/views', { query: '' })).status).toBe(422)
    expect((await save({ name: 'Long', query: 'q=' + 'x'.repeat(2100) })).status).toBe(422)
    // The page in Chinese says the same in Chinese.
    const zh = await t.postForm(
      '/queue/views',
      { name: '' },
      { cookie, headers: { 'accept-language': 'zh-CN' } },
    )
    expect((await html(zh)).text('#saved-view-name-error')).toBe('请为视图命名。')
    // Not a number, not there: 404.
    expect((await get('/queue/views/abc')).status).toBe(404)
    expect((await post('/queue/views/999/delete', {})).status).toBe(404)

    const deleted = await post(`/queue/views/${first!.id}/delete`, {})
    expect(deleted.status).toBe(303)
    expect(Object.keys(await sidebar())).toEqual(['Second'])
    expect(await viewsIn('Everything open')).toEqual([])
  })

  it('counts each view as many tickets as the queue shows for it, from counters where they hold it', async () => {
    const manager = await t.createStaff('manager')
    const tickets = []
    for (let i = 0; i < 6; i++) tickets.push(await fileTicket(t))
    await act(t, tickets[0]!.id, agent.id, { type: 'assign', assigneeId: agent.id })
    await act(t, tickets[1]!.id, agent.id, { type: 'assign', assigneeId: manager.id })
    await act(t, tickets[2]!.id, agent.id, {
      type: 'escalate',
      reason: 'other',
      note: '平台拒绝处理。',
    })
    await act(t, tickets[3]!.id, agent.id, {
      type: 'close',
      outcome: 'resolved',
      note: null,
      duplicateOfId: null,
    })
    await act(t, tickets[4]!.id, agent.id, { type: 'set_priority', priority: 'urgent' })
    const queries = {
      open: '',
      everything: 'status=all',
      closed: 'status=resolved',
      mine: 'assignee=me',
      manager: `assignee=${manager.id}`,
      nobody: 'assignee=none&sort=newest',
      association: 'level=consumer_association&hide=due',
      'platform, mine': 'level=platform&assignee=me',
      refunds: 'category=refund_not_received',
    }
    for (const [name, query] of Object.entries(queries)) await save({ name, query })
    // The views the counter rows hold are read from them, the others counted as the queue total is.
    const counter = (q: string) => counterFor(filtersOf(q), agent.id)
    expect(counter('')).toBe('queue:open')
    expect(counter('assignee=me&sort=newest&hide=due')).toBe(`queue:open:assignee:${agent.id}`)
    expect(counter('assignee=none')).toBe('queue:open:assignee:none')
    expect(counter('level=legal')).toBe('queue:open:level:legal')
    expect(counter('status=resolved')).toBe('queue:status:resolved')
    for (const q of [
      'status=all',
      'level=platform&assignee=me',
      'category=refund_not_received',
      'overdue=1',
      'tag=vip',
      'q=x',
    ])
      expect(counter(q), q).toBeNull()
    const counts = await sidebar()
    for (const [name, query] of Object.entries(queries)) {
      const page = await html(await get(query ? `/queue?${query}` : '/queue'))
      expect(counts[name], name).toBe(String(page.$$('#queue-rows tr.qrow').length))
    }
  })
})
