// Snapshots of now, whatever the date range: open tickets, overdue ones, and the open ones by age.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import { CATEGORY_KEYS } from '../../domain/categories.js'
import { LEVELS } from '../../domain/ladder.js'
import { DAY_MS } from '../../domain/zoneTime.js'
import type { ReportScope } from '../filters.js'
import { OPEN_ALL, OPEN_ALL_DUE, OPEN_BY_CREATED, OPEN_BY_DUE } from '../layout.js'
import { dayStart, fromDayRuns, reportDay, type PeriodRun } from '../periods.js'
import { assigneeOf, lit, n, runsSql, sliceOf, type Expr } from './scope.js'
import { NO_DUE_KEY } from '../../db/dueKey.js'

/** The same text as the partial indexes' predicate (migrations 0004, 0009), so SQLite uses them. */
export const OPEN_SQL = sql.raw(`t.status not in ('resolved','closed','withdrawn')`)

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
  return new Map(
    rows.map((r) => [assigneeOf(r['assignee_id']), LEVELS.map((_, i) => n(r[`l${i}`]))]),
  )
}

/** Open tickets (with the filters) in [from, to) of `column`, per handler and level: the edges. */
async function openTicketsBetween(
  db: DB,
  s: ReportScope,
  column: 'created_at' | 'due_at',
  from: number,
  to: number,
) {
  if (to <= from) return new Map<number | null, number[]>()
  // Due dates on the queue's due key (due_at, or the largest number without one), which
  // migration 0004 indexes over open tickets; within finite bounds the two are the same.
  const key =
    column === 'due_at' ? sql.raw(`coalesce(t.due_at, ${NO_DUE_KEY})`) : sql.raw('t.created_at')
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
  for (const [a, list] of open)
    totals.set(a, { open: list, withDue: withDue.get(a) ?? [0, 0, 0, 0] })

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
    for (const m of [whole, edge])
      for (const list of m.values()) list.forEach((v, i) => (sum[i]! += v))
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
  for (const c of snap.byAssignee.values())
    LEVELS.forEach((l, i) => out.set(l, out.get(l)! + c.overdue[i]!))
  return out
}
