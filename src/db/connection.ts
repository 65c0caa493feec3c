import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely } from 'kysely'
import { createDataVersion } from './dataVersion.js'
import { LadderSqliteDialect } from './dialect.js'
import { registerReadCache } from './readCache.js'
import { withStatementCache } from './statementCache.js'
import type { Database } from './schema.js'

export type DB = Kysely<Database>

export interface OpenedDatabase {
  db: DB
  /** The raw handle, for what only SQLite has: backups, PRAGMAs, checkpoints. */
  sqlite: SQLite.Database
  close(): Promise<void>
}

export function openDatabase(file: string): OpenedDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL under WAL is durable across process crashes; only an OS crash may lose the last commit.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 32 MB: the B-tree interior pages every query walks stay cached; at 1M tickets the leaf pages
  // a ticket page reads are far more than any cache holds, and come from the OS page cache. Twice
  // this bought no measurable speed and ≈ 30 MB more peak RSS.
  sqlite.pragma('cache_size = -32000')
  sqlite.pragma('temp_store = MEMORY')
  const version = createDataVersion(sqlite)
  const db = new Kysely<Database>({
    dialect: new LadderSqliteDialect(withStatementCache(sqlite), version),
  })
  registerReadCache(db, version.current)
  let closed = false
  return {
    db,
    sqlite,
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}
