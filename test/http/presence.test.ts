// Who else is here (src/tickets/presence.ts): two signed-in staff on one ticket see each other,
// a closed tab drops out, typing in the reply form shows, and heartbeats never throw the queue's
// cached pages away nor touch the ticket or its events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { housekeeping } from '../../src/background.js'
import { openDatabase } from '../../src/db/connection.js'
import { silentLogger } from '../../src/http/logger.js'
import { writePageViews } from '../../src/tickets/pageViews.js'
import { othersHere, PRESENCE_TTL_MS, TYPING_TTL_MS } from '../../src/tickets/presence.js'
import { createTestApp, html, ORIGIN, type TestApp } from '../helpers/testApp.js'
import { fileTicket } from './ticketFixtures.js'

let t: TestApp
let alice: string
let aliceId: number
let bob: string
beforeEach(async () => {
  t = await createTestApp()
  const a = await t.createStaff('agent')
  const b = await t.createStaff('manager')
  alice = await t.signIn(a.email, a.password)
  aliceId = a.id
  bob = await t.signIn(b.email, b.password)
})
afterEach(async () => {
  await t.close()
})

const page = async (caseNumber: string, cookie: string) =>
  html(await t.get(`/tickets/${caseNumber}`, { cookie }))

const beat = (caseNumber: string, cookie: string, typing = false) =>
  t.request(`/tickets/${caseNumber}/presence${typing ? '?typing=1' : ''}`, {
    method: 'POST',
    cookie,
    headers: { origin: ORIGIN, 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
  })

describe('presence on the ticket page', () => {
  it('shows each of two sessions the other, and neither itself', async () => {
    const tk = await fileTicket(t)
    const first = await page(tk.case_number, alice)
    expect(first.$('#presence')?.getAttribute('hx-trigger')).toMatch(/^every \d+s$/)
    expect(first.text('#presence')).toBe('')
    const second = await page(tk.case_number, bob)
    expect(second.text('#presence .presence-others')).toContain('Test agent')
    expect(second.text('#presence')).not.toContain('Test manager')
    const polled = await beat(tk.case_number, alice)
    expect(polled.status).toBe(200)
    const body = await polled.text()
    expect(body).toContain('id="presence"')
    expect(body).toContain('Test manager')
    expect(body).not.toContain('<html')
  })

  it('drops a session whose heartbeat has stopped', async () => {
    const tk = await fileTicket(t)
    await page(tk.case_number, bob)
    t.advance(PRESENCE_TTL_MS - 1_000)
    expect((await page(tk.case_number, alice)).text('#presence')).toContain('Test manager')
    t.advance(2_000)
    expect((await page(tk.case_number, alice)).text('#presence')).toBe('')
    // Stale rows are only filtered out on read; the hourly housekeeping sweeps them.
    await writePageViews(t.db)
    expect(await t.db.selectFrom('presence').select('user_id').execute()).toHaveLength(2)
    await housekeeping(t.db, t.config, silentLogger(), t.now())
    const rows = await t.db.selectFrom('presence').select('user_id').execute()
    expect(rows).toHaveLength(1) // alice's fresh row stays
  })

  it('writes the beats of several page views together, where another process sees them', async () => {
    const one = await fileTicket(t)
    const two = await fileTicket(t)
    await page(one.case_number, bob)
    await page(two.case_number, bob)
    // A second connection to the same file stands for another server process.
    const other = openDatabase(t.config.databaseFile)
    try {
      expect(await othersHere(other.db, one.id, aliceId, t.now())).toEqual([])
      await writePageViews(t.db)
      const seen = await othersHere(other.db, one.id, aliceId, t.now())
      expect(seen.map((o) => o.name)).toEqual(['Test manager'])
      expect(await othersHere(other.db, two.id, aliceId, t.now())).toHaveLength(1)
    } finally {
      await other.close()
    }
  })

  it('shows who is writing a reply, until they stop typing', async () => {
    const tk = await fileTicket(t)
    const own = await page(tk.case_number, bob)
    const reporter = own.$('#reply-form [hx-post$="/presence?typing=1"]')
    expect(reporter?.getAttribute('hx-trigger')).toMatch(/^input throttle:\d+s$/)
    expect((await beat(tk.case_number, bob, true)).status).toBe(200)
    const seen = await page(tk.case_number, alice)
    expect(seen.text('#presence .presence-typing')).toContain('Test manager')
    // Polling alone (no typing) keeps bob here but lets the indicator lapse.
    t.advance(TYPING_TTL_MS + 1_000)
    await beat(tk.case_number, bob)
    const later = await page(tk.case_number, alice)
    expect(later.text('#presence .presence-others')).toContain('Test manager')
    expect(later.$('#presence .presence-typing')).toBeNull()
  })

  it('sends a heartbeat without htmx back to the page, and 404s an unknown case', async () => {
    const tk = await fileTicket(t)
    const plain = await t.postForm(`/tickets/${tk.case_number}/presence`, {}, { cookie: alice })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/tickets/${tk.case_number}`)
    expect((await beat('LD-2000-000000', alice)).status).toBe(404)
  })

  it('writes neither the ticket nor its events, and leaves the queue’s cache in place', async () => {
    const tk = await fileTicket(t)
    const queueCases = async () =>
      (await html(await t.get('/queue', { cookie: alice })))
        .$$('#queue-rows .qrow-case')
        .map((a) => a.textContent)
    expect(await queueCases()).toEqual([tk.case_number])
    const before = await t.db
      .selectFrom('tickets')
      .select(['version', 'updated_at'])
      .where('id', '=', tk.id)
      .executeTakeFirstOrThrow()
    const events = async () =>
      (await t.db.selectFrom('events').select('id').where('ticket_id', '=', tk.id).execute()).length
    const eventsBefore = await events()
    // Behind the application's back: only a counted write would make the queue read it again.
    t.database.sqlite.prepare("update tickets set status = 'closed' where id = ?").run(tk.id)
    await page(tk.case_number, bob)
    await beat(tk.case_number, bob)
    await beat(tk.case_number, bob, true)
    await beat(tk.case_number, alice)
    expect(await queueCases()).toEqual([tk.case_number])
    const after = await t.db
      .selectFrom('tickets')
      .select(['version', 'updated_at'])
      .where('id', '=', tk.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual(before)
    expect(await events()).toBe(eventsBefore)
  })
})
