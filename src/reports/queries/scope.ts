// The building blocks of the reports' queries (this folder). The reports' numbers are read from
// the rollups that rollups.ts keeps (migration 0009): a range of days is a few runs of day and week
// rows (periods.ts), so no query reads tickets one by one except for the few received in the
// partial day at the edge of an instant-based window. Definitions are spelled out on the report
// page (reports.*.note) and in facts.ts.
import { sql, type RawBuilder } from 'kysely'
import type { ReportScope } from '../filters.js'
import { ALL, NO_ASSIGNEE, NO_PROVIDER } from '../layout.js'
import { dayOfDate, type PeriodRun } from '../periods.js'

export type Expr = RawBuilder<unknown>

export const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
export const lit = (v: number) => sql.lit(Math.trunc(v))
export const providerOf = (k: unknown): number | null => (n(k) === NO_PROVIDER ? null : n(k))
export const assigneeOf = (k: unknown): number | null => (n(k) === NO_ASSIGNEE ? null : n(k))

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
    runs.map(
      (r) =>
        sql`(${sql.join(prefix, sql``)}g = ${lit(r.grain)} and p between ${lit(r.from)} and ${lit(r.to)})`,
    ),
    sql` or `,
  )})`
}

export function keyFilters(
  s: ReportScope,
  opts: { provider?: boolean; category?: boolean } = {},
): Expr {
  const parts: Expr[] = [sql`1 = 1`]
  if (opts.provider !== false && s.providerId !== null)
    parts.push(sql`provider_id = ${lit(s.providerId)}`)
  if (opts.category !== false && s.category !== null) parts.push(sql`category = ${s.category}`)
  return sql.join(parts, sql` and `)
}

export const sums = (cols: readonly string[]) =>
  sql.raw(cols.map((c) => `sum(${c}) as ${c}`).join(', '))
