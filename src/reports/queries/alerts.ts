// Systemic alerts: tickets per provider × problem in the last 7 days against the 8 weeks before.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import { LEVELS } from '../../domain/ladder.js'
import { DAY_MS } from '../../domain/zoneTime.js'
import type { ReportScope } from '../filters.js'
import { ALL, NO_PROVIDER } from '../layout.js'
import { periodRuns, splitInstants, WEEK_MS } from '../periods.js'
import { keyFilters, lit, n, runsSql, type Expr } from './scope.js'

export interface PairCounts {
  providerId: number
  category: string
  last7: number
  trailing: number
}

/** Tickets per listed provider × category received in [from, to): whole days from the rollup. */
async function receivedPairs(
  db: DB,
  s: ReportScope,
  from: number,
  to: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const add = (p: unknown, c: unknown, v: unknown) => {
    const k = `${n(p)}|${String(c)}`
    out.set(k, (out.get(k) ?? 0) + n(v))
  }
  const { days, partial } = splitInstants(from, to)
  if (days) {
    const { rows } = await sql<Record<string, unknown>>`
      select provider_id, category, ${sql.raw(LEVELS.map((_, i) => `sum(n${i})`).join(' + '))} as n from report_cohort
      where ${runsSql(periodRuns(days[0], days[1]), { a: ALL })} and provider_id <> ${lit(NO_PROVIDER)}
        and ${keyFilters(s)}
      group by provider_id, category`.execute(db)
    for (const r of rows) add(r['provider_id'], r['category'], r['n'])
  }
  for (const [a, b] of partial) {
    const parts: Expr[] = [
      sql`t.created_at >= ${lit(a)}`,
      sql`t.created_at < ${lit(b)}`,
      sql`t.provider_id is not null`,
    ]
    if (s.providerId !== null) parts.push(sql`t.provider_id = ${lit(s.providerId)}`)
    if (s.category !== null) parts.push(sql`t.category = ${s.category}`)
    const { rows } = await sql<Record<string, unknown>>`
      select t.provider_id, t.category, count(*) as n from tickets t
      where ${sql.join(parts, sql` and `)} group by t.provider_id, t.category`.execute(db)
    for (const r of rows) add(r['provider_id'], r['category'], r['n'])
  }
  return out
}

/**
 * Tickets per provider × category in the 7 days before `anchor` and in the 8 weeks before those.
 * The assignee filter does not apply: a systemic problem is about providers, not who handles it.
 */
export async function pairCounts(db: DB, s: ReportScope, anchor: number): Promise<PairCounts[]> {
  const lastStart = anchor - 7 * DAY_MS
  const trailingStart = lastStart - 8 * WEEK_MS
  const last = await receivedPairs(db, s, lastStart, anchor)
  const trailing = await receivedPairs(db, s, trailingStart, lastStart)
  const out: PairCounts[] = []
  for (const k of new Set([...last.keys(), ...trailing.keys()])) {
    const [p, c] = k.split('|') as [string, string]
    const row = {
      providerId: Number(p),
      category: c,
      last7: last.get(k) ?? 0,
      trailing: trailing.get(k) ?? 0,
    }
    if (row.last7 + row.trailing > 0) out.push(row)
  }
  return out
}
