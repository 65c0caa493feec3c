import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql, type Generated } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { createDataVersion, rawSqlWriting, tablesWritten } from '../../src/db/dataVersion.js'
import { LadderSqliteDialect } from '../../src/db/dialect.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { CACHE_IGNORED_TABLES } from '../../src/db/schema.js'
import { withStatementCache } from '../../src/db/statementCache.js'

interface Tables {
  notes: { id: Generated<number>; body: string }
  rate_limits: { id: Generated<number>; seen: number }
}

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

function tempFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-version-'))
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, 'db.sqlite')
}

async function open(file = ':memory:') {
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  const tracked = createDataVersion(sqlite, ['rate_limits'])
  const db = new Kysely<Tables>({
    dialect: new LadderSqliteDialect(withStatementCache(sqlite), tracked),
  })
  cleanup.push(() => void db.destroy())
  await sql`create table if not exists notes (id integer primary key, body text not null)`.execute(
    db,
  )
  await sql`create table if not exists rate_limits (id integer primary key, seen integer not null)`.execute(
    db,
  )
  return { db, version: tracked.current }
}

describe('what counts as a write', () => {
  it('reads the table a query writes from the query Kysely built, not from its SQL text', async () => {
    const { db } = await open()
    const node = (q: { toOperationNode(): unknown }) =>
      q.toOperationNode() as Parameters<typeof tablesWritten>[0]
    expect(tablesWritten(node(db.selectFrom('notes').selectAll()))).toEqual([])
    expect(tablesWritten(node(db.insertInto('notes').values({ body: 'x' })))).toEqual(['notes'])
    expect(tablesWritten(node(db.updateTable('rate_limits as r').set({ seen: 1 })))).toEqual([
      'rate_limits',
    ])
    expect(tablesWritten(node(db.deleteFrom('notes').where('id', '=', 1)))).toEqual(['notes'])
    // Raw SQL is not understood, whatever its text says, unless it declares what it writes.
    const raw = sql`update rate_limits set seen = 1`.compile(db)
    expect(tablesWritten(raw.query)).toBeNull()
    expect(
      tablesWritten(
        rawSqlWriting(['rate_limits'], sql`update rate_limits set seen = 2`.compile(db)).query,
      ),
    ).toEqual(['rate_limits'])
  })

  it('counts raw SQL and schema changes when SQLite says they write, and raw reads never', async () => {
    const { db, version } = await open()
    await db.insertInto('notes').values({ body: 'a' }).execute()
    const v0 = version()
    await sql`select body from notes`.execute(db)
    await sql`savepoint s`.execute(db)
    await sql`release s`.execute(db)
    expect(version()).toBe(v0)
    await sql`update rate_limits set seen = 3`.execute(db)
    const v1 = version()
    expect(v1).not.toBe(v0)
    await sql`create index notes_body on notes (body)`.execute(db)
    expect(version()).not.toBe(v1)
  })

  it('keeps to the ignored tables the schema declares, which change no other table behind its back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-version-'))
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    const opened = openDatabase(path.join(dir, 'db.sqlite'))
    cleanup.push(() => void opened.close())
    await migrateToLatest(opened.db)
    const tables = new Set(
      opened.sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all(),
    )
    for (const table of CACHE_IGNORED_TABLES) {
      expect(tables.has(table), table).toBe(true)
      const triggers = opened.sqlite
        .prepare("select name from sqlite_master where type = 'trigger' and tbl_name = ?")
        .all(table)
      expect(triggers, table).toEqual([])
      // A row deleted or changed here must not cascade into a table a cached read shows.
      for (const other of tables) {
        const keys = opened.sqlite.prepare(`pragma foreign_key_list("${String(other)}")`).all() as {
          table: string
          on_delete: string
          on_update: string
        }[]
        for (const k of keys.filter((k) => k.table === table)) {
          expect([k.on_delete, k.on_update], `${String(other)} → ${table}`).toEqual([
            'NO ACTION',
            'NO ACTION',
          ])
        }
      }
    }
    // The version moves for a write to a table pages show, and not for one the cache ignores.
    const cache = (await import('../../src/db/readCache.js')).readCacheOf(opened.db)!
    let loads = 0
    const read = () => cache.read('k', 0, async () => ({ value: ++loads }))
    await read()
    await opened.db
      .insertInto('rate_limits')
      .values({ key: 'x', window_start: 0, count: 1 })
      .execute()
    await read()
    expect(loads).toBe(1)
    await opened.db.insertInto('counters').values({ name: 'x', value: 1 }).execute()
    await read()
    expect(loads).toBe(2)
  })
})

describe('the data version', () => {
  it('moves when this connection changes rows, not when it reads or changes nothing', async () => {
    const { db, version } = await open()
    const v0 = version()
    await db.selectFrom('notes').selectAll().execute()
    await db.updateTable('notes').set({ body: 'x' }).where('id', '=', 42).execute()
    expect(version()).toBe(v0)
    await db.insertInto('notes').values({ body: '一条' }).execute()
    const v1 = version()
    expect(v1).not.toBe(v0)
    await db.insertInto('notes').values({ body: 'returned' }).returning('id').execute()
    expect(version()).not.toBe(v1)
  })

  it('moves inside a transaction as each write runs, and does not move for the transaction itself (BEGIN IMMEDIATE, COMMIT)', async () => {
    const { db, version } = await open()
    const v0 = version()
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('notes').selectAll().execute()
      expect(version()).toBe(v0)
      await trx.insertInto('notes').values({ body: 'a' }).execute()
      expect(version()).not.toBe(v0)
    })
  })

  it('ignores writes to bookkeeping tables such as rate limits', async () => {
    const { db, version } = await open()
    const v0 = version()
    await db.insertInto('rate_limits').values({ seen: 1 }).execute()
    await db.updateTable('rate_limits').set({ seen: 2 }).execute()
    expect(version()).toBe(v0)
  })

  it('moves when another connection (another process, the CLI) commits', async () => {
    const file = tempFile()
    const { db, version } = await open(file)
    await db.selectFrom('notes').selectAll().execute()
    const v0 = version()
    const other = new SQLite(file)
    cleanup.push(() => other.close())
    await Promise.resolve()
    other.prepare("insert into notes (body) values ('from elsewhere')").run()
    expect(version()).not.toBe(v0)
  })

  it('asks SQLite once per synchronous run: cached reads started together share one answer', async () => {
    const file = tempFile()
    const { db, version } = await open(file)
    const other = new SQLite(file)
    cleanup.push(() => other.close())
    const v0 = version()
    other.prepare("insert into notes (body) values ('meanwhile')").run()
    // Still the same run of JavaScript: as if the other commit came a moment later.
    expect(version()).toBe(v0)
    await Promise.resolve()
    const v1 = version()
    expect(v1).not.toBe(v0)
    // This connection's own writes count at once, within the run too.
    await db.insertInto('notes').values({ body: 'here' }).execute()
    const v2 = version()
    expect(v2).not.toBe(v1)
  })
})
