// The report rollups that follow from each ticket on its own, worked out while its batch is
// written, with the app's own fact functions (src/reports/facts.ts): every stage's fact with its
// durations measured (working days too), and the duration histograms by day and by week. Deriving
// these afterwards in SQL took most of the load's time at 1M tickets (the histograms spread each
// group over 128 bin columns with a CASE per column). The counters that sum whole days of tickets
// (cohort, escalations, closed, open) are left to the app's rebuild, which keeps these.
//
// Tickets come in the order they were filed, so a day's (and a week's) histogram rows are
// complete once a later day has begun: they are written then and forgotten.
import type { Interval } from '../../src/domain/deadlines.js'
import { FINE_BINS } from '../../src/reports/bins.js'
import {
  attributeProposals,
  deriveStageFact,
  durationRows,
  durationSlices,
  PROPOSAL_EVENTS,
  type DurationRow,
  type FactTicket,
  type StageFact,
  type WorkdayMeasure,
} from '../../src/reports/facts.js'
import { COARSE, ROLLUPS } from '../../src/reports/layout.js'
import { GRAIN_DAY, GRAIN_WEEK, reportDay, weekOfDay } from '../../src/reports/periods.js'
import type { PlayedBatch } from './play.js'

/** report_hist's columns in the order `HistogramRows` gives their values. */
export const HIST_COLUMNS = [...ROLLUPS.hist.keys, ...ROLLUPS.hist.cols]
/** SQLite binds at most 32766 parameters per statement. */
const HIST_ROWS_PER_INSERT = Math.floor(30_000 / HIST_COLUMNS.length)

interface HistRow {
  /** s, sv, kind, unit, grp, cb */
  key: [number, number, number, number, number, number]
  bins: Int32Array
}

type Periods = Map<number, Map<number, HistRow>>

/**
 * A histogram row's key within its period as one small integer (a V8 Smi, the cheapest Map key):
 * 2 bits of slice, 6 of slice value + 1, 2 of kind, 3 of unit, 6 of group, 6 of coarse bin + 1.
 * The bench's ids are small (20 agents, a dozen providers); bigger ones stop the load.
 */
function rowKey(s: number, sv: number, kind: number, unit: number, grp: number, cb: number): number {
  if (sv + 1 > 63 || unit > 7 || grp > 63 || s > 3 || kind > 3 || sv < -1 || grp < 0) throw new Error(`bench histogram key out of range: ${[s, sv, kind, unit, grp, cb]}`)
  return (((((s * 64 + sv + 1) * 4 + kind) * 8 + unit) * 64 + grp) * 64) + cb + 1
}

function rowOf(periods: Periods, period: number, id: number, key: HistRow['key']): HistRow {
  let rows = periods.get(period)
  if (!rows) periods.set(period, (rows = new Map()))
  let row = rows.get(id)
  if (!row) rows.set(id, (row = { key, bins: new Int32Array(FINE_BINS) }))
  return row
}

interface Taken {
  grain: number
  p: number
  row: HistRow
}

/** Rows as HIST_COLUMNS values one after another, at most `perChunk` rows an array. */
function valueChunks(rows: readonly Taken[], perChunk: number): number[][] {
  const width = HIST_COLUMNS.length
  const chunks: number[][] = []
  for (let i = 0; i < rows.length; i += perChunk) {
    const n = Math.min(perChunk, rows.length - i)
    const out = new Array<number>(n * width)
    let at = 0
    for (let j = i; j < i + n; j++) {
      const { grain, p, row } = rows[j]!
      const { key, bins } = row
      out[at++] = key[0]
      out[at++] = key[1]
      out[at++] = grain
      out[at++] = p
      out[at++] = key[2]
      out[at++] = key[3]
      out[at++] = key[4]
      out[at++] = key[5]
      for (let b = 0; b < FINE_BINS; b++) out[at++] = bins[b]!
    }
    chunks.push(out)
  }
  return chunks
}

/**
 * Duration histograms as addDurations() counts them, by day of the ticket's filing; a week's
 * rows are the sums of its days' rows, added up as each day is complete.
 */
export class HistogramRows {
  readonly #days: Periods = new Map()
  readonly #weeks: Periods = new Map()

  add(r: DurationRow): void {
    for (const [s, sv] of durationSlices(r)) {
      // The coarse row (cb = COARSE) counts per coarse bin; the row of its coarse bin, per fine bin.
      rowOf(this.#days, r.created_day, rowKey(s, sv, r.kind, r.unit, r.grp, COARSE), [s, sv, r.kind, r.unit, r.grp, COARSE]).bins[r.cb]!++
      rowOf(this.#days, r.created_day, rowKey(s, sv, r.kind, r.unit, r.grp, r.cb), [s, sv, r.kind, r.unit, r.grp, r.cb]).bins[r.fb]!++
    }
  }

  /**
   * Rows of the days and weeks before `day`'s, which no later ticket can add to (all with
   * Infinity), as HIST_COLUMNS values one after another (no array per row), in chunks of at
   * most HIST_ROWS_PER_INSERT rows.
   */
  takeBefore(day: number): number[][] {
    const taken: Taken[] = []
    for (const [p, rows] of this.#days) {
      if (p >= day) continue
      const week = weekOfDay(p)
      for (const [id, row] of rows) {
        taken.push({ grain: GRAIN_DAY, p, row })
        const sum = rowOf(this.#weeks, week, id, row.key).bins
        for (let b = 0; b < FINE_BINS; b++) sum[b]! += row.bins[b]!
      }
      this.#days.delete(p)
    }
    const lastWeek = day === Infinity ? Infinity : weekOfDay(day)
    for (const [p, rows] of this.#weeks) {
      if (p >= lastWeek) continue
      for (const row of rows.values()) taken.push({ grain: GRAIN_WEEK, p, row })
      this.#weeks.delete(p)
    }
    return valueChunks(taken, HIST_ROWS_PER_INSERT)
  }
}

export interface BatchFacts {
  stages: StageFact[]
  durations: DurationRow[]
  /** Complete histogram rows, in chunks of HIST_COLUMNS values one after another. */
  hist: number[][]
}

/**
 * Stage facts, durations and finished histogram rows of each batch, in filing order. `wd` is the
 * working-day measure the app would use for this calendar (its generation written beside it).
 */
export function reportFacts(wd: WorkdayMeasure) {
  const hist = new HistogramRows()
  const proposalTypes = new Set<string>(PROPOSAL_EVENTS)
  return {
    batch(batch: PlayedBatch): BatchFacts {
      const out: BatchFacts = { stages: [], durations: [], hist: [] }
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
          closed_at: row.closed_at ?? null,
          due_at: row.due_at ?? null,
        }
        const stages = []
        while (si < batch.stages.length && batch.stages[si]!.ticket_id === t.id) stages.push(batch.stages[si++]!)
        const proposals = []
        for (; ei < batch.events.length && batch.events[ei]!.ticket_id === t.id; ei++) {
          const e = batch.events[ei]!
          if (proposalTypes.has(e.type)) proposals.push({ type: e.type, created_at: e.created_at })
        }
        const counted = attributeProposals(stages, proposals)
        for (const s of stages) {
          const fact = deriveStageFact(t, s, undefined, pauses.get(s.id) ?? [], wd, counted.get(s.id)!)
          out.stages.push(fact)
          for (const d of durationRows(fact)) {
            out.durations.push(d)
            hist.add(d)
          }
        }
      }
      if (si !== batch.stages.length || ei !== batch.events.length) throw new Error('bench: stages or events out of ticket order')
      const last = batch.tickets[batch.tickets.length - 1]
      out.hist = last ? hist.takeBefore(reportDay(last.created_at)) : []
      return out
    },
    /** The rows of the last days and weeks. */
    finish(): number[][] {
      return hist.takeBefore(Infinity)
    },
  }
}
