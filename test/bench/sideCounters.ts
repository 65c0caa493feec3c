// The report counters that sum whole days of tickets (cohort, escalations, closed, open), made by
// the app's own rebuild statements on a second connection: generate.ts runs this in a worker
// thread while its own connection sorts the durations and builds the indexes, the single-threaded
// tail of the load. The statements run unchanged against a scratch file that holds empty copies
// of those tables and has the bench database attached: SQLite resolves a table name in the main
// schema first, so the inserts land in the scratch file and the reads come from the bench data.
import SQLite from 'better-sqlite3'
import { rebuildStatements, rebuiltTables, type RebuildPart } from '../../src/reports/rebuild.js'

/** What the bulk load wrote itself; the rest of the report tables is made here. */
export const LOADED_PARTS: readonly RebuildPart[] = ['facts', 'histograms']

export interface SideCounters {
  /** The bench database, in WAL mode so these reads and the other connection's writes go on together. */
  file: string
  /** Where the counters are written (created afresh). */
  scratch: string
}

export function countOnTheSide({ file, scratch }: SideCounters): void {
  const side = new SQLite(scratch)
  try {
    side.pragma('journal_mode = OFF')
    side.pragma('synchronous = OFF')
    side.pragma('cache_size = -500000')
    side.pragma('temp_store = MEMORY')
    side.prepare('attach database ? as data').run(file)
    const create = side.prepare<[string], { sql: string }>(
      `select sql from data.sqlite_master where type = 'table' and name = ?`,
    )
    for (const table of rebuiltTables(LOADED_PARTS)) {
      const made = create.get(table)
      if (!made) throw new Error(`bench counters: no table ${table}`)
      side.exec(made.sql)
    }
    side.exec('begin')
    for (const statement of rebuildStatements(LOADED_PARTS)) side.exec(statement)
    side.exec('commit')
  } finally {
    side.close()
  }
}
