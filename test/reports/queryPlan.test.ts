import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/schema.js'
import { resolveScope } from '../../src/reports/filters.js'
import { rebuildStatements } from '../../src/reports/rebuild.js'
import { buildAll } from '../../src/reports/service.js'
import { translator } from '../../src/i18n/translate.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { loadDeadlineContext } from '../../src/deadlines/context.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { file, writerOf } from '../helpers/tickets.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

/** Runs every report with a logging Kysely on the same connection and explains each query. */
async function explainAll(query: Record<string, string>) {
  const queries: CompiledQuery[] = []
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: t.database.sqlite }),
    log: (e) => {
      if (e.level === 'query') queries.push(e.query)
    },
  })
  const r = resolveScope(query, t.now())
  if (!r.ok) throw new Error('bad scope')
  await buildAll({
    db,
    scope: r.scope,
    deadlines: await loadDeadlineContext(t.db),
    t: translator('en'),
    locale: 'en',
  })
  return queries.map((q) => ({
    sql: q.sql.replace(/\s+/g, ' '),
    plan: (
      t.database.sqlite
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[])) as { detail: string }[]
    ).map((p) => p.detail),
  }))
}

/** Tables that grow with the tickets; the rest (users, providers, settings) stay small. */
const BIG = /\b(tickets|ladder_stages|events|clock_pauses|report_\w+)\b/

describe('report queries', () => {
  it('read rollups by primary-key ranges and tickets only through indexes, never the stage or event tables', async () => {
    const agent = await t.createStaff('agent')
    for (let i = 0; i < 40; i++) {
      const { ticket } = await file(t.db, t.now() - i * 3 * 86_400_000, { providerId: 1 + (i % 3) })
      const staff = { kind: 'staff', role: 'agent', userId: agent.id } as const
      await actOnTicket(writerOf(t.db), {
        ticketId: ticket.id,
        expectedVersion: null,
        input: { type: 'reply', body: 'x' },
        actor: staff,
        now: ticket.created_at + 3_600_000,
      })
      if (i % 4 === 0) {
        await actOnTicket(writerOf(t.db), {
          ticketId: ticket.id,
          expectedVersion: null,
          input: { type: 'escalate', reason: 'no_answer', note: null },
          actor: staff,
          now: ticket.created_at + 7_200_000,
        })
      }
    }
    // Plan as at a million tickets: the statistics ANALYZE gathered on a generated database of
    // 1M tickets and 1.46M stages, so the planner weighs the ticket indexes as it would in
    // production (the rollups are read by their primary keys whatever the statistics say).
    const sqlite = t.database.sqlite
    sqlite.exec('analyze')
    const stats: [string, string, string][] = [
      ['tickets', 'tickets_report_created', '1000000 1118 488 81 5 5 5 5'],
      ['tickets', 'tickets_created', '1000000 1118 1'],
      ['tickets', 'tickets_level_due', '1000000 250000 9901 1'],
      ['tickets', 'tickets_status_created', '1000000 142858 1118 1'],
      ['tickets', 'tickets_report_open', '112261 28066 1158 1158 495 81 5'],
      ['tickets', 'tickets_report_closed', '1000000 1270 96 95'],
      ['tickets', 'tickets_open_created', '112261 1 1'],
      ['tickets', 'tickets_open_due', '112261 2 1'],
      // The rollups of that database, after its migration (0009) and ANALYZE.
      ['report_cohort', 'report_cohort', '378606 18029 9015 35 8 1 1'],
      ['report_escalations', 'report_escalations', '181188 8628 4314 27 7 1'],
      ['report_closed', 'report_closed', '52192 5220 2610 18 1'],
      ['report_open', 'report_open', '13717 3430 2287 54 18 1'],
      ['report_hist', 'report_hist', '212444 53111 5742 2871 13 6 5 3 1'],
      ['report_durations', 'report_durations', '2566429 855477 513286 135076 14582 1215 960 1'],
      ['report_stages', 'report_stages', '1457669 2820 2 1'],
      ['report_stages', 'report_stages_pending', '51815 1178 1178 1178 499 81 5'],
      ['report_stages', 'report_stages_workdays', '1279788 319947 319947'],
    ]
    const put = sqlite.prepare(
      'insert or replace into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)',
    )
    for (const [tbl, idx, stat] of stats) {
      sqlite.prepare('delete from sqlite_stat1 where tbl = ? and idx = ?').run(tbl, idx)
      put.run(tbl, idx, stat)
    }
    sqlite.exec('analyze sqlite_schema')
    const scopes: Record<string, string>[] = [
      {},
      { from: '2024-11-23' },
      { provider: '2' },
      { category: 'refund_not_received' },
      { assignee: String(agent.id) },
      { provider: '2', category: 'refund_not_received' },
    ]
    for (const q of scopes) {
      const plans = await explainAll(q)
      const label = JSON.stringify(q)
      // A bounded number of small queries, whatever the range: no query per ticket or per day.
      expect(plans.length, label).toBeLessThan(120)
      for (const { sql, plan } of plans) {
        const text = plan.join('\n')
        // The report path never joins stages, events or pauses (that is what the rollups are for).
        expect(sql, label).not.toMatch(/\b(ladder_stages|events|clock_pauses)\b/)
        if (!BIG.test(sql)) continue
        // A bare "SCAN" of a growing table (with or without an index) would read all of it.
        expect(text, `${label} ${sql}`).not.toMatch(/^SCAN /m)
        expect(text, `${label} ${sql}`).toMatch(
          /SEARCH \w+ USING (COVERING )?INDEX|SEARCH \w+ USING PRIMARY KEY/,
        )
      }
      // The cohort counters: one primary-key range per run of days or weeks, never the whole slice.
      const cohort = plans.find(
        (p) => /from report_cohort\b/.test(p.sql) && p.sql.includes('currency, sum('),
      )!
      expect(cohort.plan.join('\n'), label).toMatch(
        /SEARCH report_cohort USING PRIMARY KEY \(a=\? AND g=\? AND p>\? AND p<\?\)/,
      )
      // Tickets are only read for the hours cut off by an instant (alerts, age and due bounds).
      for (const p of plans.filter((x) => /\bfrom tickets\b/.test(x.sql))) {
        // (Due dates are asked of the queue's due key, an expression index.)
        expect(p.plan.join('\n'), `${label} ${p.sql}`).toMatch(
          /\((\w+=\? AND )?(created_at|due_at|<expr>)>\? AND (created_at|due_at|<expr>)<\?\)/,
        )
      }
    }
  })

  it("the full rebuild counts each stage's proposals from its own ticket's events, not a search of all events by type", async () => {
    const sqlite = t.database.sqlite
    const proposals = rebuildStatements().find((s) => /\bfrom events e\b/.test(s))!
    const plan = (sqlite.prepare(`explain query plan ${proposals}`).all() as { detail: string }[])
      .map((p) => p.detail)
      .join('\n')
    // By ticket, the stages' own order: a search of events by type then visits the table at random
    // for each event's ticket (twice as slow at 1M tickets, 0012).
    expect(plan).toMatch(/SEARCH e USING INDEX events_ticket \(ticket_id=\?\)/)
    expect(plan).not.toMatch(/SEARCH e USING INDEX events_type|SCAN e\b/)
    const indexes = sqlite
      .prepare(
        `select name from sqlite_master where type = 'index' and tbl_name = 'events' and sql is not null`,
      )
      .all()
    expect(indexes).toEqual([{ name: 'events_ticket' }])
  })
})
