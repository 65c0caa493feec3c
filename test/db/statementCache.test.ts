import SQLite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { createDataVersion } from '../../src/db/dataVersion.js'
import { LadderSqliteDialect } from '../../src/db/dialect.js'
import { withStatementCache } from '../../src/db/statementCache.js'

const open: SQLite.Database[] = []
function memory() {
  const db = new SQLite(':memory:')
  open.push(db)
  return db
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
})

describe('statement cache', () => {
  it('prepares a query once and hands the same statement back', () => {
    const raw = memory()
    let prepared = 0
    const counting = new Proxy(raw, {
      get(target, prop) {
        if (prop === 'prepare') return (s: string) => (prepared++, target.prepare(s))
        const v = Reflect.get(target, prop) as unknown
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
    const cached = withStatementCache(counting, 2)
    const a = cached.prepare('select 1')
    expect(cached.prepare('select 1')).toBe(a)
    expect(prepared).toBe(1)
  })

  it('drops the least recently used statement when full', () => {
    const cached = withStatementCache(memory(), 2)
    const one = cached.prepare('select 1')
    const two = cached.prepare('select 2')
    cached.prepare('select 1') // now "select 2" is the oldest
    cached.prepare('select 3')
    expect(cached.prepare('select 1')).toBe(one)
    expect(cached.prepare('select 2')).not.toBe(two)
  })

  it('gives right answers through Kysely with changing parameters, writes and schema changes', async () => {
    const raw = memory()
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new LadderSqliteDialect(withStatementCache(raw), createDataVersion(raw)),
    })
    await sql`create table t (id integer primary key, v text)`.execute(db)
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute()
    for (let i = 1; i <= 5; i++) {
      const row = await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirst()
      expect(row?.v).toBe(`v${i}`)
    }
    // A cached statement still sees a column added after it was prepared.
    const before = await db
      .selectFrom('t')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    await sql`alter table t add column w text default 'x'`.execute(db)
    const after = await db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
    expect(Object.keys(before)).toEqual(['id', 'v'])
    expect(after).toEqual({ id: 1, v: 'v1', w: 'x' })
    // A streamed query holds the connection: the same SQL asked meanwhile waits, it does not re-enter.
    const seen: string[] = []
    const streaming = (async () => {
      for await (const r of db.selectFrom('t').select('v').orderBy('id').stream()) seen.push(r.v)
    })()
    const again = db.selectFrom('t').select('v').orderBy('id').execute()
    await streaming
    expect((await again).map((r) => r.v)).toEqual(seen)
    expect(seen).toHaveLength(5)
    await db.destroy()
    expect(raw.open).toBe(false)
  })
})
