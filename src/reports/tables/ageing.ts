// The backlog section: open tickets by age, per level.
import { LEVELS } from '../../domain/ladder.js'
import { AGE_BUCKETS } from '../stats.js'
import { int, text, type ReportTable } from '../table.js'
import type { ReportData } from './data.js'

export async function ageingTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const ageing = await d.ageing()
  const sums = [0, 0, 0, 0, 0]
  const rows = LEVELS.map((level) => {
    const b = ageing.get(level) ?? [0, 0, 0, 0, 0]
    b.forEach((v, i) => (sums[i]! += v))
    return [text(t(`level.${level}`)), ...b.map(int), int(b.reduce((a, x) => a + x, 0))]
  })
  const all = sums.reduce((a, x) => a + x, 0)
  return {
    name: 'ageing',
    columns: [
      t('reports.col.level'),
      ...AGE_BUCKETS.map((b) => t('reports.col.ageBucket', { bucket: b.key })),
      t('reports.col.total'),
    ],
    rows,
    totals: [[text(t('reports.allLevels')), ...sums.map(int), int(all)]],
    empty: all === 0,
  }
}
