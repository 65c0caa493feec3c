import type SQLite from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

// A token that changes whenever what a page shows may have changed, so that a read can be kept
// and handed to the next request until then (src/db/readCache.ts). Two sources:
// - commits by any other connection (another process, the CLI): SQLite's `PRAGMA data_version`;
// - writes on this connection: every statement Kysely runs passes through `trackWrites`, which
//   counts those that changed rows.
// Writes to bookkeeping tables that no kept read looks at (rate-limit windows, the mail outbox,
// idempotency keys…) do not count, or every page view of a busy office would throw the kept
// reads away. Sessions do count: the signed-in user of a session is a kept read, and a sign-out
// must end it at once (a session is touched at most once a minute, so that costs little).

/** Tables whose rows no kept read depends on. A read that joins one of these must not be kept. */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set([
  'one_time_tokens',
  'outbox',
  'access_links',
  'digest_runs',
  'idempotency_keys',
  'rate_limits',
])

const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i
const DML_TARGET = /^\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+"?(\w+)"?/i
const MENTIONS_WRITE = /\b(insert|update|delete|replace)\b/i

/** Whether running `sql` may change what kept reads show; decided once per statement text. */
export function countsAsWrite(sql: string): boolean {
  if (TRANSACTION_CONTROL.test(sql)) return false
  if (/^\s*select\b/i.test(sql) && !MENTIONS_WRITE.test(sql)) return false
  const target = DML_TARGET.exec(sql)?.[1]?.toLowerCase()
  return target === undefined || !BOOKKEEPING_TABLES.has(target)
}

export interface TrackedDatabase {
  /** What Kysely's dialect is given: the handle, with each statement's writes counted. */
  database: SqliteDatabase
  /** Different after any counted write on this connection or any commit by another one. */
  version(): string
}

export function trackWrites(sqlite: SQLite.Database): TrackedDatabase {
  let localWrites = 0
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  // Asked once per synchronous run of JavaScript: a page's kept reads (staff, calendar…) start
  // together and would each ask SQLite (≈ 3 µs a time at 1M tickets). Another connection's
  // commit is seen from the next microtask on, as if it had come a moment later; this
  // connection's own writes are counted in localWrites, which is always read afresh.
  let committed: number | null = null
  const forget = () => {
    committed = null
  }
  const othersVersion = () => {
    if (committed === null) {
      committed = dataVersion.get() as number
      queueMicrotask(forget)
    }
    return committed
  }
  const track = (sql: string, statement: SQLite.Statement): SqliteStatement => {
    const plain = statement as unknown as SqliteStatement
    if (!countsAsWrite(sql)) return plain
    if (statement.reader) {
      // An INSERT … RETURNING is a "reader" that writes; a plain SELECT is neither.
      if (!MENTIONS_WRITE.test(sql)) return plain
      return {
        reader: true,
        all(parameters) {
          const rows = statement.all(parameters)
          localWrites++
          return rows
        },
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => statement.iterate(parameters),
      }
    }
    return {
      reader: false,
      all: (parameters) => statement.all(parameters),
      run(parameters) {
        const result = statement.run(parameters)
        // DDL reports no changed rows but may change anything.
        if (Number(result.changes) > 0 || !DML_TARGET.test(sql)) localWrites++
        return result
      },
      iterate: (parameters) => statement.iterate(parameters),
    }
  }
  return {
    database: {
      prepare: (sql: string) => track(sql, sqlite.prepare(sql)),
      close: () => sqlite.close(),
    },
    version: () => `${othersVersion()}.${localWrites}`,
  }
}
