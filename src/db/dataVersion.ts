import type SQLite from 'better-sqlite3'
import {
  AliasNode,
  CompiledQuery,
  DeleteQueryNode,
  InsertQueryNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
  type OperationNode,
  type QueryResult,
  type RootOperationNode,
} from 'kysely'
import { CACHE_IGNORED_TABLES, type Database } from './schema.js'

// A token that changes whenever what a page shows may have changed, so that a read can be cached
// and handed to the next request until then (src/db/readCache.ts). Two sources:
// - commits by any other connection (another process, the CLI): SQLite's `PRAGMA data_version`;
// - writes on this connection: the dialect (src/db/dialect.ts) reports every query it ran with
//   its result, and `wrote` counts those that may have changed what a cached read shows.
// Which table a query writes is read from the query Kysely built (its operation node), never
// from its SQL text. Writes to the tables the cache ignores (CACHE_IGNORED_TABLES, next to the
// schema) and writes that changed no row do not count. Raw SQL and schema changes count whenever
// SQLite says the statement writes, unless the query declares what it writes with
// `rawSqlWriting`: a write that is not understood is a write.

const declaredWrites = new WeakMap<OperationNode, readonly string[]>()

/**
 * Declares that raw SQL writes only `tables` (none: `BEGIN IMMEDIATE`, which SQLite calls writing
 * because it takes the write lock). It is then counted like a query Kysely built.
 */
export function rawSqlWriting<Q extends CompiledQuery>(
  tables: readonly (keyof Database)[],
  query: Q,
): Q {
  declaredWrites.set(query.query, tables)
  return query
}

/** The tables a query may write: [] for a read, null when only SQLite can tell. */
export function tablesWritten(query: RootOperationNode): readonly string[] | null {
  if (SelectQueryNode.is(query)) return []
  if (InsertQueryNode.is(query)) return named(query.into)
  if (UpdateQueryNode.is(query)) return named(query.table)
  if (DeleteQueryNode.is(query)) {
    return query.from.froms.length === 1 ? named(query.from.froms[0]) : null
  }
  return declaredWrites.get(query) ?? null
}

function named(node: OperationNode | undefined): string[] | null {
  const table = node && AliasNode.is(node) ? node.node : node
  if (!table || !TableNode.is(table) || table.table.schema) return null
  return [table.table.identifier.name]
}

export interface DataVersion {
  /** Different after any counted write on this connection or any commit by another one. */
  current(): string
  /**
   * Told of each query run on this connection with its result; `writes` is SQLite's own word on
   * whether the statement writes (better-sqlite3's `readonly`, negated).
   */
  ran(query: RootOperationNode, result: QueryResult<unknown>, writes: boolean): void
}

export function createDataVersion(
  sqlite: SQLite.Database,
  ignoredTables: readonly string[] = CACHE_IGNORED_TABLES,
): DataVersion {
  const ignored: ReadonlySet<string> = new Set(ignoredTables)
  let localWrites = 0
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  // Asked once per synchronous run of JavaScript: a page's cached reads (staff, calendar…) start
  // together and would each ask SQLite. Another connection's commit is seen from the next
  // microtask on, as if it had come a moment later; this connection's own writes are counted in
  // localWrites, which is always read afresh.
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
  return {
    current: () => `${othersVersion()}.${localWrites}`,
    ran(query, result, writes) {
      if (!writes) return
      const tables = tablesWritten(query)
      if (tables === null) {
        localWrites++
        return
      }
      const changed = Number(result.numAffectedRows ?? 0) > 0 || result.rows.length > 0
      if (changed && tables.some((t) => !ignored.has(t))) localWrites++
    },
  }
}
