// The funnel section: how far up the ladder the cohort went, overall, per provider, per category.
import { CATEGORIES } from '../../domain/categories.js'
import { LEVELS } from '../../domain/ladder.js'
import { int, pct, text, type Cell, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'
import { categoryLabel, ESCALATED_LEVELS, sortByProvider } from './rows.js'

export async function funnelTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const counts = await d.funnel()
  const at = LEVELS.map((l) => counts.get(l) ?? { atLevel: 0, resolved: 0, open: 0 })
  const reached = LEVELS.map((_, i) => at.slice(i).reduce((sum, c) => sum + c.atLevel, 0))
  const received = reached[0]!
  const rows = LEVELS.map((level, i) => {
    const c = at[i]!
    const up = i + 1 < LEVELS.length ? reached[i + 1]! : null
    return [
      text(t(`level.${level}`)),
      int(reached[i]!),
      pct(reached[i]!, received),
      int(up),
      up === null ? int(null) : pct(up, reached[i]!),
      int(c.resolved),
      int(c.open),
      int(c.atLevel - c.resolved - c.open),
    ]
  })
  return {
    name: 'funnel',
    columns: [
      t('reports.col.level'),
      t('reports.col.reached'),
      t('reports.col.pctOfReceived'),
      t('reports.col.movedUp'),
      t('reports.col.pctMovedUp'),
      t('reports.col.resolvedHere'),
      t('reports.col.openHere'),
      t('reports.col.closedOtherwise'),
    ],
    rows,
    totals: [],
    empty: received === 0,
  }
}

export async function funnelGroups(
  d: ReportData,
  by: 'provider' | 'category',
): Promise<ReportTable> {
  const { t, locale } = d.c
  const groups = by === 'provider' ? await d.byProvider() : await d.byCategory()
  const sorted =
    by === 'provider'
      ? await sortByProvider(
          d,
          groups,
          (g) => g.key as number | null,
          () => 0,
        )
      : [...groups].sort(
          (a, b) =>
            CATEGORIES.findIndex((c) => c.key === a.key) -
            CATEGORIES.findIndex((c) => c.key === b.key),
        )
  const rows: Cell[][] = []
  for (const g of sorted) {
    rows.push([
      text(
        by === 'provider'
          ? await d.providerLabel(g.key as number | null)
          : categoryLabel(String(g.key), locale),
      ),
      int(g.received),
      int(g.reachedConsumerAssociation),
      int(g.reachedRegulator),
      int(g.reachedLegal),
      pct(g.reachedConsumerAssociation, g.received),
      int(g.resolved),
    ])
  }
  return {
    name: `funnel-by-${by}`,
    columns: [
      by === 'provider' ? t('reports.col.provider') : t('reports.col.category'),
      t('reports.col.received'),
      ...ESCALATED_LEVELS.map((l) => t('reports.col.reachedLevel', { level: t(`level.${l}`) })),
      t('reports.col.pctEscalated'),
      t('reports.col.resolved'),
    ],
    rows,
    totals: [],
    empty: rows.length === 0,
  }
}
