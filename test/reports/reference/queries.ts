// The reports as first written (commit 3f66b57), straight from the ticket tables: the definition
// the rollups must reproduce number for number (test/reports/rollups.test.ts). Not used by the app.
// The reports' numbers, each one SQL aggregate (GROUP BY, SUM(CASE …)) over indexed columns;
// no query loads tickets into memory. Definitions are spelled out on the report page
// (reports.*.note messages) and must stay in step with the SQL here.
import { sql, type RawBuilder } from 'kysely'
import type { DB } from '../../../src/db/connection.js'
import type { Interval } from '../../../src/domain/clocks.js'
import { DAY_MS } from '../../../src/domain/zoneTime.js'
import type { ReportScope } from '../../../src/reports/filters.js'

type Expr = RawBuilder<unknown>

/** The same text as the partial indexes' predicate (migration 0004), so SQLite can use them. */
export const OPEN_SQL = sql.raw(`t.status not in ('resolved','closed','withdrawn')`)
const CLOSED_SQL = sql.raw(`t.status in ('closed','withdrawn')`)
/** Resolved: the complainant accepted (or the body resolved it), or it was closed as resolved. */
const RESOLVED_SQL = sql.raw(`(t.status = 'resolved' or t.outcome = 'resolved')`)

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Provider, category and assignee filters on tickets aliased `t`. */
function filterSql(s: ReportScope, opts: { assignee?: boolean } = {}): Expr {
  const parts: Expr[] = []
  if (s.providerId !== null) parts.push(sql`t.provider_id = ${s.providerId}`)
  if (s.category !== null) parts.push(sql`t.category = ${s.category}`)
  if (opts.assignee !== false && s.assignee !== null) {
    parts.push(
      s.assignee === 'none' ? sql`t.assignee_id is null` : sql`t.assignee_id = ${s.assignee}`,
    )
  }
  return parts.length ? sql.join(parts, sql` and `) : sql`1 = 1`
}

/** The cohort: tickets received in the range, with the filters. */
function cohortSql(s: ReportScope): Expr {
  return sql`t.created_at >= ${s.fromMs} and t.created_at < ${s.toMs} and ${filterSql(s)}`
}

function inList(values: readonly string[]): Expr {
  return values.length ? sql`(${sql.join(values.map((v) => sql`${v}`))})` : sql`(null)`
}

/**
 * A grouping key wrapped in a no-op expression. Grouping by a bare indexed column tempts SQLite
 * to walk a whole index in that column's order (a million rows) instead of searching the date
 * range and sorting the few it finds; the expression takes that shortcut away. Portable SQL.
 */
function byExpr(column: Expr, type: 'text' | 'int'): Expr {
  return type === 'text' ? sql`(${column} || '')` : sql`(${column} + 0)`
}

const least = (a: Expr, b: Expr): Expr => sql`(case when ${a} < ${b} then ${a} else ${b} end)`
const greatest = (a: Expr, b: Expr): Expr => sql`(case when ${a} > ${b} then ${a} else ${b} end)`

/** Milliseconds of stage `s`'s clock pauses inside [from, to]. */
function pausedWithin(from: Expr, to: Expr): Expr {
  const a = greatest(sql`p.started_at`, from)
  const b = least(sql`coalesce(p.ended_at, ${to})`, to)
  return sql`coalesce((select sum(case when ${b} > ${a} then ${b} - ${a} else 0 end) from clock_pauses p where p.stage_id = s.id), 0)`
}

// ---------------------------------------------------------------------------------------------
// Funnel

export interface LevelCounts {
  /** Tickets whose current (highest) level is this one. */
  atLevel: number
  resolved: number
  open: number
}

export async function funnelByLevel(db: DB, s: ReportScope): Promise<Map<string, LevelCounts>> {
  const { rows } = await sql<{ level: string; n: number; resolved: number; open: number }>`
    select ${byExpr(sql`t.level`, 'text')} as level, count(*) as n,
      sum(case when ${RESOLVED_SQL} then 1 else 0 end) as resolved,
      sum(case when ${OPEN_SQL} then 1 else 0 end) as open
    from tickets t where ${cohortSql(s)} group by 1`.execute(db)
  return new Map(
    rows.map((r) => [r.level, { atLevel: n(r.n), resolved: n(r.resolved), open: n(r.open) }]),
  )
}

export interface FunnelGroup {
  key: string | number | null
  received: number
  reachedConsumerAssociation: number
  reachedRegulator: number
  reachedLegal: number
  resolved: number
}

/** Levels only go up, so a ticket's current level is the highest it reached. */
export async function funnelBy(
  db: DB,
  s: ReportScope,
  by: 'provider' | 'category',
): Promise<FunnelGroup[]> {
  const key =
    by === 'provider' ? byExpr(sql`t.provider_id`, 'int') : byExpr(sql`t.category`, 'text')
  const { rows } = await sql<Record<string, unknown>>`
    select ${key} as k, count(*) as received,
      sum(case when t.level in ('consumer_association','regulator','legal') then 1 else 0 end) as ca,
      sum(case when t.level in ('regulator','legal') then 1 else 0 end) as reg,
      sum(case when t.level = 'legal' then 1 else 0 end) as legal,
      sum(case when ${RESOLVED_SQL} then 1 else 0 end) as resolved
    from tickets t where ${cohortSql(s)} group by 1`.execute(db)
  return rows.map((r) => ({
    key: (r['k'] as string | number | null) ?? null,
    received: n(r['received']),
    reachedConsumerAssociation: n(r['ca']),
    reachedRegulator: n(r['reg']),
    reachedLegal: n(r['legal']),
    resolved: n(r['resolved']),
  }))
}

// ---------------------------------------------------------------------------------------------
// Timeliness

export interface TimelyCounts {
  stages: number
  /** Stages whose timeliness is known: answered, escalated for no answer, or past the deadline. */
  counted: number
  timely: number
}

/**
 * Per stage of the cohort's tickets (levels with a clock only): counted once it was answered,
 * escalated without an answer, or its deadline passed before the stage ended (escalation,
 * closing) or before now; timely when answered no later than its deadline.
 */
export async function timelyCounts(
  db: DB,
  s: ReportScope,
  clockLevels: readonly string[],
  by: 'level' | 'provider',
): Promise<Map<string | number | null, TimelyCounts>> {
  const key = by === 'level' ? byExpr(sql`s.level`, 'text') : byExpr(sql`t.provider_id`, 'int')
  const clocked = sql`s.due_at is not null and s.level in ${inList(clockLevels)}`
  const stageEnd = sql`coalesce(s.left_at, case when ${CLOSED_SQL} then t.closed_at end, ${s.now})`
  // A stage left by escalation without a recorded answer (no answer in time, or escalated on
  // another ground before anything was said) is counted and never timely.
  const escalatedUnanswered = sql`(s.left_at is not null and s.answered_at is null)`
  const { rows } = await sql<{
    k: string | number | null
    stages: number
    counted: number
    timely: number
  }>`
    select ${key} as k, count(*) as stages,
      sum(case when ${clocked} and (s.answered_at is not null or ${escalatedUnanswered} or s.due_at < ${stageEnd})
        then 1 else 0 end) as counted,
      sum(case when ${clocked} and s.answered_at is not null and s.answered_at <= s.due_at
        then 1 else 0 end) as timely
    from tickets t
    join ladder_stages s on s.ticket_id = t.id
    where ${cohortSql(s)}
    group by 1`.execute(db)
  return new Map(
    rows.map((r) => [r.k, { stages: n(r.stages), counted: n(r.counted), timely: n(r.timely) }]),
  )
}

export interface Percentiles {
  n: number
  p50: number | null
  p90: number | null
}

/** Stage durations the timeliness report measures: to the first response, and to resolution. */
export type DurationKind = 'first_response' | 'resolution'

function durationSql(kind: DurationKind): { end: Expr; where: Expr } {
  return kind === 'first_response'
    ? { end: sql`s.first_response_at`, where: sql`s.first_response_at is not null` }
    : {
        // The stage at which a resolved ticket ended: its answer, or its closing if none was recorded.
        end: sql`coalesce(s.answered_at, t.closed_at)`,
        where: sql`s.left_at is null and ${RESOLVED_SQL} and coalesce(s.answered_at, t.closed_at) is not null`,
      }
}

/**
 * Nearest-rank median and 90th percentile per level of a stage duration in milliseconds, less
 * clock pauses, for levels whose clock counts calendar days. Computed in SQL with window
 * functions; only one row per level leaves the database.
 */
export async function calendarPercentiles(
  db: DB,
  s: ReportScope,
  levels: readonly string[],
  kind: DurationKind,
): Promise<Map<string, Percentiles>> {
  if (!levels.length) return new Map()
  const { end, where } = durationSql(kind)
  const { rows } = await sql<{ k: string; n: number; p50: number | null; p90: number | null }>`
    with d as (
      select s.level as k, (${end} - s.entered_at) - ${pausedWithin(sql`s.entered_at`, end)} as ms
      from tickets t join ladder_stages s on s.ticket_id = t.id
      where ${cohortSql(s)} and s.level in ${inList(levels)} and ${where}
    ), r as (
      select k, ms, row_number() over (partition by k order by ms) as rn, count(*) over (partition by k) as n from d
    )
    select k, n, max(case when rn = (n + 1) / 2 then ms end) as p50,
      max(case when rn = (9 * n + 9) / 10 then ms end) as p90
    from r group by k, n`.execute(db)
  return new Map(
    rows.map((r) => [
      r.k,
      {
        n: n(r.n),
        p50: r.p50 === null ? null : n(r.p50) / DAY_MS,
        p90: r.p90 === null ? null : n(r.p90) / DAY_MS,
      },
    ]),
  )
}

export interface StageSpan {
  stageId: number
  level: string
  enteredAt: number
  end: number
}

/**
 * The raw spans of the cohort's stages at working-day levels, streamed, with each stage's
 * pauses: working days need the holiday calendar, so they are measured in JavaScript.
 */
export async function* workingDaySpans(
  db: DB,
  s: ReportScope,
  levels: readonly string[],
  kind: DurationKind,
): AsyncGenerator<StageSpan & { pauses: Interval[] }> {
  if (!levels.length) return
  const { end, where } = durationSql(kind)
  const pauses = new Map<number, Interval[]>()
  const pauseRows = await sql<{ stage_id: number; started_at: number; ended_at: number | null }>`
    select p.stage_id, p.started_at, p.ended_at
    from tickets t join ladder_stages s on s.ticket_id = t.id join clock_pauses p on p.stage_id = s.id
    where ${cohortSql(s)} and s.level in ${inList(levels)} and ${where}`.execute(db)
  for (const p of pauseRows.rows) {
    const list = pauses.get(p.stage_id) ?? []
    list.push({ start: n(p.started_at), end: nOrNull(p.ended_at) })
    pauses.set(p.stage_id, list)
  }
  const stream = db
    .selectFrom('tickets as t')
    .innerJoin('ladder_stages as s', 's.ticket_id', 't.id')
    .select([
      's.id as stageId',
      's.level as level',
      's.entered_at as enteredAt',
      sql<number>`${end}`.as('end'),
    ])
    .where(sql<boolean>`${cohortSql(s)} and s.level in ${inList(levels)} and ${where}`)
    .stream(2000)
  for await (const r of stream) {
    yield {
      stageId: r.stageId,
      level: r.level,
      enteredAt: n(r.enteredAt),
      end: n(r.end),
      pauses: pauses.get(r.stageId) ?? [],
    }
  }
}

/** Open tickets whose deadline has passed, per level: a snapshot of now (no date range). */
export async function overdueNow(db: DB, s: ReportScope): Promise<Map<string, number>> {
  const { rows } = await sql<{ level: string; n: number }>`
    select t.level as level, count(*) as n from tickets t
    where ${OPEN_SQL} and t.due_at < ${s.now} and ${filterSql(s)} group by t.level`.execute(db)
  return new Map(rows.map((r) => [r.level, n(r.n)]))
}

// ---------------------------------------------------------------------------------------------
// Backlog

/** Lower bounds (days) of the age buckets, youngest first; see AGE_BUCKETS in stats.ts. */
const BUCKET_STARTS = [8, 16, 31, 61]

/** Open tickets by level × age bucket index (0 = 0–7 days … 4 = 61+), a snapshot of now. */
export async function backlogAgeing(db: DB, s: ReportScope): Promise<Map<string, number[]>> {
  const bucket = sql`case ${sql.join(
    BUCKET_STARTS.map((d, i) => sql`when t.created_at > ${s.now - d * DAY_MS} then ${i}`),
    sql` `,
  )} else ${BUCKET_STARTS.length} end`
  const { rows } = await sql<{ level: string; b: number; n: number }>`
    select t.level as level, ${bucket} as b, count(*) as n from tickets t
    where ${OPEN_SQL} and ${filterSql(s)} group by 1, 2`.execute(db)
  const out = new Map<string, number[]>()
  for (const r of rows) {
    const list = out.get(r.level) ?? [0, 0, 0, 0, 0]
    list[n(r.b)]! += n(r.n)
    out.set(r.level, list)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Outcomes and money

export interface OutcomeRow {
  level: string
  outcome: string | null
  relief: string | null
  n: number
}

/** Closed (and withdrawn) tickets of the cohort by the level they ended at, outcome and relief. */
export async function closedOutcomes(db: DB, s: ReportScope): Promise<OutcomeRow[]> {
  const { rows } = await sql<OutcomeRow>`
    select ${byExpr(sql`t.level`, 'text')} as level, t.outcome as outcome, t.relief as relief, count(*) as n
    from tickets t where ${cohortSql(s)} and ${CLOSED_SQL} group by 1, 2, 3`.execute(db)
  return rows.map((r) => ({ ...r, n: n(r.n) }))
}

/** Proposed, accepted and disputed resolutions of the cohort, by the level they happened at. */
export async function proposalEvents(
  db: DB,
  s: ReportScope,
): Promise<Map<string, Record<string, number>>> {
  const { rows } = await sql<{ level: string; type: string; n: number }>`
    select s.level as level, e.type as type, count(*) as n
    from tickets t
    join events e on e.ticket_id = t.id
    join ladder_stages s on s.ticket_id = t.id and s.entered_at <= e.created_at
      and (s.left_at is null or e.created_at < s.left_at)
    where ${cohortSql(s)} and e.type in ('resolution_proposed','accepted','disputed')
    group by s.level, e.type`.execute(db)
  const out = new Map<string, Record<string, number>>()
  for (const r of rows) out.set(r.level, { ...out.get(r.level), [r.type]: n(r.n) })
  return out
}

export interface MoneyRow {
  providerId: number | null
  currency: string
  tickets: number
  withAmount: number
  claimedMinor: number
  recoveredMinor: number
}

/** Claimed (all cohort tickets) and recovered (accepted resolutions only) amounts per provider and currency. */
export async function moneyByProvider(db: DB, s: ReportScope): Promise<MoneyRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select ${byExpr(sql`t.provider_id`, 'int')} as p, t.currency as currency, count(*) as tickets,
      count(t.amount_minor) as with_amount,
      coalesce(sum(t.amount_minor), 0) as claimed,
      sum(case when ${RESOLVED_SQL} and t.proposed_at is not null and t.disputed_at is null then coalesce(t.amount_recovered_minor, 0) else 0 end) as recovered
    from tickets t where ${cohortSql(s)} group by 1, 2`.execute(db)
  return rows.map((r) => ({
    providerId: nOrNull(r['p']),
    currency: String(r['currency']),
    tickets: n(r['tickets']),
    withAmount: n(r['with_amount']),
    claimedMinor: n(r['claimed']),
    recoveredMinor: n(r['recovered']),
  }))
}

// ---------------------------------------------------------------------------------------------
// Trend

export interface WeekGrid {
  /** Local midnight of the Monday that starts week 0. */
  start: number
  weeks: number
}

export const WEEK_MS = 7 * DAY_MS

/**
 * Received per week (cohort) and escalations per week and level, by the date they happened
 * within the range. Weeks are counted in fixed 7-day steps from a local Monday, exact in a zone
 * without summer time (the office's Asia/Shanghai).
 */
export async function weeklyTrend(
  db: DB,
  s: ReportScope,
  grid: WeekGrid,
): Promise<{ received: number[]; escalated: Map<string, number[]> }> {
  const received = new Array<number>(grid.weeks).fill(0)
  const escalated = new Map<string, number[]>()
  // Literals, not parameters: SQLite binds JavaScript numbers as REAL, which would turn the
  // week number into a fraction instead of an integer division.
  const start = sql.lit(Math.trunc(grid.start))
  const week = sql.lit(WEEK_MS)
  const r1 = await sql<{ w: number; n: number }>`
    select (t.created_at - ${start}) / ${week} as w, count(*) as n
    from tickets t where ${cohortSql(s)} group by 1`.execute(db)
  for (const r of r1.rows) if (n(r.w) < grid.weeks) received[n(r.w)]! += n(r.n)
  const r2 = await sql<{ w: number; level: string; n: number }>`
    select (s.entered_at - ${start}) / ${week} as w, s.level as level, count(*) as n
    from ladder_stages s join tickets t on t.id = s.ticket_id
    where s.level in ('consumer_association','regulator','legal')
      and s.entered_at >= ${s.fromMs} and s.entered_at < ${s.toMs} and ${filterSql(s)}
    group by 1, 2`.execute(db)
  for (const r of r2.rows) {
    const list = escalated.get(r.level) ?? new Array<number>(grid.weeks).fill(0)
    if (n(r.w) < grid.weeks) list[n(r.w)]! += n(r.n)
    escalated.set(r.level, list)
  }
  return { received, escalated }
}

// ---------------------------------------------------------------------------------------------
// Alerts

export interface PairCounts {
  providerId: number
  category: string
  last7: number
  trailing: number
}

/**
 * Tickets per provider × category in the 7 days before `anchor` and in the 8 weeks before those.
 * The assignee filter does not apply: a systemic problem is about providers, not who handles it.
 */
export async function pairCounts(db: DB, s: ReportScope, anchor: number): Promise<PairCounts[]> {
  const lastStart = anchor - 7 * DAY_MS
  const trailingStart = lastStart - 8 * WEEK_MS
  const { rows } = await sql<{ p: number; c: string; last7: number; trailing: number }>`
    select t.provider_id as p, t.category as c,
      sum(case when t.created_at >= ${lastStart} then 1 else 0 end) as last7,
      sum(case when t.created_at < ${lastStart} then 1 else 0 end) as trailing
    from tickets t
    where t.created_at >= ${trailingStart} and t.created_at < ${anchor} and t.provider_id is not null
      and ${filterSql(s, { assignee: false })}
    group by t.provider_id, t.category`.execute(db)
  return rows.map((r) => ({
    providerId: n(r.p),
    category: r.c,
    last7: n(r.last7),
    trailing: n(r.trailing),
  }))
}

// ---------------------------------------------------------------------------------------------
// Workload

export interface WorkloadCounts {
  open: number
  overdue: number
  closed: number
}

/** Open and overdue now (snapshot), and closed within the range (by closing date), per assignee. */
export async function workload(
  db: DB,
  s: ReportScope,
): Promise<Map<number | null, WorkloadCounts>> {
  const out = new Map<number | null, WorkloadCounts>()
  const get = (k: number | null) => {
    let w = out.get(k)
    if (!w) out.set(k, (w = { open: 0, overdue: 0, closed: 0 }))
    return w
  }
  const open = await sql<{ a: number | null; open: number; overdue: number }>`
    select t.assignee_id as a, count(*) as open, sum(case when t.due_at < ${s.now} then 1 else 0 end) as overdue
    from tickets t where ${OPEN_SQL} and ${filterSql(s)} group by t.assignee_id`.execute(db)
  for (const r of open.rows)
    Object.assign(get(nOrNull(r.a)), { open: n(r.open), overdue: n(r.overdue) })
  const closed = await sql<{ a: number | null; n: number }>`
    select t.assignee_id as a, count(*) as n from tickets t
    where t.closed_at >= ${s.fromMs} and t.closed_at < ${s.toMs} and ${CLOSED_SQL} and ${filterSql(s)}
    group by t.assignee_id`.execute(db)
  for (const r of closed.rows) get(nOrNull(r.a)).closed = n(r.n)
  return out
}

export async function staffNames(db: DB, ids: readonly number[]) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'active'])
    .where((eb) =>
      eb.or([
        eb.and([eb('role', '=', 'agent'), eb('active', '=', 1)]),
        ...(ids.length ? [eb('id', 'in', [...ids])] : []),
      ]),
    )
    .orderBy('name')
    .orderBy('id')
    .execute()
}

// ---------------------------------------------------------------------------------------------
// Provider scorecard

/** Nearest-rank median of calendar days from receipt to resolution, per provider. */
export async function medianDaysToResolution(
  db: DB,
  s: ReportScope,
): Promise<Map<number | null, Percentiles>> {
  const { rows } = await sql<{
    k: number | null
    n: number
    p50: number | null
    p90: number | null
  }>`
    with d as (
      select t.provider_id as k, coalesce(s.answered_at, t.closed_at) - t.created_at as ms
      from tickets t join ladder_stages s on s.ticket_id = t.id and s.left_at is null
      where ${cohortSql(s)} and ${RESOLVED_SQL} and coalesce(s.answered_at, t.closed_at) is not null
    ), r as (
      select k, ms, row_number() over (partition by k order by ms) as rn, count(*) over (partition by k) as n from d
    )
    select k, n, max(case when rn = (n + 1) / 2 then ms end) as p50,
      max(case when rn = (9 * n + 9) / 10 then ms end) as p90
    from r group by k, n`.execute(db)
  return new Map(
    rows.map((r) => [
      nOrNull(r.k),
      {
        n: n(r.n),
        p50: r.p50 === null ? null : n(r.p50) / DAY_MS,
        p90: r.p90 === null ? null : n(r.p90) / DAY_MS,
      },
    ]),
  )
}

export async function providerNames(db: DB) {
  return db
    .selectFrom('providers')
    .select(['id', 'name_zh', 'name_en', 'active', 'sort_order'])
    .orderBy('sort_order')
    .orderBy('id')
    .execute()
}
