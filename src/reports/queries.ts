// The reports' numbers, read from the rollups that rollups.ts keeps (migration 0009): a range of
// days is a few runs of day and week rows (periods.ts), so no query reads tickets one by one
// except for the few received in the partial day at the edge of an instant-based window.
// Definitions are spelled out on the report page (reports.*.note) and in facts.ts.
import { sql, type RawBuilder } from 'kysely'
import type { DB } from '../db/connection.js'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { DAY_MS } from '../domain/zoneTime.js'
import { LEVELS } from '../domain/ladder.js'
import { T_PENDING } from './facts.js'
import type { ReportScope } from './filters.js'
import { ALL, ALL_PROVIDERS, COHORT_GROUPS, NO_ASSIGNEE, NO_PROVIDER, OPEN_ALL, OPEN_ALL_DUE, OPEN_BY_CREATED, OPEN_BY_DUE, ROLLUPS } from './layout.js'
import { dayOfDate, dayStart, fromDayRuns, GRAIN_WEEK, periodRuns, reportDay, splitInstants, weekOfDay, type PeriodRun } from './periods.js'

type Expr = RawBuilder<unknown>

/** The same text as the partial indexes' predicate (migrations 0004, 0009), so SQLite uses them. */
export const OPEN_SQL = sql.raw(`t.status not in ('resolved','closed','withdrawn')`)

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
const lit = (v: number) => sql.lit(Math.trunc(v))
/** The value the queue's due key gives a ticket without a clock (src/tickets/queue.ts, migration 0004). */
const NO_DUE_KEY = 9007199254740991
const providerOf = (k: unknown): number | null => (n(k) === NO_PROVIDER ? null : n(k))
const assigneeOf = (k: unknown): number | null => (n(k) === NO_ASSIGNEE ? null : n(k))

/** The rows of one slice: everyone's, the unassigned ones, or one handler's. */
export function sliceOf(s: ReportScope): number {
  return s.assignee === null ? ALL : s.assignee === 'none' ? NO_ASSIGNEE : s.assignee
}

/** The received-date range as report days, both ends included. */
export function cohortDays(s: ReportScope): [number, number] {
  return [dayOfDate(s.fromDate), dayOfDate(s.toDate)]
}

/**
 * Rows of the runs (grain g, period p) under the key prefix `lead` (equalities on the leading
 * primary-key columns). The prefix is repeated inside each term so that SQLite reads each run as
 * one primary-key range (a multi-index OR) instead of every row under the prefix. Integers are
 * literals, so SQLite compares them as integers.
 */
export function runsSql(runs: readonly PeriodRun[], lead: Record<string, number>): Expr {
  if (!runs.length) return sql`1 = 0`
  const prefix = Object.entries(lead).map(([col, v]) => sql`${sql.ref(col)} = ${lit(v)} and `)
  return sql`(${sql.join(
    runs.map((r) => sql`(${sql.join(prefix, sql``)}g = ${lit(r.grain)} and p between ${lit(r.from)} and ${lit(r.to)})`),
    sql` or `,
  )})`
}

function keyFilters(s: ReportScope, opts: { provider?: boolean; category?: boolean } = {}): Expr {
  const parts: Expr[] = [sql`1 = 1`]
  if (opts.provider !== false && s.providerId !== null) parts.push(sql`provider_id = ${lit(s.providerId)}`)
  if (opts.category !== false && s.category !== null) parts.push(sql`category = ${s.category}`)
  return sql.join(parts, sql` and `)
}

const sums = (cols: readonly string[]) => sql.raw(cols.map((c) => `sum(${c}) as ${c}`).join(', '))

// ---------------------------------------------------------------------------------------------
// The cohort: tickets received in the range

/** Counters of report_cohort summed over the range, per provider (null: other), category, currency. */
export interface CohortGroup {
  providerId: number | null
  category: string
  currency: string
  c: Record<string, number>
}

export async function cohortGroups(db: DB, s: ReportScope): Promise<CohortGroup[]> {
  const [from, to] = cohortDays(s)
  const cols = ROLLUPS.cohort.cols
  const { rows } = await sql<Record<string, unknown>>`
    select provider_id, category, currency, ${sums(cols)} from report_cohort
    where ${runsSql(periodRuns(from, to), { a: sliceOf(s) })} and ${keyFilters(s)}
    group by provider_id, category, currency`.execute(db)
  return rows
    .map((r) => ({
      providerId: providerOf(r['provider_id']),
      category: String(r['category']),
      currency: String(r['currency']),
      c: Object.fromEntries(cols.map((c) => [c, n(r[c])])),
    }))
    .filter((g) => LEVELS.some((_, i) => g.c[`n${i}`]! > 0))
}

export type CohortCounter = (typeof COHORT_GROUPS)[number]

/** A counter of one level summed over the groups that pass `where`. */
export function total(groups: readonly CohortGroup[], counter: CohortCounter, level: number, where: (g: CohortGroup) => boolean = () => true): number {
  let sum = 0
  for (const g of groups) if (where(g)) sum += g.c[`${counter}${level}`]!
  return sum
}

export interface LevelCounts {
  /** Tickets whose current (highest) level is this one. */
  atLevel: number
  resolved: number
  open: number
}

export function funnelByLevel(groups: readonly CohortGroup[]): Map<string, LevelCounts> {
  return new Map(
    LEVELS.map((level, i) => [level, { atLevel: total(groups, 'n', i), resolved: total(groups, 'rs', i), open: total(groups, 'op', i) }]),
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
export function funnelBy(groups: readonly CohortGroup[], by: 'provider' | 'category'): FunnelGroup[] {
  const keys = [...new Set(groups.map((g) => (by === 'provider' ? g.providerId : g.category)))]
  return keys.map((key) => {
    const mine = (g: CohortGroup) => (by === 'provider' ? g.providerId : g.category) === key
    const at = LEVELS.map((_, i) => total(groups, 'n', i, mine))
    return {
      key,
      received: at[0]! + at[1]! + at[2]! + at[3]!,
      reachedConsumerAssociation: at[1]! + at[2]! + at[3]!,
      reachedRegulator: at[2]! + at[3]!,
      reachedLegal: at[3]!,
      resolved: LEVELS.reduce((a, _, i) => a + total(groups, 'rs', i, mine), 0),
    }
  })
}

export interface OutcomeRow {
  level: string
  outcome: string | null
  relief: string | null
  n: number
}

/**
 * Closed (and withdrawn) tickets by the level they ended at, outcome and relief. Outcomes and
 * reliefs the reports do not list are kept as "other" rows so totals still count them.
 */
export function closedOutcomes(groups: readonly CohortGroup[]): OutcomeRow[] {
  const out: OutcomeRow[] = []
  LEVELS.forEach((level, i) => {
    const t = (c: CohortCounter) => total(groups, c, i)
    const resolved = t('cr')
    const rows: [string | null, string | null, number][] = [
      ['resolved', 'monetary', t('rm')],
      ['resolved', 'non_monetary', t('rn')],
      ['resolved', 'explanation', t('re')],
      ['resolved', null, t('rz')],
      ['resolved', 'other', resolved - t('rm') - t('rn') - t('re') - t('rz')],
      ['unresolved', null, t('cu')],
      ['withdrawn', null, t('cw')],
      ['duplicate', null, t('cd')],
      [null, null, t('cl') - resolved - t('cu') - t('cw') - t('cd')],
    ]
    for (const [outcome, relief, count] of rows) if (count > 0) out.push({ level, outcome, relief, n: count })
  })
  return out
}

/** Proposed, accepted and disputed resolutions, by the level they happened at. */
export function proposalEvents(groups: readonly CohortGroup[]): Map<string, Record<string, number>> {
  return new Map(
    LEVELS.map((level, i) => [
      level,
      { resolution_proposed: total(groups, 'pp', i), accepted: total(groups, 'pa', i), disputed: total(groups, 'px', i) },
    ]),
  )
}

export interface MoneyRow {
  providerId: number | null
  currency: string
  tickets: number
  withAmount: number
  claimedMinor: number
  recoveredMinor: number
}

/** Claimed (all cohort tickets) and recovered (resolved ones) amounts per provider and currency. */
export function moneyByProvider(groups: readonly CohortGroup[]): MoneyRow[] {
  const out = new Map<string, MoneyRow>()
  for (const g of groups) {
    const k = `${g.providerId}|${g.currency}`
    const row = out.get(k) ?? { providerId: g.providerId, currency: g.currency, tickets: 0, withAmount: 0, claimedMinor: 0, recoveredMinor: 0 }
    row.tickets += LEVELS.reduce((a, _, i) => a + g.c[`n${i}`]!, 0)
    row.withAmount += g.c['with_amount']!
    row.claimedMinor += g.c['claimed']!
    row.recoveredMinor += g.c['recovered']!
    out.set(k, row)
  }
  return [...out.values()].filter((r) => r.tickets > 0)
}

// ---------------------------------------------------------------------------------------------
// Timeliness

export interface TimelyCounts {
  stages: number
  /** Stages whose timeliness is known: answered, escalated for no answer, or past the deadline. */
  counted: number
  timely: number
}

/** Stages still waiting for an answer whose deadline has not passed yet, per level and provider. */
export async function pendingNotDue(db: DB, s: ReportScope): Promise<{ level: string; providerId: number | null; n: number }[]> {
  const [from, to] = cohortDays(s)
  const parts: Expr[] = [sql`tstate = ${lit(T_PENDING)}`, sql`due_at >= ${lit(s.now)}`, sql`created_day + 0 between ${lit(from)} and ${lit(to)}`]
  if (s.providerId !== null) parts.push(sql`provider_id = ${lit(s.providerId)}`)
  if (s.category !== null) parts.push(sql`category = ${s.category}`)
  if (s.assignee !== null) parts.push(sql`assignee_id = ${lit(sliceOf(s))}`)
  // `+ 0`: the few stages not yet due come from the partial index, never a date range scan.
  const { rows } = await sql<{ level: string; provider_id: number; n: number }>`
    select level, provider_id, count(*) as n from report_stages
    where ${sql.join(parts, sql` and `)} group by level, provider_id`.execute(db)
  return rows.map((r) => ({ level: r.level, providerId: providerOf(r.provider_id), n: n(r.n) }))
}

/**
 * Per stage of the cohort's tickets (levels with a clock only): counted once it was answered,
 * escalated without an answer, or its deadline passed before the stage ended (escalation,
 * closing) or before now; timely when answered no later than its deadline.
 */
export function timelyCounts(
  groups: readonly CohortGroup[],
  pending: readonly { level: string; providerId: number | null; n: number }[],
  clockLevels: readonly string[],
  by: 'level' | 'provider',
): Map<string | number | null, TimelyCounts> {
  const out = new Map<string | number | null, TimelyCounts>()
  const get = (k: string | number | null) => {
    let c = out.get(k)
    if (!c) out.set(k, (c = { stages: 0, counted: 0, timely: 0 }))
    return c
  }
  LEVELS.forEach((level, i) => {
    const clocked = clockLevels.includes(level)
    for (const g of groups) {
      const c = get(by === 'level' ? level : g.providerId)
      c.stages += g.c[`st${i}`]!
      if (clocked) {
        c.counted += g.c[`ct${i}`]! + g.c[`pd${i}`]!
        c.timely += g.c[`tm${i}`]!
      }
    }
  })
  for (const p of pending) if (clockLevels.includes(p.level)) get(by === 'level' ? p.level : p.providerId).counted -= p.n
  return out
}

// ---------------------------------------------------------------------------------------------
// Snapshots of now: open, overdue, ageing

/** Per handler (null: unassigned) and level: open tickets, and those with a running deadline. */
interface OpenCounts {
  open: number[]
  withDue: number[]
}

function openCols(s: ReportScope, level: number): string[] {
  return (s.category === null ? CATEGORY_KEYS : [s.category]).map((c) => `o${level}_${c}`)
}

function openFilters(s: ReportScope, alias = ''): Expr {
  const a = alias ? `${alias}.` : ''
  const parts: Expr[] = [sql`1 = 1`]
  if (s.providerId !== null) parts.push(sql`${sql.raw(a)}provider_id = ${lit(s.providerId)}`)
  if (s.assignee !== null) parts.push(sql`${sql.raw(a)}assignee_id = ${lit(sliceOf(s))}`)
  return sql.join(parts, sql` and `)
}

/** Sums per handler and level of report_open rows of one kind, in `runs` (null: the totals). */
async function openRows(db: DB, s: ReportScope, dim: number, runs: PeriodRun[] | null) {
  const cols = LEVELS.map((_, i) => `(${openCols(s, i).join(' + ')}) as l${i}`)
  const { rows } = await sql<Record<string, unknown>>`
    select assignee_id, ${sql.raw(LEVELS.map((_, i) => `sum(l${i}) as l${i}`).join(', '))}
    from (select assignee_id, ${sql.raw(cols.join(', '))} from report_open
      where ${runs ? runsSql(runs, { dim }) : sql`dim = ${lit(dim)} and g = 0 and p = 0`} and ${openFilters(s)}) x
    group by assignee_id`.execute(db)
  return new Map(rows.map((r) => [assigneeOf(r['assignee_id']), LEVELS.map((_, i) => n(r[`l${i}`]))]))
}

/** Open tickets (with the filters) in [from, to) of `column`, per handler and level: the edges. */
async function openTicketsBetween(db: DB, s: ReportScope, column: 'created_at' | 'due_at', from: number, to: number) {
  if (to <= from) return new Map<number | null, number[]>()
  // Due dates on the queue's due key (due_at, or the largest number without one), which
  // migration 0004 indexes over open tickets; within finite bounds the two are the same.
  const key = column === 'due_at' ? sql.raw(`coalesce(t.due_at, ${NO_DUE_KEY})`) : sql.raw('t.created_at')
  const parts: Expr[] = [OPEN_SQL, sql`${key} >= ${lit(from)}`, sql`${key} < ${lit(to)}`]
  if (s.providerId !== null) parts.push(sql`t.provider_id = ${lit(s.providerId)}`)
  if (s.category !== null) parts.push(sql`t.category = ${s.category}`)
  else parts.push(sql`t.category in (${sql.join(CATEGORY_KEYS.map((c) => sql`${c}`))})`)
  if (s.assignee === 'none') parts.push(sql`t.assignee_id is null`)
  else if (s.assignee !== null) parts.push(sql`t.assignee_id = ${lit(s.assignee)}`)
  const { rows } = await sql<{ assignee_id: number | null; level: string; n: number }>`
    select t.assignee_id, t.level, count(*) as n from tickets t
    where ${sql.join(parts, sql` and `)} group by t.assignee_id, t.level`.execute(db)
  const out = new Map<number | null, number[]>()
  for (const r of rows) {
    const i = LEVELS.indexOf(r.level as (typeof LEVELS)[number])
    if (i < 0) continue
    const list = out.get(r.assignee_id) ?? [0, 0, 0, 0]
    list[i]! += n(r.n)
    out.set(r.assignee_id, list)
  }
  return out
}

export interface Snapshot {
  /** Per handler (null: unassigned): open and overdue per level. */
  byAssignee: Map<number | null, { open: number[]; overdue: number[] }>
  /** Per level: open tickets per age bucket (0-7, 8-15, 16-30, 31-60, 61+ days). */
  ageing: Map<string, number[]>
}

/** Lower bounds (days) of the age buckets, youngest first; see AGE_BUCKETS in stats.ts. */
const BUCKET_STARTS = [8, 16, 31, 61]

/**
 * Open and overdue tickets now, and the open ones by age. Overdue = open with a running deadline
 * less those whose deadline is still ahead; an age bucket = tickets younger than its bound less
 * the younger buckets. Whole days come from rollup rows, the day cut by `now` from the tickets.
 */
export async function snapshot(db: DB, s: ReportScope): Promise<Snapshot> {
  const open = await openRows(db, s, OPEN_ALL, null)
  const withDue = await openRows(db, s, OPEN_ALL_DUE, null)
  const totals = new Map<number | null, OpenCounts>()
  for (const [a, list] of open) totals.set(a, { open: list, withDue: withDue.get(a) ?? [0, 0, 0, 0] })

  const today = reportDay(s.now)
  const tomorrow = dayStart(today + 1)
  const notDue = await openRows(db, s, OPEN_BY_DUE, fromDayRuns(today + 1))
  const notDueToday = await openTicketsBetween(db, s, 'due_at', s.now, tomorrow)

  const byAssignee = new Map<number | null, { open: number[]; overdue: number[] }>()
  for (const [a, c] of totals) {
    const later = notDue.get(a) ?? [0, 0, 0, 0]
    const rest = notDueToday.get(a) ?? [0, 0, 0, 0]
    byAssignee.set(a, { open: c.open, overdue: c.withDue.map((d, i) => d - later[i]! - rest[i]!) })
  }

  // Tickets received after now - d days (strictly), for each bucket bound d.
  const younger: number[][] = []
  for (const d of BUCKET_STARTS) {
    const bound = s.now - d * DAY_MS
    const day = reportDay(bound)
    const whole = await openRows(db, s, OPEN_BY_CREATED, fromDayRuns(day + 1))
    const edge = await openTicketsBetween(db, s, 'created_at', bound + 1, dayStart(day + 1))
    const sum = [0, 0, 0, 0]
    for (const m of [whole, edge]) for (const list of m.values()) list.forEach((v, i) => (sum[i]! += v))
    younger.push(sum)
  }
  const all = [0, 0, 0, 0]
  for (const c of totals.values()) c.open.forEach((v, i) => (all[i]! += v))
  const ageing = new Map<string, number[]>()
  LEVELS.forEach((level, i) => {
    const y = younger.map((list) => list[i]!)
    ageing.set(level, [y[0]!, y[1]! - y[0]!, y[2]! - y[1]!, y[3]! - y[2]!, all[i]! - y[3]!])
  })
  return { byAssignee, ageing }
}

/** Open tickets whose deadline has passed, per level: a snapshot of now (no date range). */
export function overdueNow(snap: Snapshot): Map<string, number> {
  const out = new Map<string, number>(LEVELS.map((l) => [l, 0]))
  for (const c of snap.byAssignee.values()) LEVELS.forEach((l, i) => out.set(l, out.get(l)! + c.overdue[i]!))
  return out
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
 * within the range. Weeks are counted in 7-day steps from a local Monday (the rollups' weeks).
 */
export async function weeklyTrend(
  db: DB,
  s: ReportScope,
  grid: WeekGrid,
): Promise<{ received: number[]; escalated: Map<string, number[]> }> {
  const received = new Array<number>(grid.weeks).fill(0)
  const escalated = new Map<string, number[]>()
  const [from, to] = cohortDays(s)
  const runs = periodRuns(from, to)
  const week0 = weekOfDay(reportDay(grid.start))
  const index = (g: unknown, p: unknown) => (n(g) === GRAIN_WEEK ? n(p) : weekOfDay(n(p))) - week0
  const r1 = await sql<Record<string, unknown>>`
    select g, p, ${sql.raw(LEVELS.map((_, i) => `sum(n${i})`).join(' + '))} as n from report_cohort
    where ${runsSql(runs, { a: sliceOf(s) })} and ${keyFilters(s)} group by g, p`.execute(db)
  for (const r of r1.rows) {
    const w = index(r['g'], r['p'])
    if (w >= 0 && w < grid.weeks) received[w]! += n(r['n'])
  }
  const r2 = await sql<Record<string, unknown>>`
    select g, p, sum(e1) as e1, sum(e2) as e2, sum(e3) as e3 from report_escalations
    where ${runsSql(runs, { a: sliceOf(s) })} and ${keyFilters(s)} group by g, p`.execute(db)
  for (const r of r2.rows) {
    const w = index(r['g'], r['p'])
    LEVELS.slice(1).forEach((level, i) => {
      const list = escalated.get(level) ?? new Array<number>(grid.weeks).fill(0)
      if (w >= 0 && w < grid.weeks) list[w]! += n(r[`e${i + 1}`])
      escalated.set(level, list)
    })
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

/** Tickets per listed provider × category received in [from, to): whole days from the rollup. */
async function receivedPairs(db: DB, s: ReportScope, from: number, to: number): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const add = (p: unknown, c: unknown, v: unknown) => {
    const k = `${n(p)}|${String(c)}`
    out.set(k, (out.get(k) ?? 0) + n(v))
  }
  const { days, partial } = splitInstants(from, to)
  if (days) {
    const { rows } = await sql<Record<string, unknown>>`
      select provider_id, category, ${sql.raw(LEVELS.map((_, i) => `sum(n${i})`).join(' + '))} as n from report_cohort
      where ${runsSql(periodRuns(days[0], days[1]), { a: ALL })} and provider_id <> ${lit(NO_PROVIDER)}
        and ${keyFilters(s)}
      group by provider_id, category`.execute(db)
    for (const r of rows) add(r['provider_id'], r['category'], r['n'])
  }
  for (const [a, b] of partial) {
    const parts: Expr[] = [sql`t.created_at >= ${lit(a)}`, sql`t.created_at < ${lit(b)}`, sql`t.provider_id is not null`]
    if (s.providerId !== null) parts.push(sql`t.provider_id = ${lit(s.providerId)}`)
    if (s.category !== null) parts.push(sql`t.category = ${s.category}`)
    const { rows } = await sql<Record<string, unknown>>`
      select t.provider_id, t.category, count(*) as n from tickets t
      where ${sql.join(parts, sql` and `)} group by t.provider_id, t.category`.execute(db)
    for (const r of rows) add(r['provider_id'], r['category'], r['n'])
  }
  return out
}

/**
 * Tickets per provider × category in the 7 days before `anchor` and in the 8 weeks before those.
 * The assignee filter does not apply: a systemic problem is about providers, not who handles it.
 */
export async function pairCounts(db: DB, s: ReportScope, anchor: number): Promise<PairCounts[]> {
  const lastStart = anchor - 7 * DAY_MS
  const trailingStart = lastStart - 8 * WEEK_MS
  const last = await receivedPairs(db, s, lastStart, anchor)
  const trailing = await receivedPairs(db, s, trailingStart, lastStart)
  const out: PairCounts[] = []
  for (const k of new Set([...last.keys(), ...trailing.keys()])) {
    const [p, c] = k.split('|') as [string, string]
    const row = { providerId: Number(p), category: c, last7: last.get(k) ?? 0, trailing: trailing.get(k) ?? 0 }
    if (row.last7 + row.trailing > 0) out.push(row)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Workload

export interface WorkloadCounts {
  open: number
  overdue: number
  closed: number
}

/** Open and overdue now (snapshot), and closed within the range (by closing date), per assignee. */
export async function workload(db: DB, s: ReportScope, snap: Snapshot): Promise<Map<number | null, WorkloadCounts>> {
  const out = new Map<number | null, WorkloadCounts>()
  const get = (k: number | null) => {
    let w = out.get(k)
    if (!w) out.set(k, (w = { open: 0, overdue: 0, closed: 0 }))
    return w
  }
  for (const [a, c] of snap.byAssignee) {
    const open = c.open.reduce((x, v) => x + v, 0)
    const overdue = c.overdue.reduce((x, v) => x + v, 0)
    if (open || overdue) Object.assign(get(a), { open, overdue })
  }
  const [from, to] = cohortDays(s)
  const col = s.category === null ? 'k' : `k_${s.category}`
  const { rows } = await sql<Record<string, unknown>>`
    select assignee_id, sum(${sql.raw(col)}) as n from report_closed
    where ${runsSql(periodRuns(from, to), { ps: s.providerId ?? ALL_PROVIDERS })}
      ${s.assignee !== null ? sql`and assignee_id = ${lit(sliceOf(s))}` : sql``}
    group by assignee_id`.execute(db)
  for (const r of rows) if (n(r['n'])) get(assigneeOf(r['assignee_id'])).closed = n(r['n'])
  return out
}

export async function staffNames(db: DB, ids: readonly number[]) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'active'])
    .where((eb) => eb.or([eb.and([eb('role', '=', 'agent'), eb('active', '=', 1)]), ...(ids.length ? [eb('id', 'in', [...ids])] : [])]))
    .orderBy('name')
    .orderBy('id')
    .execute()
}

export async function providerNames(db: DB) {
  return db.selectFrom('providers').select(['id', 'name_zh', 'name_en', 'active', 'sort_order']).orderBy('sort_order').orderBy('id').execute()
}
