// Nearest-rank medians and 90th percentiles of stage durations, exact, without sorting them:
// the histograms (report_hist: coarse, then fine bins) say which bin holds the wanted rank, and one
// index step inside that bin (report_durations, ordered by value) reads the value itself.
// A scope with one filter reads that filter's histogram slice; two filters or more read their
// stages' stored durations instead (one range of report_stages).
import { sql, type RawBuilder } from 'kysely'
import type { DB } from '../../db/connection.js'
import type { Interval } from '../../domain/clocks.js'
import { DAY_MS } from '../../domain/zoneTime.js'
import { LEVELS } from '../../domain/ladder.js'
import type { DeadlineContext } from '../../deadlines/context.js'
import { COARSE_BINS, FINE_BINS } from '../bins.js'
import type { ReportScope } from '../filters.js'
import { CATEGORY_KEYS } from '../../domain/categories.js'
import {
  COARSE,
  KIND_FIRST_RESPONSE,
  KIND_RECEIPT,
  KIND_RESOLUTION,
  NO_PROVIDER,
  SLICE_ALL,
  SLICE_ASSIGNEE,
  SLICE_CATEGORY,
  SLICE_PROVIDER,
  UNIT_CALENDAR,
} from '../layout.js'
import { periodRuns } from '../periods.js'
import { readWorkdayState } from '../rollups.js'
import { medianRank, nearestRank, p90Rank } from '../stats.js'
import { businessLevels, workdayFingerprint, workingDays } from '../units.js'
import { catchUpWorkingDays } from '../workdays.js'
import { cohortDays, runsSql, sliceOf } from './scope.js'

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))
const lit = (v: number) => sql.lit(Math.trunc(v))

export interface Percentiles {
  n: number
  p50: number | null
  p90: number | null
}

/** Stage durations the timeliness report measures: to the first response, and to resolution. */
export type DurationKind = 'first_response' | 'resolution'
export const KIND_CODE: Record<DurationKind, number> = {
  first_response: KIND_FIRST_RESPONSE,
  resolution: KIND_RESOLUTION,
}

/** One distribution: a duration kind, a unit (calendar, or a working-day generation), a group. */
export interface Series {
  kind: number
  unit: number
  /** The level's index, or for receipt-to-resolution the provider (0: other). */
  grp: number
}

const binSums = (bins: number) =>
  sql.raw(Array.from({ length: bins }, (_, i) => `sum(n${i}) as n${i}`).join(', '))
const seriesKey = (x: Series) => `${x.kind}/${x.unit}/${x.grp}`

/** A histogram slice with the condition that picks its durations out of report_durations. */
export interface Slice {
  s: number
  sv: number
  where: RawBuilder<unknown>
}

/** The slice a scope reads: everyone's, or its one filter's; null for two filters or more. */
export function sliceOfScope(scope: ReportScope): Slice | null {
  const set = [scope.providerId !== null, scope.category !== null, scope.assignee !== null].filter(
    Boolean,
  ).length
  if (set === 0) return { s: SLICE_ALL, sv: 0, where: sql`1 = 1` }
  if (set > 1) return null
  if (scope.providerId !== null)
    return {
      s: SLICE_PROVIDER,
      sv: scope.providerId,
      where: sql`provider_id = ${lit(scope.providerId)}`,
    }
  if (scope.category !== null) {
    return {
      s: SLICE_CATEGORY,
      sv: (CATEGORY_KEYS as readonly string[]).indexOf(scope.category),
      where: sql`category = ${scope.category}`,
    }
  }
  return { s: SLICE_ASSIGNEE, sv: sliceOf(scope), where: sql`assignee_id = ${lit(sliceOf(scope))}` }
}

/** How many durations each group of a kind and unit holds over the range, per bin. */
export async function seriesTotals(
  db: DB,
  s: ReportScope,
  slice: Slice,
  kind: number,
  unit: number,
  grps: readonly number[] | null,
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>()
  if (grps && !grps.length) return out
  const [from, to] = cohortDays(s)
  const { rows } = await sql<Record<string, unknown>>`
    select grp, ${binSums(COARSE_BINS)} from report_hist
    where ${runsSql(periodRuns(from, to), { s: slice.s, sv: slice.sv })} and kind = ${lit(kind)} and unit = ${lit(unit)}
      ${grps ? sql`and grp in (${sql.join(grps.map(lit))})` : sql``} and cb = ${lit(COARSE)}
    group by grp`.execute(db)
  for (const r of rows) {
    const bins = Array.from({ length: COARSE_BINS }, (_, i) => n(r[`n${i}`]))
    if (bins.some((v) => v !== 0)) out.set(n(r['grp']), bins)
  }
  return out
}

/** The value at 1-based rank `rank` of a series: bin by bin, then one step inside the bin. */
async function valueAtRank(
  db: DB,
  s: ReportScope,
  slice: Slice,
  x: Series,
  coarse: readonly number[],
  rank: number,
): Promise<number> {
  const [from, to] = cohortDays(s)
  let below = 0
  let cb = 0
  while (below + coarse[cb]! < rank) below += coarse[cb++]!
  const fine = await sql<Record<string, unknown>>`
    select ${binSums(FINE_BINS)} from report_hist
    where ${runsSql(periodRuns(from, to), { s: slice.s, sv: slice.sv })}
      and kind = ${lit(x.kind)} and unit = ${lit(x.unit)} and grp = ${lit(x.grp)} and cb = ${lit(cb)}`.execute(
    db,
  )
  const f = Array.from({ length: FINE_BINS }, (_, i) => n(fine.rows[0]?.[`n${i}`]))
  let fb = 0
  while (fb < FINE_BINS - 1 && below + f[fb]! < rank) below += f[fb++]!
  const { rows } = await sql<{ value: number }>`
    select value from report_durations
    where kind = ${lit(x.kind)} and unit = ${lit(x.unit)} and grp = ${lit(x.grp)} and cb = ${lit(cb)} and fb = ${lit(fb)}
      and created_day between ${lit(from)} and ${lit(to)} and ${slice.where}
    order by value, stage_id limit 1 offset ${lit(rank - below - 1)}`.execute(db)
  if (!rows[0])
    throw new Error(`report histograms out of step with durations (${seriesKey(x)}, rank ${rank})`)
  return Number(rows[0].value)
}

/** Median (and 90th percentile) of one series over the cohort range, from its bin totals. */
export async function histogramPercentiles(
  db: DB,
  s: ReportScope,
  slice: Slice,
  x: Series,
  coarse: readonly number[],
  p90: boolean,
): Promise<Percentiles> {
  const count = coarse.reduce((a, v) => a + v, 0)
  if (count === 0) return { n: 0, p50: null, p90: null }
  return {
    n: count,
    p50: await valueAtRank(db, s, slice, x, coarse, medianRank(count)),
    p90: p90 ? await valueAtRank(db, s, slice, x, coarse, p90Rank(count)) : null,
  }
}

/** The stored durations of a scope with two filters or more: one range of report_stages. */
export type ScannedDuration = Awaited<ReturnType<typeof scannedDurations>>[number]

export async function scannedDurations(db: DB, s: ReportScope) {
  const [from, to] = cohortDays(s)
  const parts = [sql`created_day between ${lit(from)} and ${lit(to)}`]
  if (s.providerId !== null) parts.push(sql`provider_id = ${lit(s.providerId)}`)
  if (s.category !== null) parts.push(sql`category = ${s.category}`)
  if (s.assignee !== null) parts.push(sql`assignee_id = ${lit(sliceOf(s))}`)
  const { rows } = await sql<{
    level: string
    provider_id: number
    fr_ms: number | null
    res_ms: number | null
    rcpt_ms: number | null
    fr_wd: number | null
    res_wd: number | null
    wd_gen: number
  }>`select level, provider_id, fr_ms, res_ms, rcpt_ms, fr_wd, res_wd, wd_gen from report_stages
    where ${sql.join(parts, sql` and `)} and (fr_ms is not null or res_ms is not null or rcpt_ms is not null)`.execute(
    db,
  )
  return rows
}

export function percentilesOf(values: number[], p90 = true): Percentiles {
  values.sort((a, b) => a - b)
  return {
    n: values.length,
    p50: nearestRank(values, 0.5),
    p90: p90 ? nearestRank(values, 0.9) : null,
  }
}

const calendarDays = (ms: number) => ms / DAY_MS
const levelIndexOf = (level: string) => LEVELS.indexOf(level as (typeof LEVELS)[number])

// ---------------------------------------------------------------------------------------------
// The timeliness report's durations and the scorecard's days to resolution

export type LevelPercentiles = Record<DurationKind, Map<string, Percentiles>>

/** How long a report waits for stale working-day durations to be measured before measuring them itself. */
const CATCH_UP_BUDGET_MS = 1500

/**
 * Median and 90th percentile per level of the time to first response and to resolution, less
 * pauses, in each level's unit. Working days come from the stored durations when they were all
 * measured with today's calendar; otherwise stale ones are measured now (catch-up), and failing
 * that the level is measured from the stages directly.
 */
export async function levelPercentiles(
  db: DB,
  s: ReportScope,
  ctx: DeadlineContext,
  scan: () => Promise<ScannedDuration[]> = () => scannedDurations(db, s),
): Promise<LevelPercentiles> {
  const business = businessLevels(ctx)
  let out = await tryLevelPercentiles(db, s, business, await generationFor(db, ctx), scan)
  if (out) return out
  await catchUpWorkingDays(db, ctx, s.now, CATCH_UP_BUDGET_MS)
  out = await tryLevelPercentiles(db, s, business, await generationFor(db, ctx), () =>
    scannedDurations(db, s),
  )
  if (out) return out
  // Still catching up: the calendar levels from the stored durations, working days measured here.
  const calendarOnly = (await tryLevelPercentiles(db, s, [], 0, scan))!
  for (const kind of ['first_response', 'resolution'] as const) {
    for (const level of business) calendarOnly[kind].delete(level)
    for (const [level, p] of await measuredWorkingDays(db, s, ctx, business, kind))
      calendarOnly[kind].set(level, p)
  }
  return calendarOnly
}

async function generationFor(db: DB, ctx: DeadlineContext): Promise<number> {
  const state = await readWorkdayState(db)
  return state.fp === workdayFingerprint(ctx) ? state.gen : -1
}

/** null when a working-day level has durations not measured with today's calendar. */
async function tryLevelPercentiles(
  db: DB,
  s: ReportScope,
  business: readonly string[],
  gen: number,
  scan: () => Promise<ScannedDuration[]>,
): Promise<LevelPercentiles | null> {
  const out: LevelPercentiles = { first_response: new Map(), resolution: new Map() }
  const isBusiness = (level: string) => business.includes(level)
  const slice = sliceOfScope(s)
  if (!slice) {
    const values = {
      first_response: new Map<string, number[]>(),
      resolution: new Map<string, number[]>(),
    }
    const push = (kind: DurationKind, level: string, v: number) => {
      const list = values[kind].get(level) ?? []
      list.push(v)
      values[kind].set(level, list)
    }
    for (const r of await scan()) {
      if (levelIndexOf(r.level) < 0) continue
      if (isBusiness(r.level)) {
        if ((r.fr_ms !== null || r.res_ms !== null) && r.wd_gen !== gen) return null
        if (r.fr_wd !== null) push('first_response', r.level, r.fr_wd)
        if (r.res_wd !== null) push('resolution', r.level, r.res_wd)
      } else {
        if (r.fr_ms !== null) push('first_response', r.level, calendarDays(r.fr_ms))
        if (r.res_ms !== null) push('resolution', r.level, calendarDays(r.res_ms))
      }
    }
    for (const kind of ['first_response', 'resolution'] as const) {
      for (const [level, list] of values[kind]) out[kind].set(level, percentilesOf(list))
    }
    return out
  }
  for (const kind of ['first_response', 'resolution'] as const) {
    const code = KIND_CODE[kind]
    const calendar = await seriesTotals(db, s, slice, code, UNIT_CALENDAR, null)
    const working =
      business.length && gen > 0
        ? await seriesTotals(db, s, slice, code, gen, business.map(levelIndexOf))
        : new Map<number, number[]>()
    for (const level of LEVELS) {
      const grp = levelIndexOf(level)
      const cal = calendar.get(grp)
      if (!cal) continue
      let series: Series = { kind: code, unit: UNIT_CALENDAR, grp }
      let bins = cal
      if (isBusiness(level)) {
        const wd = working.get(grp)
        const sum = (b: readonly number[] | undefined) => (b ?? []).reduce((a, v) => a + v, 0)
        if (sum(wd) !== sum(cal)) return null
        series = { kind: code, unit: gen, grp }
        bins = wd!
      }
      out[kind].set(level, await histogramPercentiles(db, s, slice, series, bins, true))
    }
  }
  return out
}

/** Nearest-rank median of calendar days from receipt to resolution, per provider (null: other). */
export async function receiptMedians(
  db: DB,
  s: ReportScope,
  scan: () => Promise<ScannedDuration[]> = () => scannedDurations(db, s),
): Promise<Map<number | null, Percentiles>> {
  const out = new Map<number | null, Percentiles>()
  const providerOf = (grp: number) => (grp === NO_PROVIDER ? null : grp)
  const slice = sliceOfScope(s)
  if (!slice) {
    const values = new Map<number, number[]>()
    for (const r of await scan()) {
      if (r.rcpt_ms === null) continue
      const list = values.get(r.provider_id) ?? []
      list.push(calendarDays(r.rcpt_ms))
      values.set(r.provider_id, list)
    }
    for (const [grp, list] of values) out.set(providerOf(grp), percentilesOf(list, false))
    return out
  }
  for (const [grp, bins] of await seriesTotals(db, s, slice, KIND_RECEIPT, UNIT_CALENDAR, null)) {
    out.set(
      providerOf(grp),
      await histogramPercentiles(
        db,
        s,
        slice,
        { kind: KIND_RECEIPT, unit: UNIT_CALENDAR, grp },
        bins,
        false,
      ),
    )
  }
  return out
}

/**
 * Working days measured straight from the cohort's stages and pauses, as the reports did before
 * the rollups: only while stored ones are being measured again after a calendar change.
 */
async function measuredWorkingDays(
  db: DB,
  s: ReportScope,
  ctx: DeadlineContext,
  levels: readonly string[],
  kind: DurationKind,
): Promise<Map<string, Percentiles>> {
  const values = new Map<string, number[]>()
  if (!levels.length) return new Map()
  const cohort = sql`t.created_at >= ${lit(s.fromMs)} and t.created_at < ${lit(s.toMs)}
    ${s.providerId !== null ? sql`and t.provider_id = ${lit(s.providerId)}` : sql``}
    ${s.category !== null ? sql`and t.category = ${s.category}` : sql``}
    ${s.assignee === 'none' ? sql`and t.assignee_id is null` : s.assignee !== null ? sql`and t.assignee_id = ${lit(s.assignee)}` : sql``}`
  const resolved = sql`(t.status = 'resolved' or t.outcome = 'resolved')`
  const end =
    kind === 'first_response' ? sql`s.first_response_at` : sql`coalesce(s.answered_at, t.closed_at)`
  const where =
    kind === 'first_response'
      ? sql`s.first_response_at is not null`
      : sql`s.left_at is null and ${resolved} and coalesce(s.answered_at, t.closed_at) is not null`
  const { rows } = await sql<{ id: number; level: string; entered_at: number; end: number }>`
    select s.id, s.level, s.entered_at, ${end} as "end"
    from tickets t join ladder_stages s on s.ticket_id = t.id
    where ${cohort} and s.level in (${sql.join(levels.map((l) => sql`${l}`))}) and ${where}`.execute(
    db,
  )
  const pauses = new Map<number, Interval[]>()
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id)
    const list = await db
      .selectFrom('clock_pauses')
      .select(['stage_id', 'started_at', 'ended_at'])
      .where('stage_id', 'in', ids)
      .orderBy('id')
      .execute()
    for (const p of list)
      pauses.set(p.stage_id, [
        ...(pauses.get(p.stage_id) ?? []),
        { start: p.started_at, end: p.ended_at },
      ])
  }
  for (const r of rows) {
    const list = values.get(r.level) ?? []
    list.push(workingDays(ctx, n(r.entered_at), n(r.end), pauses.get(r.id) ?? [], s.now))
    values.set(r.level, list)
  }
  return new Map([...values].map(([level, list]) => [level, percentilesOf(list)]))
}
