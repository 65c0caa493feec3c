// The report rollups recomputed from the tickets, stages, pauses and events in plain SQL: for a
// database filled around the services (bulk loads), and as the reference the upkeep in
// rollups.ts must always agree with (test/reports/rollups.test.ts). Migration 0009 holds a
// frozen copy of this. Working-day durations need the holiday calendar, so they are measured
// afterwards by workdays.ts.
import { sql } from 'kysely'
import type { DB } from '../db/connection.js'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { DAY_MS } from '../domain/zoneTime.js'
import { LEVELS } from '../domain/ladder.js'
import { ACCEPTED_SQL } from '../domain/resolution.js'
import { COARSE_BINS, FINE_BINS } from './bins.js'
import { CLOSED_COLS, COHORT_COLS, ESCALATION_COLS, OPEN_COLS } from './layout.js'
import { REPORT_DAY_OFFSET_MS } from './periods.js'
import { readWorkdayState, writeWorkdayState } from './rollups.js'

const q = (s: string) => `'${s.replace(/'/g, "''")}'`
const levelIndex = (col: string) =>
  `(case ${col} ${LEVELS.map((l, i) => `when ${q(l)} then ${i}`).join(' ')} end)`
const dayOf = (col: string) => `((${col} + ${REPORT_DAY_OFFSET_MS}) / ${DAY_MS})`
const OPEN = `t.status not in ('resolved','closed','withdrawn')`
const CLOSED = `t.status in ('closed','withdrawn')`
const RESOLVED = `(t.status = 'resolved' or t.outcome = 'resolved')`
const count = (cond: string) => `sum(case when ${cond} then 1 else 0 end)`

/** Milliseconds of the stage's pauses inside [from, to], each pause clipped on its own. */
function pausedWithin(from: string, to: string): string {
  const a = `(case when p.started_at > ${from} then p.started_at else ${from} end)`
  const b = `(case when coalesce(p.ended_at, ${to}) < ${to} then coalesce(p.ended_at, ${to}) else ${to} end)`
  return `coalesce((select sum(case when ${b} > ${a} then ${b} - ${a} else 0 end) from clock_pauses p where p.stage_id = x.id), 0)`
}

/** Coarse and fine histogram bins of an integer millisecond column (bins.ts, in SQL). */
function coarseBin(ms: string): string {
  const steps = Array.from(
    { length: COARSE_BINS - 2 },
    (_, i) => `when ${ms} < ${60_000 * 2 ** (i + 1)} then ${i + 1}`,
  )
  return `(case when ${ms} < 60000 then 0 ${steps.join(' ')} else ${COARSE_BINS - 1} end)`
}
function coarseLowSql(cb: string): string {
  return `(case ${cb} ${Array.from({ length: COARSE_BINS - 1 }, (_, i) => `when ${i + 1} then ${60_000 * 2 ** i}`).join(' ')} end)`
}
function fineBin(ms: string, cb: string): string {
  const low = `(case when ${cb} = 0 then 0 else ${coarseLowSql(cb)} end)`
  const width = `(case when ${cb} = 0 then 60000 else ${coarseLowSql(cb)} end)`
  const fine = `(${ms} - ${low}) * ${FINE_BINS} / ${width}`
  return `(case when ${ms} <= 0 then 0 when ${fine} > ${FINE_BINS - 1} then ${FINE_BINS - 1} else ${fine} end)`
}

export const REPORT_TABLES = [
  'report_stages',
  'report_durations',
  'report_cohort',
  'report_escalations',
  'report_closed',
  'report_open',
  'report_hist',
]

/** A rollup by period: its keys before and after (g, p), its slice key and its counters. */
interface PeriodTable {
  name: string
  slice: string | null
  /** The value of the slice key that sums all the others. */
  all: number
  rest: string[]
  cols: readonly string[]
  /** Which day rows have weeks (report_open's totals have none). */
  where?: string
}

const PERIOD_TABLES: PeriodTable[] = [
  {
    name: 'report_cohort',
    slice: 'a',
    all: 0,
    rest: ['provider_id', 'category', 'currency'],
    cols: COHORT_COLS,
  },
  {
    name: 'report_escalations',
    slice: 'a',
    all: 0,
    rest: ['provider_id', 'category'],
    cols: ESCALATION_COLS,
  },
  { name: 'report_closed', slice: 'ps', all: -1, rest: ['assignee_id'], cols: CLOSED_COLS },
  {
    name: 'report_open',
    slice: null,
    all: 0,
    rest: ['dim', 'provider_id', 'assignee_id'],
    cols: OPEN_COLS,
    where: 'dim in (0, 1)',
  },
  {
    name: 'report_hist',
    slice: null,
    all: 0,
    rest: ['s', 'sv', 'kind', 'unit', 'grp', 'cb'],
    cols: binNames('n'),
  },
]

function binNames(prefix: string): string[] {
  return Array.from({ length: FINE_BINS }, (_, i) => `${prefix}${i}`)
}

/**
 * From the day rows of each ticket's own slice (inserted first): the "everyone" slice, then
 * week rows from day rows. Plain sums, no CASE.
 */
function derivedStatements(t: PeriodTable): string[] {
  const out: string[] = []
  const sums = t.cols.map((c) => `sum(${c})`).join(', ')
  const cols = t.cols.join(', ')
  const rest = t.rest.join(', ')
  if (t.slice) {
    out.push(`insert into ${t.name} (${t.slice}, g, p, ${rest}, ${cols})
      select ${t.all}, 0, p, ${rest}, ${sums} from ${t.name} where g = 0 and ${t.slice} <> ${t.all} group by p, ${rest}`)
  }
  const keys = t.slice ? `${t.slice}, ${rest}` : rest
  out.push(`insert into ${t.name} (${keys}, g, p, ${cols})
    select ${keys}, 1, (p + 3) / 7, ${sums} from ${t.name} where g = 0 and ${t.where ?? 'true'} group by ${keys}, (p + 3) / 7`)
  return out
}

/**
 * What a bulk load may write itself while it writes the tickets, for the rebuild to keep:
 * `facts` the stage facts and their measured durations (report_stages, report_durations, with
 * working days measured), `histograms` the duration histograms (report_hist, days and weeks).
 */
export type RebuildPart = 'facts' | 'histograms'

const PART_TABLES: Record<RebuildPart, string[]> = {
  facts: ['report_stages', 'report_durations'],
  histograms: ['report_hist'],
}

/** The report tables a rebuild that keeps `keep` empties and fills. */
export function rebuiltTables(keep: readonly RebuildPart[] = []): string[] {
  const kept = new Set(keep.flatMap((part) => PART_TABLES[part]))
  return REPORT_TABLES.filter((table) => !kept.has(table))
}

/** The statements that fill the (empty) report tables from the ticket tables, but for `keep`. */
export function rebuildStatements(keep: readonly RebuildPart[] = []): string[] {
  const out: string[] = []
  if (!keep.includes('facts')) out.push(...factStatements())
  out.push(...counterStatements())
  if (!keep.includes('histograms')) out.push(...histogramStatements())
  for (const t of PERIOD_TABLES)
    if (!(keep.includes('histograms') && t.name === 'report_hist'))
      out.push(...derivedStatements(t))
  return out
}

/** report_stages from the stages and tickets, and report_durations from those. */
function factStatements(): string[] {
  const out: string[] = []
  const proposals = `(select s2.id as sid,
      ${count(`e.type = 'resolution_proposed'`)} as pp, ${count(`e.type = 'accepted'`)} as pa, ${count(`e.type = 'disputed'`)} as px
    from events e join ladder_stages s2 on s2.ticket_id = e.ticket_id and s2.entered_at <= e.created_at
      and (s2.left_at is null or e.created_at < s2.left_at)
    where e.type in ('resolution_proposed', 'accepted', 'disputed')
    group by s2.id) pc`
  out.push(`insert into report_stages (created_day, ticket_id, stage_id, level, entered_at, left_at, provider_id, category,
      currency, assignee_id, tstate, due_at, fr_at, fr_ms, res_end, res_ms, rcpt_ms, fr_wd, res_wd, wd_gen, pp, pa, px)
    select ${dayOf('x.created_at')}, x.ticket_id, x.id, x.level, x.entered_at, x.left_at, x.provider_id, x.category, x.currency, x.assignee_id,
      x.tstate, x.due_at, x.first_response_at,
      case when x.first_response_at is not null then x.first_response_at - x.entered_at - ${pausedWithin('x.entered_at', 'x.first_response_at')} end,
      x.res_end,
      case when x.res_end is not null then x.res_end - x.entered_at - ${pausedWithin('x.entered_at', 'x.res_end')} end,
      x.res_end - x.created_at, null, null, 0, coalesce(pc.pp, 0), coalesce(pc.pa, 0), coalesce(pc.px, 0)
    from (
      select s.id, s.ticket_id, s.level, s.entered_at, s.left_at, s.first_response_at, s.due_at, t.created_at,
        coalesce(t.provider_id, 0) as provider_id, t.category, t.currency, coalesce(t.assignee_id, -1) as assignee_id,
        case when s.due_at is null then 0
          when s.answered_at is not null then (case when s.answered_at <= s.due_at then 2 else 1 end)
          when s.left_at is not null then 1
          when ${CLOSED} and t.closed_at is not null then (case when s.due_at < t.closed_at then 1 else 0 end)
          else 3 end as tstate,
        case when s.left_at is null and ${RESOLVED} then coalesce(s.answered_at, t.closed_at) end as res_end
      from ladder_stages s join tickets t on t.id = s.ticket_id
    ) x left join ${proposals} on pc.sid = x.id`)

  // Calendar durations (unit 0), in days, binned on their milliseconds.
  const durations: [number, string, string][] = [
    [0, 'fr_ms', levelIndex('d.level')],
    [1, 'res_ms', levelIndex('d.level')],
    [2, 'rcpt_ms', 'd.provider_id'],
  ]
  for (const [kind, col, grp] of durations) {
    out.push(`insert into report_durations (kind, unit, grp, cb, fb, value, stage_id, created_day, provider_id, category, assignee_id)
      select ${kind}, 0, y.grp, y.cb, ${fineBin('y.ms', 'y.cb')}, y.ms / ${DAY_MS}.0, y.stage_id, y.created_day, y.provider_id, y.category, y.assignee_id
      from (select ${grp} as grp, d.${col} as ms, ${coarseBin(`d.${col}`)} as cb, d.stage_id, d.created_day, d.provider_id, d.category, d.assignee_id
        from report_stages d where d.${col} is not null) y
      where y.grp is not null`)
  }
  return out
}

/** Day rows of each ticket's own slice of cohort, escalations, closed and open; the rest is derived. */
function counterStatements(): string[] {
  const out: string[] = []
  const levelCase = (i: number) => `t.level = ${q(LEVELS[i]!)}`
  const L = LEVELS.map((_, i) => i)
  const cohortTicket: [string, string][] = L.flatMap((i) => {
    const at = levelCase(i)
    const closedAs = (o: string) => count(`${at} and ${CLOSED} and t.outcome = ${q(o)}`)
    const relief = (cond: string) =>
      count(`${at} and ${CLOSED} and t.outcome = 'resolved' and ${cond}`)
    return [
      [`n${i}`, count(at)],
      [`op${i}`, count(`${at} and ${OPEN}`)],
      [`rs${i}`, count(`${at} and ${RESOLVED}`)],
      [`cl${i}`, count(`${at} and ${CLOSED}`)],
      [`cr${i}`, closedAs('resolved')],
      [`cu${i}`, closedAs('unresolved')],
      [`cw${i}`, closedAs('withdrawn')],
      [`cd${i}`, closedAs('duplicate')],
      [`rm${i}`, relief(`t.relief = 'monetary'`)],
      [`rn${i}`, relief(`t.relief = 'non_monetary'`)],
      [`re${i}`, relief(`t.relief = 'explanation'`)],
      [`rz${i}`, relief('t.relief is null')],
    ]
  })
  const cohortKeys = 'a, g, p, provider_id, category, currency'
  cohortTicket.push(
    ['with_amount', 'count(t.amount_minor)'],
    ['claimed', 'coalesce(sum(t.amount_minor), 0)'],
    [
      'recovered',
      `sum(case when ${ACCEPTED_SQL} then coalesce(t.amount_recovered_minor, 0) else 0 end)`,
    ],
  )
  out.push(`insert into report_cohort (${cohortKeys}, ${cohortTicket.map(([c]) => c).join(', ')})
    select coalesce(t.assignee_id, -1), 0, ${dayOf('t.created_at')}, coalesce(t.provider_id, 0), t.category, t.currency,
      ${cohortTicket.map(([, e]) => e).join(', ')}
    from tickets t group by 1, 3, 4, 5, 6`)
  const stageAt = (i: number) => `f.level = ${q(LEVELS[i]!)}`
  const cohortStage: [string, string][] = L.flatMap((i) => [
    [`st${i}`, count(stageAt(i))],
    [`ct${i}`, count(`${stageAt(i)} and f.tstate in (1, 2)`)],
    [`tm${i}`, count(`${stageAt(i)} and f.tstate = 2`)],
    [`pd${i}`, count(`${stageAt(i)} and f.tstate = 3`)],
    [`pp${i}`, `sum(case when ${stageAt(i)} then f.pp else 0 end)`],
    [`pa${i}`, `sum(case when ${stageAt(i)} then f.pa else 0 end)`],
    [`px${i}`, `sum(case when ${stageAt(i)} then f.px else 0 end)`],
  ])
  out.push(`insert into report_cohort (${cohortKeys}, ${cohortStage.map(([c]) => c).join(', ')})
    select f.assignee_id, 0, f.created_day, f.provider_id, f.category, f.currency, ${cohortStage.map(([, e]) => e).join(', ')}
    from report_stages f where true group by 1, 3, 4, 5, 6
    on conflict (${cohortKeys}) do update set ${cohortStage.map(([c]) => `${c} = report_cohort.${c} + excluded.${c}`).join(', ')}`)

  out.push(`insert into report_escalations (a, g, p, provider_id, category, ${ESCALATION_COLS.join(', ')})
    select f.assignee_id, 0, ${dayOf('f.entered_at')}, f.provider_id, f.category, ${[1, 2, 3].map((i) => count(stageAt(i))).join(', ')}
    from report_stages f where f.level in (${LEVELS.slice(1).map(q).join(', ')})
    group by 1, 3, 4, 5`)

  out.push(`insert into report_closed (ps, g, p, assignee_id, ${CLOSED_COLS.join(', ')})
    select coalesce(t.provider_id, 0), 0, ${dayOf('t.closed_at')}, coalesce(t.assignee_id, -1), count(*),
      ${CATEGORY_KEYS.map((c) => count(`t.category = ${q(c)}`)).join(', ')}
    from tickets t where ${CLOSED} and t.closed_at is not null
    group by 1, 3, 4`)

  const openCols = L.flatMap((i) =>
    CATEGORY_KEYS.map((c) => count(`${levelCase(i)} and t.category = ${q(c)}`)),
  )
  for (const [dim, g, p, where] of [
    [2, '0', '0', OPEN],
    [3, '0', '0', `${OPEN} and t.due_at is not null`],
    [0, '0', dayOf('t.created_at'), OPEN],
    [1, '0', dayOf('t.due_at'), `${OPEN} and t.due_at is not null`],
  ] as const) {
    out.push(`insert into report_open (dim, g, p, provider_id, assignee_id, ${OPEN_COLS.join(', ')})
      select ${dim}, ${g}, ${p}, coalesce(t.provider_id, 0), coalesce(t.assignee_id, -1), ${openCols.join(', ')}
      from tickets t where ${where}
      group by 3, 4, 5`)
  }
  return out
}

function histogramStatements(): string[] {
  const out: string[] = []
  // Duration histograms per slice (everyone, provider, category by position, handler): coarse
  // bins in the row with cb = -1, fine bins in the row of their coarse bin.
  const slices: [number, string, string][] = [
    [0, '0', 'true'],
    [1, 'd.provider_id', 'true'],
    [
      2,
      `(case d.category ${CATEGORY_KEYS.map((c, i) => `when ${q(c)} then ${i}`).join(' ')} end)`,
      `d.category in (${CATEGORY_KEYS.map(q).join(', ')})`,
    ],
    [3, 'd.assignee_id', 'true'],
  ]
  for (const [sl, sv, where] of slices) {
    for (const coarse of [true, false]) {
      const bins = coarse ? COARSE_BINS : FINE_BINS
      // Counted per bin first, then spread over the bin columns: the CASE runs once per group.
      out.push(`insert into report_hist (s, sv, g, p, kind, unit, grp, cb, ${binNames('n').slice(0, bins).join(', ')})
        select ${sl}, sv, 0, p, kind, unit, grp, ${coarse ? '-1' : 'cb'},
          ${Array.from({ length: bins }, (_, i) => `sum(case when bin = ${i} then n else 0 end)`).join(', ')}
        from (select ${sv} as sv, d.created_day as p, d.kind, d.unit, d.grp, d.cb, d.${coarse ? 'cb' : 'fb'} as bin, count(*) as n
          from report_durations d where ${where} group by 1, 2, 3, 4, 5, 6, 7) x
        group by sv, p, kind, unit, grp${coarse ? '' : ', cb'}`)
    }
  }
  return out
}

/**
 * Empties the report tables and fills them from scratch, in one transaction. Working-day
 * durations are left to be measured: the next report (or catchUpWorkingDays) does it. A bulk
 * load that wrote some parts itself (`keep`) has them kept as they are, and with the facts it
 * measured the working days too, so their state is left alone.
 */
export async function rebuildReportRollups(
  db: DB,
  now: number,
  keep: readonly RebuildPart[] = [],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of rebuiltTables(keep)) await sql`delete from ${sql.table(table)}`.execute(trx)
    for (const statement of rebuildStatements(keep)) await sql.raw(statement).execute(trx)
    if (keep.includes('facts')) return
    const state = await readWorkdayState(trx)
    const empty = !(await trx
      .selectFrom('report_stages')
      .select('stage_id')
      .limit(1)
      .executeTakeFirst())
    await writeWorkdayState(trx, { fp: null, gen: state.gen, clean: empty }, now)
  })
}
