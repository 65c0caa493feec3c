// The reports as first written (commit 3f66b57), straight from the ticket tables: the definition
// the rollups must reproduce number for number (test/reports/rollups.test.ts). Not used by the app.
// Builds each report's table (and the two charts) from the aggregates in queries.ts. The page
// builds all of them; a CSV download builds only its own, sharing no more queries than it needs.
import type { DB } from '../../../src/db/connection.js'
import { CATEGORIES } from '../../../src/domain/categories.js'
import type { ClockRule } from '../../../src/domain/clocks.js'
import { addLocalDays, localDate, startOfLocalDay } from '../../../src/domain/zoneTime.js'
import { LEVELS, type Level } from '../../../src/domain/ladder.js'
import { DISPLAY_TIME_ZONE } from '../../../src/i18n/format.js'
import type { Locale } from '../../../src/i18n/locale.js'
import type { Translate } from '../../../src/i18n/translate.js'
import type { DeadlineContext } from '../../../src/deadlines/context.js'
import { groupedColumns, horizontalBars } from '../../../src/reports/charts.js'
import type { ReportScope } from '../../../src/reports/filters.js'
import * as q from './queries.js'
import {
  ALERT_RULE,
  AGE_BUCKETS,
  isSystemicAlert,
  nearestRank,
} from '../../../src/reports/stats.js'
import {
  dec,
  days,
  int,
  money,
  pct,
  text,
  type Cell,
  type ReportTable,
} from '../../../src/reports/table.js'
import { workIndex } from '../../../src/reports/workTime.js'

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

export interface ReportContext {
  db: DB
  scope: ReportScope
  deadlines: DeadlineContext
  t: Translate
  locale: Locale
}

const ESCALATED_LEVELS = LEVELS.slice(1)

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined
  return () => (p ??= make())
}

/** The unit a level's clock counts in; levels without a clock are measured in calendar days. */
export function levelUnit(d: DeadlineContext, level: Level): ClockRule['unit'] | null {
  const rules = d.policy.levels[level]
  return rules.answer?.unit ?? rules.accept?.unit ?? null
}

/** Memoized queries for one request, so the page runs each aggregate once. */
class Data {
  readonly c: ReportContext
  readonly clockLevels: Level[]
  readonly workingLevels: Level[]
  readonly calendarLevels: Level[]
  constructor(c: ReportContext) {
    this.c = c
    this.clockLevels = LEVELS.filter((l) => levelUnit(c.deadlines, l) !== null)
    this.workingLevels = LEVELS.filter((l) => levelUnit(c.deadlines, l) === 'business_days')
    this.calendarLevels = LEVELS.filter((l) => levelUnit(c.deadlines, l) !== 'business_days')
  }
  private get db() {
    return this.c.db
  }
  private get s() {
    return this.c.scope
  }

  funnel = once(() => q.funnelByLevel(this.db, this.s))
  byProvider = once(() => q.funnelBy(this.db, this.s, 'provider'))
  byCategory = once(() => q.funnelBy(this.db, this.s, 'category'))
  timelyByLevel = once(() => q.timelyCounts(this.db, this.s, this.clockLevels, 'level'))
  timelyByProvider = once(() => q.timelyCounts(this.db, this.s, this.clockLevels, 'provider'))
  overdue = once(() => q.overdueNow(this.db, this.s))
  ageing = once(() => q.backlogAgeing(this.db, this.s))
  outcomes = once(() => q.closedOutcomes(this.db, this.s))
  proposals = once(() => q.proposalEvents(this.db, this.s))
  money = once(() => q.moneyByProvider(this.db, this.s))
  providers = once(() => q.providerNames(this.db))
  medianToResolution = once(() => q.medianDaysToResolution(this.db, this.s))

  durations = once(async () => {
    const out: Record<q.DurationKind, Map<string, q.Percentiles>> = {
      first_response: await q.calendarPercentiles(
        this.db,
        this.s,
        this.calendarLevels,
        'first_response',
      ),
      resolution: await q.calendarPercentiles(this.db, this.s, this.calendarLevels, 'resolution'),
    }
    if (this.workingLevels.length) {
      const { calendar } = this.c.deadlines
      const index = workIndex(
        'business_days',
        calendar,
        this.s.fromMs,
        Math.max(this.s.now, this.s.toMs),
      )
      for (const kind of ['first_response', 'resolution'] as const) {
        const values = new Map<string, number[]>()
        for await (const span of q.workingDaySpans(this.db, this.s, this.workingLevels, kind)) {
          const list = values.get(span.level) ?? []
          list.push(index.days(span.enteredAt, span.end, span.pauses))
          values.set(span.level, list)
        }
        for (const [level, list] of values) {
          list.sort((a, b) => a - b)
          out[kind].set(level, {
            n: list.length,
            p50: nearestRank(list, 0.5),
            p90: nearestRank(list, 0.9),
          })
        }
      }
    }
    return out
  })

  providerLabel = async (id: number | null | string): Promise<string> => {
    if (id === null) return this.c.t('reports.otherProvider')
    const p = (await this.providers()).find((x) => x.id === Number(id))
    if (!p) return `#${id}`
    return this.c.locale === 'en' ? p.name_en : p.name_zh
  }
  providerOrder = async (id: number | null): Promise<number> => {
    if (id === null) return Number.MAX_SAFE_INTEGER
    const list = await this.providers()
    const i = list.findIndex((x) => x.id === id)
    return i < 0 ? Number.MAX_SAFE_INTEGER - 1 : i
  }
}

export function categoryLabel(key: string, locale: Locale): string {
  return CATEGORIES.find((c) => c.key === key)?.title[locale] ?? key
}

type Builder = (d: Data) => Promise<ReportTable>

const BUILDERS: Record<ReportName, Builder> = {
  async funnel(d) {
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
  },

  'funnel-by-provider': (d) => funnelGroups(d, 'provider'),
  'funnel-by-category': (d) => funnelGroups(d, 'category'),

  async timeliness(d) {
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
  },

  async ageing(d) {
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
  },

  async outcomes(d) {
    const { t } = d.c
    const data = await d.outcomes()
    const outcomes = ['resolved', 'unresolved', 'withdrawn', 'duplicate'] as const
    const reliefs = ['monetary', 'non_monetary', 'explanation', null] as const
    const line = (level: string | null) => {
      const mine = data.filter((r) => level === null || r.level === level)
      const count = (f: (r: q.OutcomeRow) => boolean) => mine.filter(f).reduce((a, r) => a + r.n, 0)
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
  },

  async proposals(d) {
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
  },

  async money(d) {
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
      const s = (f: (r: q.MoneyRow) => number) => mine.reduce((a, r) => a + f(r), 0)
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
  },

  async trend(d) {
    const { t } = d.c
    const grid = weekGrid(d.c.scope)
    const { received, escalated } = await q.weeklyTrend(d.c.db, d.c.scope, grid.grid)
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
  },

  async alerts(d) {
    const { t, scope, locale } = d.c
    const anchor = alertAnchor(scope)
    const pairs = (await q.pairCounts(d.c.db, scope, anchor)).filter((p) =>
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
  },

  async workload(d) {
    const { t, scope } = d.c
    const counts = await q.workload(d.c.db, scope)
    const ids = [...counts.keys()].filter((k): k is number => k !== null)
    let users = await q.staffNames(d.c.db, ids)
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
  },

  async scorecard(d) {
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
  },
}

async function funnelGroups(d: Data, by: 'provider' | 'category'): Promise<ReportTable> {
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

async function sortByProvider<T>(
  d: Data,
  rows: readonly T[],
  id: (r: T) => number | null,
  then: (r: T) => number,
): Promise<T[]> {
  const keyed = await Promise.all(
    rows.map(async (r) => ({ r, o: await d.providerOrder(id(r)), t: then(r) })),
  )
  return keyed.sort((a, b) => a.o - b.o || a.t - b.t).map((x) => x.r)
}

/** CNY first (the office's currency), then the others alphabetically. */
function currencyRank(c: string): number {
  return c === 'CNY' ? -1 : c.charCodeAt(0) * 65536 + c.charCodeAt(1) * 256 + c.charCodeAt(2)
}

function currencies(rows: readonly q.MoneyRow[]): string[] {
  return [...new Set(rows.map((r) => r.currency))].sort((a, b) => currencyRank(a) - currencyRank(b))
}

/** Weeks start on Monday, local time; the first week is the one holding the range's first day. */
export function weekGrid(scope: ReportScope): { grid: q.WeekGrid; labels: string[] } {
  const weekday = new Date(`${scope.fromDate}T00:00:00Z`).getUTCDay()
  const monday = addLocalDays(scope.fromDate, -((weekday + 6) % 7))
  const start = startOfLocalDay(monday, DISPLAY_TIME_ZONE)
  const weeks = Math.floor((scope.toMs - 1 - start) / q.WEEK_MS) + 1
  const labels = Array.from({ length: weeks }, (_, i) => addLocalDays(monday, 7 * i))
  return { grid: { start, weeks }, labels }
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

export async function buildReport(c: ReportContext, name: ReportName): Promise<ReportTable> {
  return BUILDERS[name](new Data(c))
}

export interface ReportPage {
  tables: Record<ReportName, ReportTable>
  charts: { funnel: string | null; trend: string | null }
}

/** Every table and chart of the page, sharing one set of memoized queries. */
export async function buildAll(c: ReportContext): Promise<ReportPage> {
  const data = new Data(c)
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
  const bars = table.rows.map((r) => {
    const reached = (r[1] as { v: number }).v
    const share = r[2] as { num: number; den: number }
    return {
      label: (r[0] as { v: string }).v,
      value: reached,
      valueText: `${reached} · ${share.den ? ((share.num * 100) / share.den).toFixed(0) : 0}%`,
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
