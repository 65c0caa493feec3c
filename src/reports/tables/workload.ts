// The workload section: each handler's open, overdue and closed tickets.
import { staffNames } from '../queries/names.js'
import { workload } from '../queries/workload.js'
import { int, text, type Cell, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'

export async function workloadTable(d: ReportData): Promise<ReportTable> {
  const { t, scope } = d.c
  const counts = await workload(d.c.db, scope, await d.snapshot())
  const ids = [...counts.keys()].filter((k): k is number => k !== null)
  let users = await staffNames(d.c.db, ids)
  let showUnassigned = true
  if (scope.assignee === 'none') {
    users = []
  } else if (scope.assignee !== null) {
    users = users.filter((u) => u.id === scope.assignee)
    showUnassigned = false
  }
  const zero = { open: 0, overdue: 0, closed: 0 }
  const rows: Cell[][] = users.map((u) => {
    const c = counts.get(u.id) ?? zero
    return [text(u.name), int(c.open), int(c.overdue), int(c.closed)]
  })
  if (showUnassigned) {
    const c = counts.get(null) ?? zero
    rows.push([text(t('reports.unassigned')), int(c.open), int(c.overdue), int(c.closed)])
  }
  const all = [...counts.values()].reduce(
    (a, c) => ({
      open: a.open + c.open,
      overdue: a.overdue + c.overdue,
      closed: a.closed + c.closed,
    }),
    zero,
  )
  return {
    name: 'workload',
    columns: [
      t('reports.col.assignee'),
      t('reports.col.open'),
      t('reports.col.overdue'),
      t('reports.col.closedInPeriod'),
    ],
    rows,
    totals: [[text(t('reports.allStaff')), int(all.open), int(all.overdue), int(all.closed)]],
    empty: all.open + all.overdue + all.closed === 0,
  }
}
