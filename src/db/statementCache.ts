import type { SqliteDatabase, SqliteStatement } from 'kysely'

// Kysely's SQLite driver calls prepare() for every query it runs; for the short queries of a
// page, preparing (parsing and planning) costs more than running them. Prepared statements are
// kept per SQL text, least recently used dropped first, so the same query is planned once.
// Safe here because Kysely runs one query at a time on the one connection (a streaming query
// holds that connection until it finishes), so a cached statement is never re-entered.

export const STATEMENT_CACHE_SIZE = 400

export function withStatementCache(sqlite: SqliteDatabase, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql)
      if (hit) {
        // Re-inserted so the Map's order is the order of last use.
        cache.delete(sql)
        cache.set(sql, hit)
        return hit
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > size) cache.delete(cache.keys().next().value!)
      return statement
    },
    close(): void {
      cache.clear()
      sqlite.close()
    },
  }
}
