// The alerts section: provider × problem pairs with a sudden rise in tickets.
import { localDate } from '../../domain/zoneTime.js'
import { DISPLAY_TIME_ZONE } from '../../i18n/format.js'
import type { ReportScope } from '../filters.js'
import { pairCounts } from '../queries/alerts.js'
import { ALERT_RULE, isSystemicAlert } from '../stats.js'
import { dec, int, text, type Cell, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'
import { categoryLabel } from './rows.js'

export async function alertsTable(d: ReportData): Promise<ReportTable> {
  const { t, scope, locale } = d.c
  const anchor = alertAnchor(scope)
  const pairs = (await pairCounts(d.c.db, scope, anchor)).filter((p) =>
    isSystemicAlert(p.last7, p.trailing),
  )
  pairs.sort(
    (a, b) =>
      b.last7 - a.last7 || a.providerId - b.providerId || a.category.localeCompare(b.category),
  )
  const rows: Cell[][] = []
  for (const p of pairs) {
    const href = `/queue?${new URLSearchParams({ provider: String(p.providerId), category: p.category })}`
    rows.push([
      text(await d.providerLabel(p.providerId)),
      text(categoryLabel(p.category, locale)),
      int(p.last7),
      int(p.trailing),
      dec(p.trailing / ALERT_RULE.trailingWeeks, 2),
      text(t('reports.alerts.openQueue'), href),
    ])
  }
  return {
    name: 'alerts',
    columns: [
      t('reports.col.provider'),
      t('reports.col.category'),
      t('reports.col.last7'),
      t('reports.col.previous8Weeks'),
      t('reports.col.weeklyMean'),
      t('reports.col.queue'),
    ],
    rows,
    totals: [],
    empty: rows.length === 0,
  }
}

/** Alerts look at the 7 days before the end of the range, or before now when the range runs on. */
export function alertAnchor(scope: ReportScope): number {
  return Math.min(scope.now, scope.toMs)
}

export function alertWindow(scope: ReportScope): { from: string; to: string } {
  const anchor = alertAnchor(scope)
  return {
    from: localDate(anchor - 7 * 86_400_000, DISPLAY_TIME_ZONE),
    to: localDate(anchor - 1, DISPLAY_TIME_ZONE),
  }
}
