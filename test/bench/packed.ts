// A played batch as the writer inserts it: each table's rows as their values in column order,
// one after another, in chunks of one insert statement each. Made in the player's thread, so the
// writer only binds parameters: an array of numbers and strings crosses threads far cheaper than
// millions of small objects, and the writer (the load's busier thread) builds nothing per row.
import type { Database } from '../../src/db/schema.js'
import { reportDay } from '../../src/reports/periods.js'
import { workdayMeasure } from '../../src/reports/rollups.js'
import { createPlayer, type PlayedBatch, type PlayInit } from './play.js'
import { DURATION_COLUMNS, stageFacts } from './reportFacts.js'

/** Rows per insert statement (SQLite binds at most 32766 parameters in one). */
const ROWS = 200

export interface PackedRows {
  table: keyof Database
  columns: string[]
  /** Values in `columns` order, row after row; one insert statement each. */
  chunks: unknown[][]
}

export interface PackedBatch {
  /** In insert order: tickets before the rows that point at them. */
  tables: PackedRows[]
  /**
   * report_durations rows as DURATION_COLUMNS values: for the staging table (they go into
   * report_durations in key order at the end), and counted into the histograms by the writer.
   */
  durations: unknown[][]
  /** The report day of the batch's last filing: the histograms of earlier days are complete. */
  lastDay: number | null
  /** [rowid, body] pairs for the search index. */
  search: unknown[][]
  counters: [string, number][]
  rows: { tickets: number; stages: number; events: number; evidence: number }
  /** Milliseconds the player spent on this batch (its thread's share of the load). */
  playMs: number
}

/** Rows of one shape (every row built by the same literal) as chunks of values. */
function pack(table: keyof Database, rows: readonly object[], perChunk = ROWS): PackedRows {
  const columns = rows.length ? Object.keys(rows[0]!) : []
  return {
    table,
    columns,
    chunks: chunkValues(rows as readonly Record<string, unknown>[], columns, perChunk),
  }
}

/**
 * Appends a row's values to `out` in `columns` order (absent ones as null). Compiled once per
 * column list, so each value is a named property read rather than a read by computed key
 * (≈ 150M values at 1M tickets).
 */
type RowCopier = (row: Record<string, unknown>, out: unknown[]) => void
const copiers = new Map<string, RowCopier>()

function copierOf(columns: readonly string[]): RowCopier {
  const id = columns.join(',')
  let copier = copiers.get(id)
  if (!copier) {
    for (const c of columns)
      if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`bench: unexpected column name ${c}`)
    copier = new Function(
      'row',
      'out',
      `out.push(${columns.map((c) => `row.${c} ?? null`).join(', ')})`,
    ) as RowCopier
    copiers.set(id, copier)
  }
  return copier
}

function chunkValues(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  perChunk: number,
): unknown[][] {
  const chunks: unknown[][] = []
  const copy = copierOf(columns)
  for (let i = 0; i < rows.length; i += perChunk) {
    // Filled by push, never preallocated: a holey array crosses threads element by element.
    const out: unknown[] = []
    for (let r = i; r < Math.min(rows.length, i + perChunk); r++) copy(rows[r]!, out)
    chunks.push(out)
  }
  return chunks
}

/** The batch's rows with its stage facts and durations (`facts`), packed. */
function packBatch(batch: PlayedBatch, facts: ReturnType<typeof stageFacts>): PackedBatch {
  const reports = facts(batch)
  const search: unknown[][] = []
  for (let i = 0; i < batch.search.length; i += ROWS)
    search.push(batch.search.slice(i, i + ROWS).flat())
  const last = batch.tickets[batch.tickets.length - 1]
  return {
    tables: [
      pack('tickets', batch.tickets),
      pack('ladder_stages', batch.stages),
      pack('clock_pauses', batch.pauses),
      pack('events', batch.events),
      pack('evidence', batch.evidence),
      pack('report_stages', reports.stages),
    ],
    durations: chunkValues(
      reports.durations as unknown as Record<string, unknown>[],
      DURATION_COLUMNS,
      ROWS,
    ),
    lastDay: last ? reportDay(last.created_at) : null,
    search,
    counters: batch.counters,
    rows: {
      tickets: batch.tickets.length,
      stages: batch.stages.length,
      events: batch.events.length,
      evidence: batch.evidence.length,
    },
    playMs: 0,
  }
}

/** Plays batches in order (createPlayer) and packs each with its stage facts. */
export function packedPlayer(init: PlayInit) {
  const player = createPlayer(init)
  const facts = stageFacts(workdayMeasure(init.deadlines, init.workdayGeneration, init.now))
  return {
    play: (start: number, end: number): PackedBatch => {
      const started = performance.now()
      const packed = packBatch(player.play(start, end), facts)
      packed.playMs = performance.now() - started
      return packed
    },
    /** Case-number counters per year, after the last batch. */
    years: (): [number, number][] => player.years(),
  }
}
