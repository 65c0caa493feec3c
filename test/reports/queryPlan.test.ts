import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/schema.js'
import { resolveScope } from '../../src/reports/filters.js'
import { buildAll } from '../../src/reports/service.js'
import { translator } from '../../src/i18n/translate.js'
import { loadDeadlineContext } from '../../src/tickets/deadlineContext.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { file } from '../helpers/tickets.js'

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
  await buildAll({ db, scope: r.scope, deadlines: await loadDeadlineContext(t.db), t: translator('en'), locale: 'en' })
  return queries
    .filter((q) => /\bfrom tickets t\b/.test(q.sql))
    .map((q) => ({
      sql: q.sql.replace(/\s+/g, ' '),
      plan: (t.database.sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map(
        (p) => p.detail,
      ),
    }))
}

describe('report queries', () => {
  it('read tickets through indexes, never by scanning the tickets or stages tables', async () => {
    for (let i = 0; i < 40; i++) await file(t.db, t.now() - i * 3 * 86_400_000, { providerId: 1 + (i % 3) })
    // Plan as at a million tickets: the statistics ANALYZE gathered on a generated database of
    // 1M tickets and 1.46M stages, so the planner weighs the indexes as it would in production.
    const sqlite = t.database.sqlite
    sqlite.exec('analyze')
    const stats: [string, string, string][] = [
      ['tickets', 'tickets_report_created', '1000000 1118 488 81 5 5 5 5'],
      ['tickets', 'tickets_created', '1000000 1118 1'],
      ['tickets', 'tickets_level_due', '1000000 250000 9901 1'],
      ['tickets', 'tickets_status_created', '1000000 142858 1118 1'],
      ['tickets', 'tickets_report_open', '112261 28066 1158 1158 495 81 5'],
      ['tickets', 'tickets_report_closed', '1000000 1270 96 95'],
      ['ladder_stages', 'ladder_stages_report', '1457669 2 1 1 1 1 1 1 1'],
      ['ladder_stages', 'ladder_stages_ticket', '1457669 2 1'],
      ['ladder_stages', 'ladder_stages_level_entered', '1457669 364418 1124'],
    ]
    const put = sqlite.prepare('insert or replace into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)')
    for (const [tbl, idx, stat] of stats) {
      sqlite.prepare('delete from sqlite_stat1 where tbl = ? and idx = ?').run(tbl, idx)
      put.run(tbl, idx, stat)
    }
    sqlite.exec('analyze sqlite_schema')
    const scopes: Record<string, string>[] = [{}, { provider: '2', category: 'refund_not_received' }]
    for (const q of scopes) {
      const plans = await explainAll(q)
      expect(plans.length).toBeGreaterThanOrEqual(14)
      for (const { sql, plan } of plans) {
        const text = plan.join('\n')
        // A bare "SCAN t" (no index) would read every ticket row.
        expect(text, sql).not.toMatch(/^SCAN (t|s|tickets|ladder_stages)$/m)
        expect(text, sql).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/)
      }
      // The heaviest query, timely response per level: each ticket's stages by the covering stage
      // index and, unfiltered, the cohort by a range search on the date received.
      const timely = plans.find((p) => p.sql.includes('as timely'))!
      expect(timely.plan.join('\n')).toMatch(/SEARCH s USING (COVERING )?INDEX ladder_stages_report \(ticket_id=\?\)/)
      if (Object.keys(q).length) continue
      expect(timely.plan.join('\n')).toMatch(/SEARCH t USING (COVERING )?INDEX \w+ \((ANY\(status\) AND )?created_at>\? AND created_at<\?\)/)
    }
  })
})
