// The outcomes section: how closed tickets ended, proposed resolutions, and money claimed and
// recovered.
import { LEVELS } from '../../domain/ladder.js'
import type { MoneyRow, OutcomeRow } from '../queries/cohort.js'
import { int, money, pct, text, type Cell, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'
import { currencies, currencyRank, sortByProvider } from './rows.js'

export async function outcomesTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const data = await d.outcomes()
  const outcomes = ['resolved', 'unresolved', 'withdrawn', 'duplicate'] as const
  const reliefs = ['monetary', 'non_monetary', 'explanation', null] as const
  const line = (level: string | null) => {
    const mine = data.filter((r) => level === null || r.level === level)
    const count = (f: (r: OutcomeRow) => boolean) => mine.filter(f).reduce((a, r) => a + r.n, 0)
    return [
      ...outcomes.map((o) => int(count((r) => r.outcome === o))),
      int(count(() => true)),
      ...reliefs.map((x) => int(count((r) => r.outcome === 'resolved' && r.relief === x))),
    ]
  }
  const all = data.reduce((a, r) => a + r.n, 0)
  return {
    name: 'outcomes',
    columns: [
      t('reports.col.level'),
      ...outcomes.map((o) => t(`closeOutcome.${o}`)),
      t('reports.col.closedTotal'),
      ...reliefs.map((x) =>
        x === null
          ? t('reports.col.noRelief')
          : t('reports.col.relief', { relief: t(`relief.${x}`) }),
      ),
    ],
    rows: LEVELS.map((level) => [text(t(`level.${level}`)), ...line(level)]),
    totals: [[text(t('reports.allLevels')), ...line(null)]],
    empty: all === 0,
  }
}

export async function proposalsTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const data = await d.proposals()
  const sum = { p: 0, a: 0, x: 0 }
  const row = (label: string, p: number, a: number, x: number) => [
    text(label),
    int(p),
    int(a),
    pct(a, p),
    int(x),
    pct(x, p),
  ]
  const rows = LEVELS.map((level) => {
    const r = data.get(level) ?? {}
    const p = r['resolution_proposed'] ?? 0
    const a = r['accepted'] ?? 0
    const x = r['disputed'] ?? 0
    sum.p += p
    sum.a += a
    sum.x += x
    return row(t(`level.${level}`), p, a, x)
  })
  return {
    name: 'proposals',
    columns: [
      t('reports.col.level'),
      t('reports.col.proposed'),
      t('reports.col.accepted'),
      t('reports.col.pctAccepted'),
      t('reports.col.disputed'),
      t('reports.col.pctDisputed'),
    ],
    rows,
    totals: [row(t('reports.allLevels'), sum.p, sum.a, sum.x)],
    empty: sum.p + sum.a + sum.x === 0,
  }
}

export async function moneyTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const data = await d.money()
  const sorted = await sortByProvider(
    d,
    data,
    (r) => r.providerId,
    (r) => currencyRank(r.currency),
  )
  const rows: Cell[][] = []
  for (const r of sorted) {
    rows.push([
      text(await d.providerLabel(r.providerId)),
      text(r.currency),
      int(r.tickets),
      int(r.withAmount),
      money(r.claimedMinor, r.currency),
      money(r.recoveredMinor, r.currency),
      pct(r.recoveredMinor, r.claimedMinor),
    ])
  }
  const totals = currencies(data).map((cur) => {
    const mine = data.filter((r) => r.currency === cur)
    const s = (f: (r: MoneyRow) => number) => mine.reduce((a, r) => a + f(r), 0)
    const claimed = s((r) => r.claimedMinor)
    const recovered = s((r) => r.recoveredMinor)
    return [
      text(t('reports.allProviders')),
      text(cur),
      int(s((r) => r.tickets)),
      int(s((r) => r.withAmount)),
      money(claimed, cur),
      money(recovered, cur),
      pct(recovered, claimed),
    ]
  })
  return {
    name: 'money',
    columns: [
      t('reports.col.provider'),
      t('reports.col.currency'),
      t('reports.col.tickets'),
      t('reports.col.withAmount'),
      t('reports.col.claimed'),
      t('reports.col.recovered'),
      t('reports.col.pctRecovered'),
    ],
    rows,
    totals,
    empty: rows.length === 0,
  }
}
