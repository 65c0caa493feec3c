// Assembles the reports: each report's table from its builder (tables/), and the page's two
// charts from the tables. The page builds all of them; a CSV download builds only its own, sharing
// no more queries than it needs.
import { LEVELS, type Level } from '../domain/ladder.js'
import { groupedColumns, horizontalBars } from './charts.js'
import type { ReportTable } from './table.js'
import { ageingTable } from './tables/ageing.js'
import { alertsTable } from './tables/alerts.js'
import { ReportData, type ReportContext } from './tables/data.js'
import { funnelGroups, funnelTable } from './tables/funnel.js'
import { moneyTable, outcomesTable, proposalsTable } from './tables/outcomes.js'
import { scorecardTable } from './tables/scorecard.js'
import { timelinessTable } from './tables/timeliness.js'
import { trendTable } from './tables/trend.js'
import { workloadTable } from './tables/workload.js'

export const REPORT_NAMES = [
  'funnel',
  'funnel-by-provider',
  'funnel-by-category',
  'timeliness',
  'ageing',
  'outcomes',
  'proposals',
  'money',
  'trend',
  'alerts',
  'workload',
  'scorecard',
] as const
export type ReportName = (typeof REPORT_NAMES)[number]

export function isReportName(v: string): v is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(v)
}

type Builder = (d: ReportData) => Promise<ReportTable>

const BUILDERS: Record<ReportName, Builder> = {
  funnel: funnelTable,
  'funnel-by-provider': (d) => funnelGroups(d, 'provider'),
  'funnel-by-category': (d) => funnelGroups(d, 'category'),
  timeliness: timelinessTable,
  ageing: ageingTable,
  outcomes: outcomesTable,
  proposals: proposalsTable,
  money: moneyTable,
  trend: trendTable,
  alerts: alertsTable,
  workload: workloadTable,
  scorecard: scorecardTable,
}

export async function buildReport(c: ReportContext, name: ReportName): Promise<ReportTable> {
  return BUILDERS[name](new ReportData(c))
}

export interface ReportPage {
  tables: Record<ReportName, ReportTable>
  charts: { funnel: string | null; trend: string | null }
}

/** Every table and chart of the page, sharing one set of memoized queries. */
export async function buildAll(c: ReportContext): Promise<ReportPage> {
  const data = new ReportData(c)
  const tables = {} as Record<ReportName, ReportTable>
  for (const name of REPORT_NAMES) tables[name] = await BUILDERS[name](data)
  return {
    tables,
    charts: { funnel: funnelChart(c, tables.funnel), trend: trendChart(c, tables.trend) },
  }
}

function funnelChart(c: ReportContext, table: ReportTable): string | null {
  if (table.empty) return null
  const { t } = c
  const bars = table.rows.map((r, i) => {
    const reached = (r[1] as { v: number }).v
    const share = r[2] as { num: number; den: number }
    return {
      label: (r[0] as { v: string }).v,
      value: reached,
      valueText: `${reached} · ${share.den ? ((share.num * 100) / share.den).toFixed(0) : 0}%`,
      href: queueAt(c, LEVELS[i]!),
    }
  })
  return horizontalBars(
    {
      id: 'funnel-chart',
      title: t('reports.funnel.chartTitle'),
      desc: bars.map((b) => `${b.label}: ${b.valueText}`).join('; '),
    },
    bars,
  )
}

/** The queue of every case at a level now, within the report's provider and category. */
function queueAt(c: ReportContext, level: Level): string {
  const q = new URLSearchParams({ status: 'all', level })
  if (c.scope.providerId !== null) q.set('provider', String(c.scope.providerId))
  if (c.scope.category !== null) q.set('category', c.scope.category)
  return `/queue?${q.toString()}`
}

function trendChart(c: ReportContext, table: ReportTable): string | null {
  if (table.empty) return null
  const { t } = c
  const groups = table.rows.map((r) => ({
    label: (r[0] as { v: string }).v.slice(5),
    values: [(r[1] as { v: number }).v, (r[5] as { v: number }).v],
  }))
  return groupedColumns(
    {
      id: 'trend-chart',
      title: t('reports.trend.chartTitle'),
      desc: t('reports.trend.chartDesc', {
        weeks: groups.length,
        received: groups.reduce((a, g) => a + g.values[0]!, 0),
        escalated: groups.reduce((a, g) => a + g.values[1]!, 0),
      }),
    },
    [
      { name: t('reports.col.received'), key: 'received', fill: '#0f5c4d' },
      { name: t('reports.col.escalatedTotal'), key: 'escalated', fill: '#b3541e' },
    ],
    groups,
  )
}
