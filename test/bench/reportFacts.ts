// The report rollups that follow from each ticket on its own, worked out during the load with the
// app's own fact functions (src/reports/facts.ts, durations.ts): every stage's fact with its
// durations measured (working days too; in the player's thread), and the duration histograms by day
// and by week (in the writer's, from the packed durations). Deriving these afterwards in SQL took
// most of the load's time at 1M tickets (the histograms spread each group over 128 bin columns with
// a CASE per column). The counters that sum whole days of tickets (cohort, escalations, closed,
// open) are left to the app's rebuild, which keeps these.
//
// Tickets come in the order they were filed, so a day's (and a week's) histogram rows are
// complete once a later day has begun: they are written then and forgotten.
import type { Interval } from '../../src/domain/clocks.js'
import { FINE_BINS } from '../../src/reports/bins.js'
import { durationRows, durationSlices, type DurationRow } from '../../src/reports/durations.js'
import {
  attributeProposals,
  deriveStageFact,
  PROPOSAL_EVENTS,
  type FactTicket,
  type StageFact,
  type WorkdayMeasure,
} from '../../src/reports/facts.js'
import { COARSE, ROLLUPS } from '../../src/reports/layout.js'
import { GRAIN_DAY, GRAIN_WEEK, reportDay, weekOfDay } from '../../src/reports/periods.js'
import type { PackedRows } from './packed.js'
import type { PlayedBatch } from './play.js'

/** Durations cross threads as these values a row (report_durations' columns, packed.ts). */
export const DURATION_COLUMNS = [
  'kind',
  'unit',
  'grp',
  'cb',
  'fb',
  'value',
  'stage_id',
  'created_day',
  'provider_id',
  'category',
  'assignee_id',
] as const satisfies readonly (keyof DurationRow)[]

/** Where each value the histograms need sits in a packed duration row. */
const PACKED_AT = (() => {
  const at = (c: (typeof DURATION_COLUMNS)[number]) => DURATION_COLUMNS.indexOf(c)
  return {
    width: DURATION_COLUMNS.length,
    kind: at('kind'),
    unit: at('unit'),
    grp: at('grp'),
    cb: at('cb'),
    fb: at('fb'),
    day: at('created_day'),
    provider: at('provider_id'),
    category: at('category'),
    assignee: at('assignee_id'),
  }
})()

interface HistRow {
  /** s, sv, kind, unit, grp, cb */
  key: [number, number, number, number, number, number]
  bins: Int32Array
}

type Periods = Map<number, Map<number, HistRow>>

/**
 * A histogram row's key within its period as one small integer (a V8 Smi: no string per count):
 * 2 bits of slice, 6 of slice value + 1, 2 of kind, 3 of unit, 6 of group, 6 of coarse bin + 1.
 * The bench's ids are small (20 agents, a dozen providers); bigger ones stop the load.
 */
function rowKey(
  s: number,
  sv: number,
  kind: number,
  unit: number,
  grp: number,
  cb: number,
): number {
  if (sv + 1 > 63 || unit > 7 || grp > 63 || s > 3 || kind > 3 || sv < -1 || grp < 0)
    throw new Error(`bench histogram key out of range: ${[s, sv, kind, unit, grp, cb]}`)
  return ((((s * 64 + sv + 1) * 4 + kind) * 8 + unit) * 64 + grp) * 64 + cb + 1
}

/** Bin arrays of rows already written, zeroed for reuse: a load counts millions of rows. */
const spareBins: Int32Array[] = []

function rowOf(periods: Periods, period: number, id: number, key: () => HistRow['key']): HistRow {
  let rows = periods.get(period)
  if (!rows) periods.set(period, (rows = new Map()))
  let row = rows.get(id)
  if (!row) rows.set(id, (row = { key: key(), bins: spareBins.pop() ?? new Int32Array(FINE_BINS) }))
  return row
}

/** The last bin with a count (0 when none has). */
function lastCounted(bins: Int32Array): number {
  let last = FINE_BINS - 1
  while (last > 0 && bins[last] === 0) last--
  return last
}

/**
 * Rows as packed inserts: the bin columns of a row end at its last counted bin (rounded up to a
 * multiple of 16, so there are at most 8 statement shapes), since most bins are 0, the columns'
 * default; a row of a few durations then binds a few dozen values rather than 136. Each shape's
 * statements carry as many rows as SQLite binds (at most 32766 parameters), the rest in
 * power-of-two row counts: few distinct statements to prepare. A row's bins are zeroed and
 * reused once packed.
 */
class HistPacker {
  readonly #shapes = new Map<
    number,
    { open: number[]; rows: number; full: number; chunks: number[][] }
  >()

  add(grain: number, p: number, row: HistRow, last: number): void {
    const width = Math.ceil((last + 1) / 16) * 16
    let shape = this.#shapes.get(width)
    if (!shape)
      this.#shapes.set(
        width,
        (shape = { open: [], rows: 0, full: Math.floor(30_000 / (8 + width)), chunks: [] }),
      )
    const { key, bins } = row
    // Filled by push, never preallocated: a holey array is bound (and cloned) element by element.
    shape.open.push(key[0], key[1], grain, p, key[2], key[3], key[4], key[5])
    for (let b = 0; b < width; b++) shape.open.push(bins[b]!)
    bins.fill(0, 0, width)
    spareBins.push(bins)
    if (++shape.rows === shape.full) {
      shape.chunks.push(shape.open)
      shape.open = []
      shape.rows = 0
    }
  }

  take(): PackedRows[] {
    const out: PackedRows[] = []
    for (const [width, shape] of this.#shapes) {
      const columns = [...ROLLUPS.hist.keys, ...ROLLUPS.hist.cols.slice(0, width)]
      let at = 0
      for (let rows = shape.rows; rows > 0;) {
        const n = 2 ** Math.floor(Math.log2(rows))
        shape.chunks.push(shape.open.slice(at, at + n * columns.length))
        at += n * columns.length
        rows -= n
      }
      if (shape.chunks.length) out.push({ table: 'report_hist', columns, chunks: shape.chunks })
    }
    this.#shapes.clear()
    return out
  }
}

/**
 * Duration histograms as addDurations() counts them, by day of the ticket's filing; a week's
 * rows are the sums of its days' rows, added up as each day is complete.
 */
export class HistogramRows {
  readonly #days: Periods = new Map()
  readonly #weeks: Periods = new Map()

  /** Durations given as DURATION_COLUMNS values one after another (packed.ts). */
  addPacked(values: readonly unknown[]): void {
    const { width, kind, unit, grp, cb, fb, day, provider, category, assignee } = PACKED_AT
    for (let i = 0; i < values.length; i += width) {
      this.add({
        kind: values[i + kind] as number,
        unit: values[i + unit] as number,
        grp: values[i + grp] as number,
        cb: values[i + cb] as number,
        fb: values[i + fb] as number,
        created_day: values[i + day] as number,
        provider_id: values[i + provider] as number,
        category: values[i + category] as string,
        assignee_id: values[i + assignee] as number,
      })
    }
  }

  add(
    r: Pick<
      DurationRow,
      | 'kind'
      | 'unit'
      | 'grp'
      | 'cb'
      | 'fb'
      | 'created_day'
      | 'provider_id'
      | 'category'
      | 'assignee_id'
    >,
  ): void {
    for (const [s, sv] of durationSlices(r)) {
      // The coarse row (cb = COARSE) counts per coarse bin; the row of its coarse bin, per fine bin.
      rowOf(this.#days, r.created_day, rowKey(s, sv, r.kind, r.unit, r.grp, COARSE), () => [
        s,
        sv,
        r.kind,
        r.unit,
        r.grp,
        COARSE,
      ]).bins[r.cb]!++
      rowOf(this.#days, r.created_day, rowKey(s, sv, r.kind, r.unit, r.grp, r.cb), () => [
        s,
        sv,
        r.kind,
        r.unit,
        r.grp,
        r.cb,
      ]).bins[r.fb]!++
    }
  }

  /**
   * Rows of the days and weeks before `day`'s, which no later ticket can add to (all with
   * Infinity), packed for insertion.
   */
  takeBefore(day: number): PackedRows[] {
    const packer = new HistPacker()
    for (const [p, rows] of this.#days) {
      if (p >= day) continue
      const week = weekOfDay(p)
      for (const [id, row] of rows) {
        const last = lastCounted(row.bins)
        const sum = rowOf(this.#weeks, week, id, () => row.key).bins
        for (let b = 0; b <= last; b++) sum[b]! += row.bins[b]!
        packer.add(GRAIN_DAY, p, row, last)
      }
      this.#days.delete(p)
    }
    const lastWeek = day === Infinity ? Infinity : weekOfDay(day)
    for (const [p, rows] of this.#weeks) {
      if (p >= lastWeek) continue
      for (const row of rows.values()) packer.add(GRAIN_WEEK, p, row, lastCounted(row.bins))
      this.#weeks.delete(p)
    }
    return packer.take()
  }
}

export interface BatchFacts {
  stages: StageFact[]
  durations: DurationRow[]
}

/**
 * Stage facts and durations of each batch. `wd` is the working-day measure the app would use
 * for this calendar (its generation written beside it).
 */
export function stageFacts(wd: WorkdayMeasure) {
  const proposalTypes = new Set<string>(PROPOSAL_EVENTS)
  return (batch: PlayedBatch): BatchFacts => {
    const out: BatchFacts = { stages: [], durations: [] }
    const pauses = new Map<number, Interval[]>()
    for (const p of batch.pauses) {
      const list = pauses.get(p.stage_id) ?? []
      list.push({ start: p.started_at, end: p.ended_at })
      pauses.set(p.stage_id, list)
    }
    // Stages and events are in ticket order, as the player plays them.
    let si = 0
    let ei = 0
    for (const row of batch.tickets) {
      const t: FactTicket = {
        id: row.id!,
        created_at: row.created_at,
        provider_id: row.provider_id ?? null,
        category: row.category,
        assignee_id: row.assignee_id ?? null,
        level: row.level!,
        status: row.status!,
        outcome: row.outcome ?? null,
        relief: row.relief ?? null,
        currency: row.currency!,
        amount_minor: row.amount_minor ?? null,
        amount_recovered_minor: row.amount_recovered_minor ?? null,
        proposed_at: row.proposed_at ?? null,
        disputed_at: row.disputed_at ?? null,
        closed_at: row.closed_at ?? null,
        due_at: row.due_at ?? null,
      }
      const stages = []
      while (si < batch.stages.length && batch.stages[si]!.ticket_id === t.id)
        stages.push(batch.stages[si++]!)
      const proposals = []
      for (; ei < batch.events.length && batch.events[ei]!.ticket_id === t.id; ei++) {
        const e = batch.events[ei]!
        if (proposalTypes.has(e.type)) proposals.push({ type: e.type, created_at: e.created_at })
      }
      const counted = attributeProposals(stages, proposals)
      for (const s of stages) {
        const fact = deriveStageFact(
          t,
          s,
          undefined,
          pauses.get(s.id) ?? [],
          wd,
          counted.get(s.id)!,
        )
        out.stages.push(fact)
        for (const d of durationRows(fact)) out.durations.push(d)
      }
    }
    if (si !== batch.stages.length || ei !== batch.events.length)
      throw new Error('bench: stages or events out of ticket order')
    return out
  }
}
