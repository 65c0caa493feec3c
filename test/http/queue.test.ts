import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { STATUSES, OPEN_STATUSES, LEVELS } from '../../src/domain/ladder.js'
import { counterNames } from '../../src/tickets/counters.js'
import {
  COUNT_CAP,
  NOT_OPEN,
  SORTS,
  pageQuery,
  type QueueFilters,
} from '../../src/tickets/queue.js'
import { queueQuerySchema } from '../../src/tickets/queueQuery.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket } from './ticketFixtures.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

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

const caseNumbers = (doc: Awaited<ReturnType<typeof html>>) =>
  doc.$$('#queue-rows .qrow-case').map((a) => a.textContent)

describe('the queue', () => {
  it('sends a signed-out visitor to the sign-in page and lands staff on the queue after signing in', async () => {
    const res = await t.get('/queue?level=legal')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Fqueue%3Flevel%3Dlegal')
    const login = await t.staff.signIn(agent.email, agent.password)
    expect(login.res.headers.get('location')).toBe('/queue')
  })

  it('lists open work soonest due first, overdue first, cases without a clock last, closed ones not at all', async () => {
    const now = t.now()
    const old = await fileTicket(t, {}, now - 20 * DAY) // platform clock of 15 days: overdue
    const fresh = await fileTicket(t, {}, now - 1 * DAY)
    const middle = await fileTicket(t, {}, now - 10 * DAY)
    const waiting = await fileTicket(t, {}, now - 2 * DAY)
    await act(t, waiting.id, agent.id, { type: 'request_info', body: '请补充截图' })
    const closed = await fileTicket(t, {}, now - 3 * DAY)
    await act(t, closed.id, agent.id, {
      type: 'close',
      outcome: 'resolved',
      note: null,
      duplicateOfId: null,
    })

    const res = await t.get('/queue', { cookie })
    expect(res.status).toBe(200)
    const doc = await html(res)
    expect(caseNumbers(doc)).toEqual([
      old.case_number,
      middle.case_number,
      fresh.case_number,
      waiting.case_number,
    ])
    const first = doc.$(`#row-${old.case_number}`)!
    expect(first.querySelector('.due')?.classList.contains('due-overdue')).toBe(true)
    expect(first.querySelector('.qrow-cat')?.textContent).toBe('退款/还款不到账')
    expect(first.querySelector('.qrow-amount')?.textContent).toContain('120.50')
    expect(doc.$(`#row-${waiting.case_number} .due`)?.classList.contains('due-paused')).toBe(true)
    // A closed case's clock has stopped: it is finished, not paused.
    const closedView = await html(await t.get('/queue?status=closed', { cookie }))
    expect(caseNumbers(closedView)).toEqual([closed.case_number])
    expect(closedView.$(`#row-${closed.case_number} .due`)?.classList.contains('due-stopped')).toBe(
      true,
    )
    expect(closedView.text(`#row-${closed.case_number} .due`)).toBe('已结束')
  })

  it('masks card and phone numbers in the first line of the description', async () => {
    await fileTicket(t, {
      description: '我的卡号 6222 0212 3456 7891 被扣款了，电话 13912345678\n第二行不显示',
    })
    const doc = await html(await t.get('/queue', { cookie }))
    const snippet = doc.text('.qrow-snippet') ?? ''
    expect(snippet).not.toContain('13912345678')
    expect(snippet).not.toContain('第二行')
  })

  it('combines filters: level, category, provider, assignee and overdue', async () => {
    const other = await t.createStaff('agent')
    const now = t.now()
    const match = await fileTicket(t, { category: 'closure_failed', providerId: 2 }, now - 20 * DAY)
    await act(t, match.id, agent.id, { type: 'assign', assigneeId: agent.id })
    const wrongAssignee = await fileTicket(
      t,
      { category: 'closure_failed', providerId: 2 },
      now - 20 * DAY,
    )
    await act(t, wrongAssignee.id, agent.id, { type: 'assign', assigneeId: other.id })
    const notOverdue = await fileTicket(
      t,
      { category: 'closure_failed', providerId: 2 },
      now - 1 * DAY,
    )
    await act(t, notOverdue.id, agent.id, { type: 'assign', assigneeId: agent.id })
    const wrongProvider = await fileTicket(
      t,
      { category: 'closure_failed', providerId: 3 },
      now - 20 * DAY,
    )
    await act(t, wrongProvider.id, agent.id, { type: 'assign', assigneeId: agent.id })
    const wrongCategory = await fileTicket(
      t,
      { category: 'payment_failed', providerId: 2 },
      now - 20 * DAY,
    )
    await act(t, wrongCategory.id, agent.id, { type: 'assign', assigneeId: agent.id })

    const url = '/queue?level=platform&category=closure_failed&provider=2&assignee=me&overdue=1'
    const doc = await html(await t.get(url, { cookie }))
    expect(caseNumbers(doc)).toEqual([match.case_number])
    const byId = await html(
      await t.get(`/queue?category=closure_failed&provider=2&assignee=${other.id}`, { cookie }),
    )
    expect(caseNumbers(byId)).toEqual([wrongAssignee.case_number])
    const none = await html(await t.get('/queue?assignee=none', { cookie }))
    expect(caseNumbers(none)).toEqual([])
    const legal = await html(await t.get('/queue?level=legal', { cookie }))
    expect(legal.$('#queue-empty')).not.toBeNull()
    // The filter form shows the chosen values, so the view can be read back.
    const form = (await html(await t.get(url, { cookie }))).$('#queue-filters')!
    expect(form.querySelector('#f-category option[selected]')?.getAttribute('value')).toBe(
      'closure_failed',
    )
    expect(form.querySelector('input[name="overdue"]')?.hasAttribute('checked')).toBe(true)
  })

  it('sorts newest, oldest and by amount', async () => {
    const now = t.now()
    const a = await fileTicket(t, { amountMinor: 500 }, now - 3 * DAY)
    const b = await fileTicket(t, { amountMinor: 90_000 }, now - 2 * DAY)
    const c = await fileTicket(t, { amountMinor: null }, now - 1 * DAY)
    expect(caseNumbers(await html(await t.get('/queue?sort=newest', { cookie })))).toEqual(
      [c, b, a].map((x) => x.case_number),
    )
    expect(caseNumbers(await html(await t.get('/queue?sort=oldest', { cookie })))).toEqual(
      [a, b, c].map((x) => x.case_number),
    )
    expect(caseNumbers(await html(await t.get('/queue?sort=amount', { cookie })))).toEqual(
      [b, a, c].map((x) => x.case_number),
    )
  })

  it('pages by keyset without duplicates or skips while new tickets arrive between pages', async () => {
    const now = t.now()
    const original = new Set<string>()
    for (let i = 0; i < 120; i++) {
      // Due dates spread over the past and future; a few share a due time to exercise the id tie-break.
      const filed = await fileTicket(t, {}, now - (i % 40) * DAY - (i % 3) * HOUR)
      original.add(filed.case_number)
    }
    // Some open tickets without a clock, which come after every dated one.
    for (let i = 0; i < 7; i++) {
      const w = await fileTicket(t, {}, now - i * HOUR)
      await act(t, w.id, agent.id, { type: 'request_info', body: 'x' })
      original.add(w.case_number)
    }
    const seen: string[] = []
    let url: string | null = '/queue'
    let pages = 0
    while (url) {
      const doc = await html(await t.get(url, { cookie }))
      const rows = caseNumbers(doc) as string[]
      expect(rows.length).toBeLessThanOrEqual(50)
      seen.push(...rows)
      url = doc.$('#queue-more a')?.getAttribute('href') ?? null
      pages++
      // Between pages, new complaints arrive: one due before the cursor, one after, one without a clock.
      await fileTicket(t, {}, now - 60 * DAY)
      await fileTicket(t, {}, now + DAY)
      const w = await fileTicket(t, {}, now)
      await act(t, w.id, agent.id, { type: 'request_info', body: 'y' })
    }
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(new Set(seen).size).toBe(seen.length)
    for (const cn of original) expect(seen).toContain(cn)
  })

  it('answers an htmx filter change with the rows fragment only, and "load more" with the next rows', async () => {
    for (let i = 0; i < 55; i++) await fileTicket(t, {}, t.now() - i * HOUR)
    const res = await t.get('/queue?sort=newest', {
      cookie,
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toContain('HX-Request-Type')
    const body = await res.text()
    expect(body).not.toContain('<html')
    expect(body).not.toContain('id="queue-filters"')
    expect(body).toContain('id="queue-results"')
    expect(body).toContain('hx-trigger="every 30s"')
    const doc = await html(new Response(body))
    expect(doc.$$('#queue-rows .qrow')).toHaveLength(50)
    const more = doc.$('#queue-more a')!
    const moreUrl = more.getAttribute('hx-get')!
    expect(moreUrl).toContain('part=more')
    const next = await t.get(moreUrl, {
      cookie,
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    const nextBody = await next.text()
    expect(nextBody).not.toContain('id="queue-results"')
    const nextDoc = await html(new Response(nextBody))
    expect(nextDoc.$$('.qrow')).toHaveLength(5)
    // The refresh now covers the whole, longer list from where it started.
    expect(nextDoc.$('#queue-poll')?.getAttribute('hx-get')).toContain('limit=55')
    const refreshed = await html(
      await t.get(nextDoc.$('#queue-poll')!.getAttribute('hx-get')!, {
        cookie,
        headers: { 'HX-Request-Type': 'partial' },
      }),
    )
    expect(refreshed.$$('#queue-rows .qrow')).toHaveLength(55)
  })

  it('works without JavaScript: the filter form is a GET form and the next page a plain link', async () => {
    for (let i = 0; i < 51; i++) await fileTicket(t, {}, t.now() - i * HOUR)
    const doc = await html(await t.get('/queue', { cookie }))
    const form = doc.$('#queue-filters')!
    expect(form.getAttribute('method')).toBe('get')
    expect(form.getAttribute('action')).toBe('/queue')
    expect(form.getAttribute('hx-push-url')).toBe('true')
    const next = doc.$('#queue-more a')!.getAttribute('href')!
    expect(next).toMatch(/^\/queue\?cursor=[A-Za-z0-9_-]+$/)
    expect(caseNumbers(await html(await t.get(next, { cookie })))).toHaveLength(1)
  })

  it('keeps the sidebar counts right as tickets are filed and moved', async () => {
    const other = await t.createStaff('agent')
    const now = t.now()
    const a = await fileTicket(t, {}, now - 20 * DAY)
    const b = await fileTicket(t, {}, now - 2 * DAY)
    const c = await fileTicket(t, {}, now - 2 * DAY)
    await act(t, a.id, agent.id, { type: 'assign', assigneeId: agent.id })
    await act(t, b.id, agent.id, { type: 'assign', assigneeId: other.id })
    await act(t, b.id, agent.id, { type: 'request_info', body: '请补充' })
    await act(t, c.id, agent.id, {
      type: 'record_contact',
      body: '已受理',
      externalRef: 'R1',
      outcome: 'accepted',
    })
    await act(t, c.id, agent.id, { type: 'escalate', reason: 'refused', note: null })
    await act(t, c.id, agent.id, {
      type: 'close',
      outcome: 'unresolved',
      note: null,
      duplicateOfId: null,
    })
    await act(t, c.id, agent.id, { type: 'reopen', note: null })

    const counts = async () => {
      const doc = await html(await t.get('/queue', { cookie }))
      return Object.fromEntries(
        doc
          .$$('#queue-views a')
          .map((a) => [a.getAttribute('data-view'), a.querySelector('.count')?.textContent]),
      )
    }
    expect(await counts()).toMatchObject({
      mine: '1',
      unassigned: '1',
      overdue: '1',
      waiting_complainant: '1',
      waiting_body: '0',
      level_platform: '2',
      level_consumer_association: '1',
      level_legal: '0',
    })
    // Every counter row equals a real count of the tickets it stands for.
    const tickets = await t.db
      .selectFrom('tickets')
      .select(['status', 'level', 'assignee_id'])
      .execute()
    const expected = new Map<string, number>()
    for (const tk of tickets) {
      for (const n of counterNames({
        status: tk.status,
        level: tk.level,
        assigneeId: tk.assignee_id,
      })) {
        expected.set(n, (expected.get(n) ?? 0) + 1)
      }
    }
    const rows = await t.db
      .selectFrom('counters')
      .selectAll()
      .where('name', 'like', 'queue:%')
      .execute()
    const actual = new Map(
      rows.filter((r) => Number(r.value) !== 0).map((r) => [r.name, Number(r.value)]),
    )
    expect(actual).toEqual(expected)
  })

  it('counts due today apart from overdue', async () => {
    const now = t.now() // 10:00 in Shanghai
    // Filed 15 days ago late in the evening: its clock runs out at the end of today.
    await fileTicket(t, {}, now - 15 * DAY + 10 * HOUR)
    await fileTicket(t, {}, now - 20 * DAY)
    const doc = await html(await t.get('/queue', { cookie }))
    expect(doc.text('[data-view="due_today"] .count')).toBe('1')
    expect(doc.text('[data-view="overdue"] .count')).toBe('1')
    expect(caseNumbers(await html(await t.get('/queue?due=today', { cookie })))).toHaveLength(1)
  })

  it('stops counting overdue tickets at the cap and shows the count with a plus', async () => {
    const seed = await fileTicket(t, {}, t.now() - 20 * DAY)
    // Copies of one overdue ticket, made in SQL: filing COUNT_CAP tickets one by one would be slow.
    const copy = async (n: number, tag: string) => {
      const cols = (
        await sql<{ name: string }>`select name from pragma_table_info('tickets')`.execute(t.db)
      ).rows
        .map((r) => r.name)
        .filter((c) => c !== 'id')
      const values = cols.map((c) =>
        c === 'case_number'
          ? `'${tag}' || n.i`
          : c === 'tracking_token_hash'
            ? `'${tag}-' || n.i`
            : c,
      )
      await sql
        .raw(
          `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${n})
        insert into tickets (${cols.join(', ')}) select ${values.join(', ')} from n, tickets where tickets.id = ${seed.id}`,
        )
        .execute(t.db)
    }
    await copy(COUNT_CAP - 2, 'CPA')
    const below = await html(await t.get('/queue', { cookie }))
    expect(below.text('[data-view="overdue"] .count')).toBe(String(COUNT_CAP - 1))
    await copy(1, 'CPB')
    expect(
      (await html(await t.get('/queue', { cookie }))).text('[data-view="overdue"] .count'),
    ).toBe(`${COUNT_CAP}+`)
  })
})

describe('queue query plans', () => {
  it('defines "not open" exactly as the statuses outside OPEN_STATUSES', () => {
    expect([...NOT_OPEN].sort()).toEqual(STATUSES.filter((s) => !OPEN_STATUSES.includes(s)).sort())
  })

  const plan = async (f: QueueFilters, withCursor: boolean) => {
    const cursor = withCursor ? { k: f.sort, v: 5, i: 9 } : null
    const compiled = pageQuery(t.db, f, { userId: 1, now: t.now() }, cursor, 51).compile()
    const rows = t.database.sqlite
      .prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`)
      .all(...(compiled.parameters as unknown[])) as { detail: string }[]
    return rows.map((r) => r.detail).join('\n')
  }
  const filters = (query: Record<string, string>) => queueQuerySchema.parse(query).filters

  it.each([false, true])(
    'reads the default and filtered queues in index order, never sorting (statistics: %s)',
    async (analyzed) => {
      // With statistics the planner decides as it would on real data; without, as on a fresh install.
      for (let i = 0; i < 40; i++) {
        const tk = await fileTicket(
          t,
          { category: i % 2 ? 'payment_failed' : 'closure_failed' },
          t.now() - i * DAY,
        )
        if (i % 3 === 0) await act(t, tk.id, agent.id, { type: 'request_info', body: 'x' })
        if (i % 5 === 0)
          await act(t, tk.id, agent.id, {
            type: 'close',
            outcome: 'resolved',
            note: null,
            duplicateOfId: null,
          })
      }
      if (analyzed) await sql`analyze`.execute(t.db)
      const views: Record<string, string>[] = [
        {},
        { level: 'consumer_association' },
        { assignee: 'me' },
        { assignee: 'none' },
        { category: 'payment_failed' },
        { provider: '3' },
        { status: 'waiting_complainant' },
        { status: 'all' },
        { overdue: '1' },
        { status: 'closed' },
        { due: 'today' },
        { level: 'regulator', assignee: 'me', category: 'other' },
        ...LEVELS.map((level) => ({ level })),
      ]
      for (const v of views) {
        for (const sort of SORTS) {
          const f = filters({ ...v, sort })
          // "Due today" under another sort reads one day of deadlines and sorts that small set.
          if (v['due'] === 'today' && sort !== 'due') continue
          for (const withCursor of [false, true]) {
            const p = await plan(f, withCursor)
            expect(p, `${JSON.stringify(v)} sort=${sort} cursor=${withCursor}\n${p}`).not.toContain(
              'TEMP B-TREE',
            )
            expect(p, `${JSON.stringify(v)} sort=${sort}`).not.toMatch(/^SCAN tickets$/m)
          }
        }
      }
      // The default queue reads the partial index of open tickets.
      expect(await plan(filters({}), true)).toMatch(
        /SEARCH tickets USING INDEX tickets_open_qdue \(<expr>>\?\)/,
      )
    },
  )
})
