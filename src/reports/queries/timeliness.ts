// Timeliness of the cohort's stages at levels with a clock: counted, and timely.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import { LEVELS } from '../../domain/ladder.js'
import { T_PENDING } from '../facts.js'
import type { ReportScope } from '../filters.js'
import type { CohortGroup } from './cohort.js'
import { cohortDays, lit, n, providerOf, sliceOf, type Expr } from './scope.js'

export interface TimelyCounts {
  stages: number
  /** Stages whose timeliness is known: answered, escalated for no answer, or past the deadline. */
  counted: number
  timely: number
}

/** Stages still waiting for an answer whose deadline has not passed yet, per level and provider. */
export async function pendingNotDue(
  db: DB,
  s: ReportScope,
): Promise<{ level: string; providerId: number | null; n: number }[]> {
  const [from, to] = cohortDays(s)
  const parts: Expr[] = [
    sql`tstate = ${lit(T_PENDING)}`,
    sql`due_at >= ${lit(s.now)}`,
    sql`created_day + 0 between ${lit(from)} and ${lit(to)}`,
  ]
  if (s.providerId !== null) parts.push(sql`provider_id = ${lit(s.providerId)}`)
  if (s.category !== null) parts.push(sql`category = ${s.category}`)
  if (s.assignee !== null) parts.push(sql`assignee_id = ${lit(sliceOf(s))}`)
  // `+ 0`: the few stages not yet due come from the partial index, never a date range scan.
  const { rows } = await sql<{ level: string; provider_id: number; n: number }>`
    select level, provider_id, count(*) as n from report_stages
    where ${sql.join(parts, sql` and `)} group by level, provider_id`.execute(db)
  return rows.map((r) => ({ level: r.level, providerId: providerOf(r.provider_id), n: n(r.n) }))
}

/**
 * Per stage of the cohort's tickets (levels with a clock only): counted once it was answered,
 * escalated without an answer, or its deadline passed before the stage ended (escalation,
 * closing) or before now; timely when answered no later than its deadline.
 */
export function timelyCounts(
  groups: readonly CohortGroup[],
  pending: readonly { level: string; providerId: number | null; n: number }[],
  clockLevels: readonly string[],
  by: 'level' | 'provider',
): Map<string | number | null, TimelyCounts> {
  const out = new Map<string | number | null, TimelyCounts>()
  const get = (k: string | number | null) => {
    let c = out.get(k)
    if (!c) out.set(k, (c = { stages: 0, counted: 0, timely: 0 }))
    return c
  }
  LEVELS.forEach((level, i) => {
    const clocked = clockLevels.includes(level)
    for (const g of groups) {
      const c = get(by === 'level' ? level : g.providerId)
      c.stages += g.c[`st${i}`]!
      if (clocked) {
        c.counted += g.c[`ct${i}`]! + g.c[`pd${i}`]!
        c.timely += g.c[`tm${i}`]!
      }
    }
  })
  for (const p of pending)
    if (clockLevels.includes(p.level)) get(by === 'level' ? p.level : p.providerId).counted -= p.n
  return out
}
