// The queue's answers are cached between requests (src/tickets/queueView.ts). These tests pin down
// that caching them never shows an agent something out of date: every change, from this process
// or another, and every due time passing, is seen by the very next request.
import { gunzipSync } from 'node:zlib'
import SQLite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acceptsGzip } from '../../src/http/responseCache.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket } from './ticketFixtures.js'

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

async function queue(path = '/queue', who = cookie) {
  const doc = await html(await t.get(path, { cookie: who }))
  return {
    cases: doc.$$('#queue-rows .qrow-case').map((a) => a.textContent),
    count: (view: string) => doc.text(`[data-view="${view}"] .count`),
    dueClass: (caseNumber: string) => doc.$(`#row-${caseNumber} .due`)?.className ?? '',
  }
}

describe('the cached queue', () => {
  it('is cached between identical requests: a change made behind the application’s back is not seen', async () => {
    const ticket = await fileTicket(t)
    expect((await queue()).cases).toEqual([ticket.case_number])
    // The raw handle bypasses the write tracking, as nothing in the application does.
    t.database.sqlite.prepare("update tickets set status = 'closed' where id = ?").run(ticket.id)
    expect((await queue()).cases).toEqual([ticket.case_number])
    t.advance(16_000) // past QUEUE_CACHE_MS
    expect((await queue()).cases).toEqual([])
  })

  it('shows a new complaint and an agent’s action on the next request', async () => {
    const first = await fileTicket(t, {}, t.now() - 3_600_000)
    expect((await queue()).cases).toEqual([first.case_number])
    const second = await fileTicket(t)
    expect((await queue()).cases).toEqual([first.case_number, second.case_number])
    await act(t, first.id, agent.id, {
      type: 'close',
      outcome: 'resolved',
      note: null,
      duplicateOfId: null,
    })
    expect((await queue()).cases).toEqual([second.case_number])
  })

  it('shows a change committed by another process (the CLI, a second server) on the next request', async () => {
    const ticket = await fileTicket(t)
    expect((await queue()).cases).toEqual([ticket.case_number])
    const other = new SQLite(t.config.databaseFile)
    try {
      other.prepare("update tickets set status = 'withdrawn' where id = ?").run(ticket.id)
    } finally {
      other.close()
    }
    expect((await queue()).cases).toEqual([])
  })

  it('marks a row overdue and counts it the moment its due time passes, with no write in between', async () => {
    const ticket = await fileTicket(t)
    const dueAt = t.now() + 5_000
    await t.db.updateTable('tickets').set({ due_at: dueAt }).where('id', '=', ticket.id).execute()
    const before = await queue()
    expect(before.dueClass(ticket.case_number)).toContain('due-due')
    expect(before.count('overdue')).toBe('0')
    t.setNow(dueAt + 1)
    const after = await queue()
    expect(after.dueClass(ticket.case_number)).toContain('due-overdue')
    expect(after.count('overdue')).toBe('1')
    expect((await queue('/queue?overdue=1')).cases).toEqual([ticket.case_number])
  })

  it('moves the sidebar counts with the next change', async () => {
    const ticket = await fileTicket(t)
    const before = await queue()
    expect([before.count('unassigned'), before.count('mine')]).toEqual(['1', '0'])
    await act(t, ticket.id, agent.id, { type: 'assign', assigneeId: agent.id })
    const after = await queue()
    expect([after.count('unassigned'), after.count('mine')]).toEqual(['0', '1'])
  })

  it('keeps "assigned to me" and its count apart for each agent', async () => {
    const other = await t.createStaff('agent')
    const otherCookie = await t.signIn(other.email, other.password)
    const mine = await fileTicket(t)
    const theirs = await fileTicket(t)
    await act(t, mine.id, agent.id, { type: 'assign', assigneeId: agent.id })
    await act(t, theirs.id, agent.id, { type: 'assign', assigneeId: other.id })
    expect((await queue('/queue?assignee=me')).cases).toEqual([mine.case_number])
    expect((await queue('/queue?assignee=me', otherCookie)).cases).toEqual([theirs.case_number])
    expect((await queue('/queue', otherCookie)).count('mine')).toBe('1')
    expect((await queue('/queue')).count('mine')).toBe('1')
  })

  it('answers in each agent’s language, kept apart', async () => {
    await fileTicket(t)
    const zh = await html(await t.get('/queue', { cookie }))
    const en = await html(await t.get('/queue', { cookie, headers: { 'accept-language': 'en' } }))
    expect(zh.text('.qrow-cat')).toBe('退款/还款不到账')
    expect(en.text('.qrow-cat')).not.toBe('退款/还款不到账')
  })

  it('keeps the whole page apart per user, so each sees their own menu, and a role change shows at once', async () => {
    await fileTicket(t)
    const manager = await t.createStaff('manager')
    const managerCookie = await t.signIn(manager.email, manager.password)
    const reportsLink = async (who: string) =>
      (await html(await t.get('/queue', { cookie: who }))).$('a[href="/reports"]') !== null
    expect(await reportsLink(managerCookie)).toBe(true)
    expect(await reportsLink(cookie)).toBe(false)
    await t.db.updateTable('users').set({ role: 'manager' }).where('id', '=', agent.id).execute()
    expect(await reportsLink(cookie)).toBe(true)
  })

  it('keeps the page and the htmx fragment of the same address apart', async () => {
    await fileTicket(t)
    const partial = { cookie, headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } }
    const fragment = await (await t.get('/queue?level=platform', partial)).text()
    const page = await (await t.get('/queue?level=platform', { cookie })).text()
    expect(fragment).not.toContain('<html')
    expect(fragment).toContain('id="queue-rows"')
    expect(page).toContain('<html')
    expect(await (await t.get('/queue?level=platform', partial)).text()).toBe(fragment)
    const again = await t.get('/queue?level=platform', { cookie })
    expect(again.headers.get('vary')).toContain('HX-Request-Type')
    expect(again.headers.get('content-security-policy')).toBeTruthy()
    expect(await again.text()).toBe(page)
  })

  it('sends a browser that accepts gzip the cached page compressed, and others the plain page', async () => {
    await fileTicket(t)
    const plain = await (await t.get('/queue', { cookie })).text()
    const res = await t.get('/queue', {
      cookie,
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('vary')).toContain('Accept-Encoding')
    const packed = Buffer.from(await res.arrayBuffer())
    expect(packed.byteLength).toBeLessThan(Buffer.byteLength(plain) / 2)
    expect(gunzipSync(packed).toString()).toBe(plain)
    const refused = await t.get('/queue', {
      cookie,
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
    })
    expect(refused.headers.get('content-encoding')).toBeNull()
    expect(await refused.text()).toBe(plain)
  })
})

describe('acceptsGzip', () => {
  it('reads Accept-Encoding as browsers and proxies send it', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true)
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('*, gzip;q=0.0')).toBe(false)
    expect(acceptsGzip('deflate, br')).toBe(false)
    expect(acceptsGzip('identity')).toBe(false)
    expect(acceptsGzip('')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })
})
