// The trend section: tickets received and escalated, week by week.
import { addLocalDays, startOfLocalDay } from '../../domain/zoneTime.js'
import { DISPLAY_TIME_ZONE } from '../../i18n/format.js'
import type { ReportScope } from '../filters.js'
import { WEEK_MS } from '../periods.js'
import { weeklyTrend, type WeekGrid } from '../queries/trend.js'
import { int, text, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'
import { ESCALATED_LEVELS } from './rows.js'

export async function trendTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const grid = weekGrid(d.c.scope)
  const { received, escalated } = await weeklyTrend(d.c.db, d.c.scope, grid.grid)
  const rows = grid.labels.map((label, w) => {
    const per = ESCALATED_LEVELS.map((l) => escalated.get(l)?.[w] ?? 0)
    return [
      text(label),
      int(received[w] ?? 0),
      ...per.map(int),
      int(per.reduce((a, x) => a + x, 0)),
    ]
  })
  const sum = (i: number) => rows.reduce((a, r) => a + ((r[i] as { v: number }).v ?? 0), 0)
  const totals = [[text(t('reports.allWeeks')), ...[1, 2, 3, 4, 5].map((i) => int(sum(i)))]]
  return {
    name: 'trend',
    columns: [
      t('reports.col.weekOf'),
      t('reports.col.received'),
      ...ESCALATED_LEVELS.map((l) => t('reports.col.escalatedTo', { level: t(`level.${l}`) })),
      t('reports.col.escalatedTotal'),
    ],
    rows,
    totals,
    empty: sum(1) + sum(5) === 0,
  }
}

/** Weeks start on Monday, local time; the first week is the one holding the range's first day. */
export function weekGrid(scope: ReportScope): { grid: WeekGrid; labels: string[] } {
  const weekday = new Date(`${scope.fromDate}T00:00:00Z`).getUTCDay()
  const monday = addLocalDays(scope.fromDate, -((weekday + 6) % 7))
  const start = startOfLocalDay(monday, DISPLAY_TIME_ZONE)
  const weeks = Math.floor((scope.toMs - 1 - start) / WEEK_MS) + 1
  const labels = Array.from({ length: weeks }, (_, i) => addLocalDays(monday, 7 * i))
  return { grid: { start, weeks }, labels }
}
