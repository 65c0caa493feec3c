// The scorecard section: one row per provider, the figures a regulator compares them by.
import { days, int, money, pct, text, type Cell, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'
import { currencies, sortByProvider } from './rows.js'

export async function scorecardTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const [groups, timely, median, moneyRows] = await Promise.all([
    d.byProvider(),
    d.timelyByProvider(),
    d.medianToResolution(),
    d.money(),
  ])
  const curs = currencies(moneyRows)
  const sorted = await sortByProvider(
    d,
    groups,
    (g) => g.key as number | null,
    () => 0,
  )
  const rows: Cell[][] = []
  for (const g of sorted) {
    const id = g.key as number | null
    const tc = timely.get(id) ?? { stages: 0, counted: 0, timely: 0 }
    rows.push([
      text(await d.providerLabel(id)),
      int(g.received),
      pct(tc.timely, tc.counted),
      days(median.get(id)?.p50 ?? null),
      pct(g.reachedConsumerAssociation, g.received),
      ...curs.map((cur) => {
        const m = moneyRows.find((r) => r.providerId === id && r.currency === cur)
        return money(m ? m.recoveredMinor : 0, cur)
      }),
    ])
  }
  return {
    name: 'scorecard',
    columns: [
      t('reports.col.provider'),
      t('reports.col.tickets'),
      t('reports.col.pctTimely'),
      t('reports.col.medianDaysToResolution'),
      t('reports.col.pctEscalated'),
      ...curs.map((cur) => t('reports.col.recoveredIn', { currency: cur })),
    ],
    rows,
    totals: [],
    empty: rows.length === 0,
  }
}
