import fs from 'node:fs'
import { it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { loadDeadlineContext } from '../../src/tickets/deadlineContext.js'
import { resolveScope } from '../../src/reports/filters.js'
import { buildAll, buildReport, REPORT_NAMES } from '../../src/reports/service.js'
import { translator } from '../../src/i18n/translate.js'

const FILE = '/tmp/ladder-perf/ladder.db'
const N = Number(process.env.PERF_N ?? 1_000_000)
const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 23, 2)

it('perf', async () => {
  const fresh = !fs.existsSync(FILE)
  const d = openDatabase(FILE)
  await migrateToLatest(d.db)
  if (fresh) {
    const s = d.sqlite
    s.pragma('foreign_keys = OFF')
    const t0 = performance.now()
    let seed = 42
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
    const insT = s.prepare(`insert into tickets (case_number, tracking_token_hash, category, provider_id, amount_minor, currency, description, desired_outcome, complainant_name, consent_at, status, level, assignee_id, due_at, outcome, relief, amount_recovered_minor, closed_at, created_at, updated_at) values (?,?,?,?,?,?,'d','refund','n',?,?,?,?,?,?,?,?,?,?,?)`)
    const insS = s.prepare(`insert into ladder_stages (ticket_id, level, entered_at, left_at, first_response_at, answered_at, due_at, escalation_reason) values (?,?,?,?,?,?,?,?)`)
    const insE = s.prepare(`insert into events (ticket_id, type, visibility, actor_type, created_at) values (?,?,'public','staff',?)`)
    const insP = s.prepare(`insert into clock_pauses (ticket_id, stage_id, started_at, ended_at) values (?,?,?,?)`)
    const cats = ['payment_failed', 'refund_not_received', 'termination_failed', 'closure_failed', 'activation_failed', 'account_compromised', 'other']
    const levels = ['platform', 'consumer_association', 'regulator', 'legal']
    s.exec('begin')
    for (let i = 1; i <= N; i++) {
      const created = NOW - Math.floor(rnd() * 730 * DAY)
      const top = rnd() < 0.7 ? 0 : rnd() < 0.6 ? 1 : rnd() < 0.7 ? 2 : 3
      const age = NOW - created
      const closed = rnd() < Math.min(0.95, age / (60 * DAY))
      const resolved = closed && rnd() < 0.6
      const status = closed ? (rnd() < 0.05 ? 'withdrawn' : 'closed') : ['new', 'open', 'waiting_body', 'waiting_complainant', 'resolution_proposed'][Math.floor(rnd() * 5)]!
      const closedAt = closed ? Math.min(NOW, created + Math.floor(rnd() * 60 * DAY)) : null
      const outcome = closed ? (status === 'withdrawn' ? 'withdrawn' : resolved ? 'resolved' : 'unresolved') : null
      insT.run(`LD-${i}`, `h${i}`, cats[i % 7], 1 + (i % 9), Math.floor(rnd() * 100000), rnd() < 0.9 ? 'CNY' : 'USD', created, status, levels[top], 1 + (i % 20), closed ? null : created + 15 * DAY, outcome, resolved ? 'monetary' : null, resolved ? 1000 : null, closedAt, created, created)
      let t = created
      for (let l = 0; l <= top; l++) {
        const left = l < top ? t + Math.floor(rnd() * 20 * DAY) : null
        const fr = rnd() < 0.8 ? t + Math.floor(rnd() * 3 * DAY) : null
        const ans = rnd() < 0.6 ? t + Math.floor(rnd() * 18 * DAY) : null
        const info = insS.run(i, levels[l], t, left, fr, ans, l === 3 ? null : t + 15 * DAY, l === 0 ? null : 'no_answer')
        if (rnd() < 0.2) insP.run(i, info.lastInsertRowid, t + DAY, t + 3 * DAY)
        if (left) t = left
      }
      if (rnd() < 0.5) insE.run(i, 'resolution_proposed', t + DAY)
      if (rnd() < 0.3) insE.run(i, 'accepted', t + 2 * DAY)
      if (rnd() < 0.1) insE.run(i, 'disputed', t + 2 * DAY)
      for (let k = 0; k < 5; k++) insE.run(i, 'noted', t + k * 1000)
      if (i % 100000 === 0) { s.exec('commit'); s.exec('begin') }
    }
    s.exec('commit')
    s.exec('analyze')
    console.log('generated in', Math.round(performance.now() - t0), 'ms')
  }
  const deadlines = await loadDeadlineContext(d.db)
  const t = translator('en')
  for (const q of [{}, { provider: '3' }, { from: '2025-01-01' }]) {
    const r = resolveScope(q as Record<string, string>, NOW)
    if (!r.ok) throw new Error('bad')
    const ctx = { db: d.db, scope: r.scope, deadlines, t, locale: 'en' as const }
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now()
      await buildAll(ctx)
      console.log(JSON.stringify(q), 'all', Math.round(performance.now() - t0), 'ms')
    }
    const parts: string[] = []
    for (const name of REPORT_NAMES) {
      const t0 = performance.now()
      await buildReport(ctx, name)
      parts.push(`${name}=${Math.round(performance.now() - t0)}`)
    }
    console.log(parts.join(' '))
  }
  await d.close()
}, 3_600_000)
