import type SQLite from 'better-sqlite3'
import type { StatementSource } from './dialect.js'

// The SQLite driver (src/db/dialect.ts) calls prepare() for every query it runs; for the short queries of a
// page, preparing (parsing and planning) costs more than running them. Prepared statements are
// cached per SQL text, least recently used dropped first, so the same query is planned once.
// Safe here because Kysely runs one query at a time on the one connection (a streaming query
// holds that connection until it finishes), so a cached statement is never re-entered.

export const STATEMENT_CACHE_SIZE = 400

export function withStatementCache(
  sqlite: Pick<SQLite.Database, 'prepare' | 'close'>,
  size = STATEMENT_CACHE_SIZE,
): StatementSource {
  // Recency is a counter stamped on the entry, not the Map's order: re-inserting on every hit
  // made V8 reallocate the Map's table every few dozen hits, and those tables outlived the young
  // generation (≈ 0.6 MB a second promoted at 2,000 ticket pages a second). The least recent is
  // looked for on a miss.
  const cache = new Map<string, { statement: SQLite.Statement; used: number }>()
  let clock = 0
  return {
    prepare(sql: string): SQLite.Statement {
      const hit = cache.get(sql)
      if (hit) {
        hit.used = ++clock
        return hit.statement
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, { statement, used: ++clock })
      if (cache.size > size) {
        let oldest: string | undefined
        let oldestUse = Infinity
        for (const [key, entry] of cache) {
          if (entry.used < oldestUse) {
            oldestUse = entry.used
            oldest = key
          }
        }
        cache.delete(oldest!)
      }
      return statement
    },
    close(): void {
      cache.clear()
      sqlite.close()
    },
  }
}
