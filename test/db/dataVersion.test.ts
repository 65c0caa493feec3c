import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql, type Generated } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { countsAsWrite, trackWrites } from '../../src/db/dataVersion.js'
import { ImmediateSqliteDialect } from '../../src/db/immediate.js'
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
  const tracked = trackWrites(sqlite)
  const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(tracked.database) }) })
  cleanup.push(() => void db.destroy())
  await sql`create table if not exists notes (id integer primary key, body text not null)`.execute(db)
  await sql`create table if not exists rate_limits (id integer primary key, seen integer not null)`.execute(db)
  return { db, version: tracked.version }
}

describe('what counts as a write', () => {
  it('sorts statements by whether they may change what a kept read shows', () => {
    expect(countsAsWrite('select * from "notes"')).toBe(false)
    expect(countsAsWrite('select "updated_at" from "notes"')).toBe(false)
    expect(countsAsWrite('begin immediate')).toBe(false)
    expect(countsAsWrite('commit')).toBe(false)
    expect(countsAsWrite('rollback')).toBe(false)
    expect(countsAsWrite('insert into "notes" ("body") values (?)')).toBe(true)
    expect(countsAsWrite('update "rate_limits" set "seen" = ?')).toBe(false)
    // A sign-out must end a kept session at once.
    expect(countsAsWrite('delete from "sessions" where "id_hash" = ?')).toBe(true)
    expect(countsAsWrite('delete from "rate_limits" where "until" < ?')).toBe(false)
    expect(countsAsWrite('insert or replace into "outbox" values (?)')).toBe(false)
    expect(countsAsWrite('insert into "ticket_sessions" values (?)')).toBe(true)
    expect(countsAsWrite('create index "x" on "notes" ("body")')).toBe(true)
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

  it('moves inside a transaction as each write runs, and does not move for the transaction itself', async () => {
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

  it('asks SQLite once per synchronous run: kept reads started together share one answer', async () => {
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
