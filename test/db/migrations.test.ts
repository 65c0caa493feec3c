import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../src/db/connection.js'
import { createMigrator, migrateToLatest } from '../../src/db/migrate.js'

let opened: OpenedDatabase[] = []
function freshFile() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-mig-')), 'nested', 'ladder.db')
}
function open(file: string) {
  const d = openDatabase(file)
  opened.push(d)
  return d
}
afterEach(async () => {
  for (const d of opened) await d.close()
  opened = []
})

const CORE_TABLES = [
  'tickets',
  'events',
  'users',
  'ladder_stages',
  'evidence',
  'contact_attempts',
  'sessions',
  'outbox',
  'idempotency_keys',
  'providers',
]

async function tableNames(d: OpenedDatabase) {
  const tables = await d.db.introspection.getTables()
  return tables.map((t) => t.name)
}

describe('migrations', () => {
  it('create the whole model on an empty database, creating its folder', async () => {
    const file = freshFile()
    const d = open(file)
    const applied = await migrateToLatest(d.db)
    expect(applied[0]).toBe('0001_initial')
    expect(fs.existsSync(file)).toBe(true)
    expect(await tableNames(d)).toEqual(expect.arrayContaining(CORE_TABLES))
    const tickets = (await d.db.introspection.getTables()).find((t) => t.name === 'tickets')!
    expect(tickets.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'id',
        'case_number',
        'status',
        'level',
        'version',
        'due_at',
        'paused_at',
        'amount_minor',
        'currency',
        'self_help',
      ]),
    )
    const providers = await d.db.selectFrom('providers').select('slug').execute()
    expect(providers.map((p) => p.slug)).toContain('alipay')
  })

  it('apply nothing on an already-migrated database and keep its data', async () => {
    const file = freshFile()
    const first = open(file)
    await migrateToLatest(first.db)
    await first.db.insertInto('counters').values({ name: 'kept', value: 41 }).execute()
    await first.close()
    const second = open(file)
    expect(await migrateToLatest(second.db)).toEqual([])
    const row = await second.db
      .selectFrom('counters')
      .select('value')
      .where('name', '=', 'kept')
      .executeTakeFirst()
    expect(row?.value).toBe(41)
  })

  it('can be rolled all the way down and up again', async () => {
    const d = open(freshFile())
    await migrateToLatest(d.db)
    const migrator = createMigrator(d.db)
    let result
    do {
      result = await migrator.migrateDown()
      expect(result.error).toBeUndefined()
    } while (result.results?.length)
    expect((await tableNames(d)).filter((n) => CORE_TABLES.includes(n))).toEqual([])
    expect((await migrateToLatest(d.db)).length).toBeGreaterThan(0)
  })

  it('open SQLite with WAL, foreign keys and a busy timeout', async () => {
    const d = open(freshFile())
    expect(d.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(d.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(d.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000)
    await migrateToLatest(d.db)
    await expect(
      sql`insert into events (ticket_id, type, visibility, actor_type, payload, created_at) values (999, 'x', 'public', 'system', '{}', 0)`.execute(
        d.db,
      ),
    ).rejects.toThrow(/FOREIGN KEY/)
  })

  it('index the queue filters and the deadline sort, without the plain due indexes the sort keys replaced', async () => {
    const d = open(freshFile())
    await migrateToLatest(d.db)
    const names = () =>
      (
        d.sqlite
          .prepare("select name from sqlite_master where type = 'index' and tbl_name = 'tickets'")
          .all() as { name: string }[]
      ).map((i) => i.name)
    expect(names()).toEqual(
      expect.arrayContaining([
        'tickets_open_qdue',
        'tickets_open_level_qdue',
        'tickets_open_assignee_qdue',
        'tickets_status_qdue',
        'tickets_qdue',
      ]),
    )
    const superseded = [
      'tickets_status_due',
      'tickets_level_due',
      'tickets_category_due',
      'tickets_provider_due',
      'tickets_assignee_due',
      'tickets_due',
      'tickets_amount',
      'tickets_open_due',
    ]
    for (const name of superseded) expect(names()).not.toContain(name)
    // Going back to before migration 0010 brings them back.
    const { error } = await createMigrator(d.db).migrateTo('0009_report_rollups')
    expect(error).toBeUndefined()
    expect(names()).toEqual(expect.arrayContaining(superseded))
  })
})
