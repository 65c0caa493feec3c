// What one ticket adds to the report rollups, as plain data. Pure: the upkeep (rollups.ts) adds
// a ticket's contribution after a change and takes away the one from before it, so every rollup
// stays the sum over tickets of exactly this. The definitions here are the reports' definitions
// (see the "how this is counted" notes); change them only together with rebuild.ts.
import type { Interval } from '../domain/clocks.js'
import { DAY_MS } from '../domain/zoneTime.js'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { LEVELS } from '../domain/ladder.js'
import { binMsOf, coarseBin, fineBin } from './bins.js'
import {
  ALL,
  ALL_PROVIDERS,
  assigneeKey,
  COARSE,
  OPEN_ALL,
  OPEN_ALL_DUE,
  OPEN_BY_CREATED,
  OPEN_BY_DUE,
  KIND_FIRST_RESPONSE,
  KIND_RECEIPT,
  KIND_RESOLUTION,
  providerKey,
  SLICE_ALL,
  SLICE_ASSIGNEE,
  SLICE_CATEGORY,
  SLICE_PROVIDER,
  UNIT_CALENDAR,
  type RollupName,
} from './layout.js'
import { GRAIN_DAY, GRAIN_WEEK, reportDay, weekOfDay } from './periods.js'
import type { ReportStagesTable } from '../db/schema.js'

export const PROPOSAL_EVENTS = ['resolution_proposed', 'accepted', 'disputed'] as const

/** The ticket columns the reports read. */
export interface FactTicket {
  id: number
  created_at: number
  provider_id: number | null
  category: string
  assignee_id: number | null
  level: string
  status: string
  outcome: string | null
  relief: string | null
  currency: string
  amount_minor: number | null
  amount_recovered_minor: number | null
  closed_at: number | null
  due_at: number | null
}

export interface FactStage {
  id: number
  level: string
  entered_at: number
  left_at: number | null
  first_response_at: number | null
  answered_at: number | null
  due_at: number | null
}

/** Timeliness of a stage: not counted, counted late, timely, or waiting (counted once due < now). */
export const T_NONE = 0
export const T_LATE = 1
export const T_TIMELY = 2
export const T_PENDING = 3

/** One row of report_stages: a ladder stage with what the reports measure of it. */
export type StageFact = ReportStagesTable

const CLOSED = ['closed', 'withdrawn']
/** Open as the queues and reports have always counted it: not resolved, closed or withdrawn. */
const isOpen = (status: string) => status !== 'resolved' && !CLOSED.includes(status)
const isClosed = (status: string) => CLOSED.includes(status)
export const isResolved = (t: Pick<FactTicket, 'status' | 'outcome'>) => t.status === 'resolved' || t.outcome === 'resolved'

/** Milliseconds of pauses inside [from, to], each clipped on its own (as the SQL always did). */
export function pausedWithin(pauses: readonly Interval[], from: number, to: number): number {
  let sum = 0
  for (const p of pauses) {
    const a = Math.max(p.start, from)
    const b = Math.min(p.end ?? to, to)
    if (b > a) sum += b - a
  }
  return sum
}

export function timeliness(t: FactTicket, s: FactStage): number {
  if (s.due_at === null) return T_NONE
  if (s.answered_at !== null) return s.answered_at <= s.due_at ? T_TIMELY : T_LATE
  // Escalated without a recorded answer: counted, never timely.
  if (s.left_at !== null) return T_LATE
  if (isClosed(t.status) && t.closed_at !== null) return s.due_at < t.closed_at ? T_LATE : T_NONE
  return T_PENDING
}

/** The end of the stage at which a resolved ticket ended: its answer, else the closing. */
export function resolutionEnd(t: FactTicket, s: FactStage): number | null {
  if (s.left_at !== null || !isResolved(t)) return null
  return s.answered_at ?? t.closed_at
}

/** Working-day measuring for stages at working-day levels; null while stored values are stale. */
export interface WorkdayMeasure {
  gen: number
  levels: ReadonlySet<string>
  days(from: number, to: number, pauses: readonly Interval[]): number
}

/** Whether deriving this stage's fact needs its clock pauses (a duration to measure anew). */
export function needsPauses(t: FactTicket, s: FactStage, prev: StageFact | undefined, wd: WorkdayMeasure | null): boolean {
  const end = resolutionEnd(t, s)
  const fresh = (at: number | null, prevAt: number | null | undefined) => at !== null && at !== prevAt
  if (fresh(s.first_response_at, prev?.fr_at) || fresh(end, prev?.res_end)) return true
  if (!wd || !wd.levels.has(s.level)) return false
  const stale = !prev || prev.wd_gen !== wd.gen
  return stale && (s.first_response_at !== null || end !== null)
}

export function deriveStageFact(
  t: FactTicket,
  s: FactStage,
  prev: StageFact | undefined,
  pauses: readonly Interval[] | undefined,
  wd: WorkdayMeasure | null,
  proposals: { pp: number; pa: number; px: number },
): StageFact {
  const end = resolutionEnd(t, s)
  const fr = s.first_response_at
  const sameFr = prev !== undefined && prev.fr_at === fr
  const sameEnd = prev !== undefined && prev.res_end === end
  const need = () => {
    if (!pauses) throw new Error(`stage ${s.id}: pauses needed but not loaded`)
    return pauses
  }
  const fr_ms = fr === null ? null : sameFr ? prev.fr_ms : fr - s.entered_at - pausedWithin(need(), s.entered_at, fr)
  const res_ms = end === null ? null : sameEnd ? prev.res_ms : end - s.entered_at - pausedWithin(need(), s.entered_at, end)
  const rcpt_ms = end === null ? null : end - t.created_at

  let fr_wd: number | null = null
  let res_wd: number | null = null
  let wd_gen = 0
  if (wd && wd.levels.has(s.level)) {
    const valid = prev !== undefined && prev.wd_gen === wd.gen
    fr_wd = fr === null ? null : valid && sameFr ? prev.fr_wd : wd.days(s.entered_at, fr, need())
    res_wd = end === null ? null : valid && sameEnd ? prev.res_wd : wd.days(s.entered_at, end, need())
    wd_gen = fr === null && end === null ? 0 : wd.gen
  } else if (!wd && prev && prev.wd_gen > 0 && sameFr && sameEnd) {
    // Measured before and unchanged: keep it (whether it is still current is the reader's check).
    fr_wd = prev.fr_wd
    res_wd = prev.res_wd
    wd_gen = prev.wd_gen
  }
  return {
    created_day: reportDay(t.created_at),
    ticket_id: t.id,
    stage_id: s.id,
    level: s.level,
    entered_at: s.entered_at,
    left_at: s.left_at,
    provider_id: providerKey(t.provider_id),
    category: t.category,
    currency: t.currency,
    assignee_id: assigneeKey(t.assignee_id),
    tstate: timeliness(t, s),
    due_at: s.due_at,
    fr_at: fr,
    fr_ms,
    res_end: end,
    res_ms,
    rcpt_ms,
    fr_wd,
    res_wd,
    wd_gen,
    ...proposals,
  }
}

/** Resolution proposals, acceptances and disputes per stage: each event counts for every stage
 * whose time span [entered, left) holds it, as the reports have always joined them. */
export function attributeProposals(
  stages: readonly Pick<FactStage, 'id' | 'entered_at' | 'left_at'>[],
  events: readonly { type: string; created_at: number }[],
): Map<number, { pp: number; pa: number; px: number }> {
  const out = new Map(stages.map((s) => [s.id, { pp: 0, pa: 0, px: 0 }]))
  for (const e of events) {
    const col = e.type === 'resolution_proposed' ? 'pp' : e.type === 'accepted' ? 'pa' : e.type === 'disputed' ? 'px' : null
    if (!col) continue
    for (const s of stages) {
      if (s.entered_at <= e.created_at && (s.left_at === null || e.created_at < s.left_at)) out.get(s.id)![col]++
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Contributions

/** Sums of counter deltas per rollup row. */
export class Tally {
  readonly rows = new Map<string, { table: RollupName; key: (string | number)[]; cols: Map<string, number> }>()

  add(table: RollupName, key: (string | number)[], col: string, delta: number, id = `${table}|${key.join('|')}`): void {
    if (delta === 0) return
    let row = this.rows.get(id)
    if (!row) this.rows.set(id, (row = { table, key, cols: new Map() }))
    row.cols.set(col, (row.cols.get(col) ?? 0) + delta)
  }

  /** this − other, without the counters that cancel out. */
  minus(other: Tally): Tally {
    const out = new Tally()
    for (const [id, row] of this.rows) for (const [c, v] of row.cols) out.add(row.table, row.key, c, v, id)
    for (const [id, row] of other.rows) for (const [c, v] of row.cols) out.add(row.table, row.key, c, -v, id)
    for (const [id, row] of out.rows) {
      for (const [c, v] of row.cols) if (v === 0) row.cols.delete(c)
      if (row.cols.size === 0) out.rows.delete(id)
    }
    return out
  }
}

const TICKET_FIELDS = [
  'created_at',
  'provider_id',
  'category',
  'assignee_id',
  'level',
  'status',
  'outcome',
  'relief',
  'currency',
  'amount_minor',
  'amount_recovered_minor',
  'closed_at',
  'due_at',
] as const satisfies readonly (keyof FactTicket)[]

/** Whether two ticket rows count for exactly the same rollup rows (most actions change none). */
export function sameTicketFacts(a: FactTicket, b: FactTicket): boolean {
  return TICKET_FIELDS.every((k) => a[k] === b[k])
}

export function sameFact(a: StageFact, b: StageFact): boolean {
  return (Object.keys(a) as (keyof StageFact)[]).every((k) => a[k] === b[k])
}

/** A row of report_durations: one measured duration, ordered for percentile look-ups. */
export interface DurationRow {
  kind: number
  unit: number
  grp: number
  cb: number
  fb: number
  value: number
  stage_id: number
  created_day: number
  provider_id: number
  category: string
  assignee_id: number
}

/** The measured durations of a stage: calendar ones always, working-day ones when measured. */
export function durationRows(f: StageFact): DurationRow[] {
  const out: DurationRow[] = []
  const level = LEVELS.indexOf(f.level as (typeof LEVELS)[number])
  const push = (kind: number, unit: number, grp: number, value: number, binMs: number) => {
    const cb = coarseBin(binMs)
    out.push({
      kind,
      unit,
      grp,
      cb,
      fb: fineBin(binMs, cb),
      value,
      stage_id: f.stage_id,
      created_day: f.created_day,
      provider_id: f.provider_id,
      category: f.category,
      assignee_id: f.assignee_id,
    })
  }
  if (level >= 0) {
    if (f.fr_ms !== null) push(KIND_FIRST_RESPONSE, UNIT_CALENDAR, level, f.fr_ms / DAY_MS, f.fr_ms)
    if (f.res_ms !== null) push(KIND_RESOLUTION, UNIT_CALENDAR, level, f.res_ms / DAY_MS, f.res_ms)
    if (f.wd_gen > 0) {
      if (f.fr_wd !== null) push(KIND_FIRST_RESPONSE, f.wd_gen, level, f.fr_wd, binMsOf(f.fr_wd, false))
      if (f.res_wd !== null) push(KIND_RESOLUTION, f.wd_gen, level, f.res_wd, binMsOf(f.res_wd, false))
    }
  }
  if (f.rcpt_ms !== null) push(KIND_RECEIPT, UNIT_CALENDAR, f.provider_id, f.rcpt_ms / DAY_MS, f.rcpt_ms)
  return out
}

export const durationKey = (r: DurationRow) =>
  `${r.kind}/${r.unit}/${r.grp}/${r.cb}/${r.fb}/${r.value}/${r.stage_id}/${r.provider_id}/${r.category}/${r.assignee_id}`

/**
 * The histogram slices a duration counts in: everyone's (0), its provider's (1), its problem
 * category's (2, by the category's position) and its handler's (3). A scope with one filter
 * reads that slice; with none, slice 0.
 */
export function durationSlices(r: Pick<DurationRow, 'provider_id' | 'category' | 'assignee_id'>): [number, number][] {
  const out: [number, number][] = [
    [SLICE_ALL, 0],
    [SLICE_PROVIDER, r.provider_id],
    [SLICE_ASSIGNEE, r.assignee_id],
  ]
  const c = (CATEGORY_KEYS as readonly string[]).indexOf(r.category)
  if (c >= 0) out.push([SLICE_CATEGORY, c])
  return out
}

/** Counters of one rollup row before it is copied to its day and week rows. */
class Base {
  readonly cols = new Map<string, number>()
  constructor(
    readonly table: RollupName,
    readonly before: (string | number)[],
    /** null: a row without periods. */
    readonly day: number | null,
    readonly after: (string | number)[],
  ) {}
  add(col: string, delta = 1): void {
    if (delta !== 0) this.cols.set(col, (this.cols.get(col) ?? 0) + delta)
  }
}

function expand(tally: Tally, bases: readonly Base[]): Tally {
  for (const b of bases) {
    if (!b.cols.size) continue
    const keys = b.day === null ? [[...b.before, ...b.after]] : [[...b.before, GRAIN_DAY, b.day, ...b.after], [...b.before, GRAIN_WEEK, weekOfDay(b.day), ...b.after]]
    for (const key of keys) {
      const id = `${b.table}|${key.join('|')}`
      for (const [col, v] of b.cols) tally.add(b.table, key, col, v, id)
    }
  }
  return tally
}

/** Everything one ticket (with its stage facts) adds to the rollups. */
export function contributions(t: FactTicket, facts: readonly StageFact[]): Tally {
  const bases: Base[] = []
  const base = (table: RollupName, before: (string | number)[], day: number | null, after: (string | number)[]) => {
    const b = new Base(table, before, day, after)
    bases.push(b)
    return b
  }
  const L = LEVELS.indexOf(t.level as (typeof LEVELS)[number])
  const day = reportDay(t.created_at)
  const provider = providerKey(t.provider_id)
  const assignee = assigneeKey(t.assignee_id)
  const slices = [ALL, assignee]
  const cohortRows = slices.map((a) => base('cohort', [a], day, [provider, t.category, t.currency]))
  const cohort = (col: string, delta = 1) => {
    for (const r of cohortRows) r.add(col, delta)
  }
  const resolved = isResolved(t)
  if (L >= 0) {
    cohort(`n${L}`)
    if (isOpen(t.status)) cohort(`op${L}`)
    if (resolved) cohort(`rs${L}`)
    if (isClosed(t.status)) {
      cohort(`cl${L}`)
      const o = ({ resolved: 'cr', unresolved: 'cu', withdrawn: 'cw', duplicate: 'cd' } as Record<string, string>)[t.outcome ?? '']
      if (o) cohort(`${o}${L}`)
      if (t.outcome === 'resolved') {
        const r = t.relief === null ? 'rz' : ({ monetary: 'rm', non_monetary: 'rn', explanation: 're' } as Record<string, string>)[t.relief]
        if (r) cohort(`${r}${L}`)
      }
    }
  }
  if (t.amount_minor !== null) cohort('with_amount')
  cohort('claimed', t.amount_minor ?? 0)
  if (resolved) cohort('recovered', t.amount_recovered_minor ?? 0)

  const cat = (CATEGORY_KEYS as readonly string[]).includes(t.category) ? t.category : null
  if (isClosed(t.status) && t.closed_at !== null) {
    const closedDay = reportDay(t.closed_at)
    for (const ps of [ALL_PROVIDERS, provider]) {
      const r = base('closed', [ps], closedDay, [assignee])
      r.add('k')
      if (cat) r.add(`k_${cat}`)
    }
  }
  if (isOpen(t.status) && L >= 0 && cat) {
    const col = `o${L}_${cat}`
    base('open', [OPEN_ALL, 0, 0, provider, assignee], null, []).add(col)
    base('open', [OPEN_BY_CREATED], day, [provider, assignee]).add(col)
    if (t.due_at !== null) {
      base('open', [OPEN_ALL_DUE, 0, 0, provider, assignee], null, []).add(col)
      base('open', [OPEN_BY_DUE], reportDay(t.due_at), [provider, assignee]).add(col)
    }
  }

  for (const f of facts) {
    const S = LEVELS.indexOf(f.level as (typeof LEVELS)[number])
    if (S < 0) continue
    cohort(`st${S}`)
    if (f.tstate === T_LATE || f.tstate === T_TIMELY) cohort(`ct${S}`)
    if (f.tstate === T_TIMELY) cohort(`tm${S}`)
    if (f.tstate === T_PENDING) cohort(`pd${S}`)
    cohort(`pp${S}`, f.pp)
    cohort(`pa${S}`, f.pa)
    cohort(`px${S}`, f.px)
    if (S > 0) {
      for (const a of slices) base('escalations', [a], reportDay(f.entered_at), [provider, t.category]).add(`e${S}`)
    }
  }
  const tally = expand(new Tally(), bases)
  addDurations(tally, facts)
  return tally
}

/**
 * The histogram counters of the stages' measured durations (`working`: only the working-day
 * ones, which are all a calendar catch-up changes).
 */
export function addDurations(tally: Tally, facts: readonly StageFact[], working = false): Tally {
  const bases = new Map<string, Base>()
  const add = (sl: number, sv: number, r: DurationRow, cb: number, bin: number) => {
    const id = `${sl}|${sv}|${r.created_day}|${r.kind}|${r.unit}|${r.grp}|${cb}`
    let b = bases.get(id)
    if (!b) bases.set(id, (b = new Base('hist', [sl, sv], r.created_day, [r.kind, r.unit, r.grp, cb])))
    b.add(`n${bin}`)
  }
  for (const f of facts) {
    for (const r of durationRows(f)) {
      if (working && r.unit === UNIT_CALENDAR) continue
      for (const [sl, sv] of durationSlices(r)) {
        add(sl, sv, r, COARSE, r.cb)
        add(sl, sv, r, r.cb, r.fb)
      }
    }
  }
  return expand(tally, [...bases.values()])
}
