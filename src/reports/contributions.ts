// What one ticket adds to the report rollups, as plain data. Pure: the upkeep (rollups.ts) adds
// a ticket's contribution after a change and takes away the one from before it, so every rollup
// stays the sum over tickets of exactly this. Change it only together with rebuild.ts.
import { CATEGORY_KEYS } from '../domain/categories.js'
import { LEVELS } from '../domain/ladder.js'
import { recoveredMinor } from '../domain/resolution.js'
import { durationRows, durationSlices, type DurationRow } from './durations.js'
import {
  isClosed,
  isOpen,
  isResolved,
  T_LATE,
  T_PENDING,
  T_TIMELY,
  type FactTicket,
  type StageFact,
} from './facts.js'
import {
  ALL,
  ALL_PROVIDERS,
  assigneeKey,
  COARSE,
  OPEN_ALL,
  OPEN_ALL_DUE,
  OPEN_BY_CREATED,
  OPEN_BY_DUE,
  providerKey,
  UNIT_CALENDAR,
  type RollupName,
} from './layout.js'
import { GRAIN_DAY, GRAIN_WEEK, reportDay, weekOfDay } from './periods.js'

/** Sums of counter deltas per rollup row. */
export class Tally {
  readonly rows = new Map<
    string,
    { table: RollupName; key: (string | number)[]; cols: Map<string, number> }
  >()

  add(
    table: RollupName,
    key: (string | number)[],
    col: string,
    delta: number,
    id = `${table}|${key.join('|')}`,
  ): void {
    if (delta === 0) return
    let row = this.rows.get(id)
    if (!row) this.rows.set(id, (row = { table, key, cols: new Map() }))
    row.cols.set(col, (row.cols.get(col) ?? 0) + delta)
  }

  /** this − other, without the counters that cancel out. */
  minus(other: Tally): Tally {
    const out = new Tally()
    for (const [id, row] of this.rows)
      for (const [c, v] of row.cols) out.add(row.table, row.key, c, v, id)
    for (const [id, row] of other.rows)
      for (const [c, v] of row.cols) out.add(row.table, row.key, c, -v, id)
    for (const [id, row] of out.rows) {
      for (const [c, v] of row.cols) if (v === 0) row.cols.delete(c)
      if (row.cols.size === 0) out.rows.delete(id)
    }
    return out
  }
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
    const keys =
      b.day === null
        ? [[...b.before, ...b.after]]
        : [
            [...b.before, GRAIN_DAY, b.day, ...b.after],
            [...b.before, GRAIN_WEEK, weekOfDay(b.day), ...b.after],
          ]
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
  const base = (
    table: RollupName,
    before: (string | number)[],
    day: number | null,
    after: (string | number)[],
  ) => {
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
      const o = (
        { resolved: 'cr', unresolved: 'cu', withdrawn: 'cw', duplicate: 'cd' } as Record<
          string,
          string
        >
      )[t.outcome ?? '']
      if (o) cohort(`${o}${L}`)
      if (t.outcome === 'resolved') {
        const r =
          t.relief === null
            ? 'rz'
            : ({ monetary: 'rm', non_monetary: 'rn', explanation: 're' } as Record<string, string>)[
                t.relief
              ]
        if (r) cohort(`${r}${L}`)
      }
    }
  }
  if (t.amount_minor !== null) cohort('with_amount')
  cohort('claimed', t.amount_minor ?? 0)
  // Only an accepted resolution's amount is recovered; a disputed proposal's is not.
  if (resolved) cohort('recovered', recoveredMinor(t) ?? 0)

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
      for (const a of slices)
        base('escalations', [a], reportDay(f.entered_at), [provider, t.category]).add(`e${S}`)
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
    if (!b)
      bases.set(id, (b = new Base('hist', [sl, sv], r.created_day, [r.kind, r.unit, r.grp, cb])))
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
