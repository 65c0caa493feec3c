// The weekly trend: tickets received and escalations per level, week by week.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import { LEVELS } from '../../domain/ladder.js'
import type { ReportScope } from '../filters.js'
import { GRAIN_WEEK, periodRuns, reportDay, weekOfDay } from '../periods.js'
import { cohortDays, keyFilters, n, runsSql, sliceOf } from './scope.js'

export interface WeekGrid {
  /** Local midnight of the Monday that starts week 0. */
  start: number
  weeks: number
}

/**
 * Received per week (cohort) and escalations per week and level, by the date they happened
 * within the range. Weeks are counted in 7-day steps from a local Monday (the rollups' weeks).
 */
export async function weeklyTrend(
  db: DB,
  s: ReportScope,
  grid: WeekGrid,
): Promise<{ received: number[]; escalated: Map<string, number[]> }> {
  const received = new Array<number>(grid.weeks).fill(0)
  const escalated = new Map<string, number[]>()
  const [from, to] = cohortDays(s)
  const runs = periodRuns(from, to)
  const week0 = weekOfDay(reportDay(grid.start))
  const index = (g: unknown, p: unknown) => (n(g) === GRAIN_WEEK ? n(p) : weekOfDay(n(p))) - week0
  const r1 = await sql<Record<string, unknown>>`
    select g, p, ${sql.raw(LEVELS.map((_, i) => `sum(n${i})`).join(' + '))} as n from report_cohort
    where ${runsSql(runs, { a: sliceOf(s) })} and ${keyFilters(s)} group by g, p`.execute(db)
  for (const r of r1.rows) {
    const w = index(r['g'], r['p'])
    if (w >= 0 && w < grid.weeks) received[w]! += n(r['n'])
  }
  const r2 = await sql<Record<string, unknown>>`
    select g, p, sum(e1) as e1, sum(e2) as e2, sum(e3) as e3 from report_escalations
    where ${runsSql(runs, { a: sliceOf(s) })} and ${keyFilters(s)} group by g, p`.execute(db)
  for (const r of r2.rows) {
    const w = index(r['g'], r['p'])
    LEVELS.slice(1).forEach((level, i) => {
      const list = escalated.get(level) ?? new Array<number>(grid.weeks).fill(0)
      if (w >= 0 && w < grid.weeks) list[w]! += n(r[`e${i + 1}`])
      escalated.set(level, list)
    })
  }
  return { received, escalated }
}
