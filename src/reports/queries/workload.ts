// Each handler's workload: open and overdue now, and closed within the range.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import type { ReportScope } from '../filters.js'
import { ALL_PROVIDERS } from '../layout.js'
import { periodRuns } from '../periods.js'
import { assigneeOf, cohortDays, lit, n, runsSql, sliceOf } from './scope.js'
import type { Snapshot } from './snapshot.js'

export interface WorkloadCounts {
  open: number
  overdue: number
  closed: number
}

/** Open and overdue now (snapshot), and closed within the range (by closing date), per assignee. */
export async function workload(
  db: DB,
  s: ReportScope,
  snap: Snapshot,
): Promise<Map<number | null, WorkloadCounts>> {
  const out = new Map<number | null, WorkloadCounts>()
  const get = (k: number | null) => {
    let w = out.get(k)
    if (!w) out.set(k, (w = { open: 0, overdue: 0, closed: 0 }))
    return w
  }
  for (const [a, c] of snap.byAssignee) {
    const open = c.open.reduce((x, v) => x + v, 0)
    const overdue = c.overdue.reduce((x, v) => x + v, 0)
    if (open || overdue) Object.assign(get(a), { open, overdue })
  }
  const [from, to] = cohortDays(s)
  const col = s.category === null ? 'k' : `k_${s.category}`
  const { rows } = await sql<Record<string, unknown>>`
    select assignee_id, sum(${sql.raw(col)}) as n from report_closed
    where ${runsSql(periodRuns(from, to), { ps: s.providerId ?? ALL_PROVIDERS })}
      ${s.assignee !== null ? sql`and assignee_id = ${lit(sliceOf(s))}` : sql``}
    group by assignee_id`.execute(db)
  for (const r of rows) if (n(r['n'])) get(assigneeOf(r['assignee_id'])).closed = n(r['n'])
  return out
}
