// The timeliness section: stages answered within their deadline, durations, overdue now.
import { LEVELS } from '../../domain/ladder.js'
import { days, int, pct, text, type ReportTable } from '../table.js'
import { levelUnit } from '../units.js'
import type { ReportData } from './data.js'

export async function timelinessTable(d: ReportData): Promise<ReportTable> {
  const { t } = d.c
  const [timely, durations, overdue] = await Promise.all([
    d.timelyByLevel(),
    d.durations(),
    d.overdue(),
  ])
  const zero = { stages: 0, counted: 0, timely: 0 }
  const total = { stages: 0, counted: 0, timely: 0, overdue: 0 }
  const rows = LEVELS.map((level) => {
    const c = timely.get(level) ?? zero
    const unit = levelUnit(d.c.deadlines, level)
    const fr = durations.first_response.get(level)
    const rs = durations.resolution.get(level)
    const od = overdue.get(level) ?? 0
    total.stages += c.stages
    total.counted += c.counted
    total.timely += c.timely
    total.overdue += od
    return [
      text(t(`level.${level}`)),
      text(
        t(
          unit === null
            ? 'reports.unit.none'
            : unit === 'business_days'
              ? 'reports.unit.business'
              : 'reports.unit.calendar',
        ),
      ),
      int(c.stages),
      int(unit === null ? null : c.counted),
      int(unit === null ? null : c.timely),
      pct(c.timely, unit === null ? 0 : c.counted),
      days(fr?.p50 ?? null),
      days(fr?.p90 ?? null),
      days(rs?.p50 ?? null),
      days(rs?.p90 ?? null),
      int(od),
    ]
  })
  return {
    name: 'timeliness',
    columns: [
      t('reports.col.level'),
      t('reports.col.clock'),
      t('reports.col.stages'),
      t('reports.col.counted'),
      t('reports.col.timely'),
      t('reports.col.pctTimely'),
      t('reports.col.firstResponseMedian'),
      t('reports.col.firstResponseP90'),
      t('reports.col.resolutionMedian'),
      t('reports.col.resolutionP90'),
      t('reports.col.overdueNow'),
    ],
    rows,
    totals: [
      [
        text(t('reports.allLevels')),
        text(''),
        int(total.stages),
        int(total.counted),
        int(total.timely),
        pct(total.timely, total.counted),
        days(null),
        days(null),
        days(null),
        days(null),
        int(total.overdue),
      ],
    ],
    empty: total.stages === 0 && total.overdue === 0,
  }
}
