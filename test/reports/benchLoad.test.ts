// The bench's bulk load writes the stage facts, durations and histograms itself while it writes
// the tickets (test/bench/reportFacts.ts) and leaves the rest to the rebuild. Its reports must be
// exactly those the app's own rebuild and working-day catch-up give for the same rows.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { ROLLUPS } from '../../src/reports/layout.js'
import { rebuildReportRollups, REPORT_TABLES } from '../../src/reports/rebuild.js'
import { readWorkdayState } from '../../src/reports/rollups.js'
import { businessLevels } from '../../src/reports/units.js'
import { catchUpWorkingDays } from '../../src/reports/workdays.js'
import { loadDeadlineContext } from '../../src/deadlines/context.js'
import type { DB } from '../../src/db/connection.js'
import { generateBenchData } from '../bench/generate.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/**
 * Every report table's rows, copied aside (`aside`) or compared with the copy (`differ`: rows
 * in one and not the other, both ways), in SQL since the histograms have 136 columns a row. The
 * working-day generation is compared as "some generation": a rebuild starts a new one.
 */
async function columnsOf(db: DB, table: string): Promise<string> {
  const { rows } = await sql<{
    name: string
  }>`select name from pragma_table_info(${table})`.execute(db)
  return rows
    .map((r) =>
      r.name === 'unit' || r.name === 'wd_gen'
        ? `(${r.name} > 0) * -1 + (${r.name} <= 0) * ${r.name} as ${r.name}`
        : r.name,
    )
    .join(', ')
}
async function aside(db: DB): Promise<void> {
  for (const table of REPORT_TABLES) {
    await sql
      .raw(
        `create temp table loaded_${table} as select ${await columnsOf(db, table)} from ${table}`,
      )
      .execute(db)
  }
}
async function differ(db: DB): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {}
  for (const table of REPORT_TABLES) {
    const now = `select ${await columnsOf(db, table)} from ${table}`
    const count = async (q: string) =>
      Number(
        (await sql.raw<{ n: number }>(`select count(*) as n from (${q})`).execute(db)).rows[0]!.n,
      )
    out[table] = [
      await count(`select * from loaded_${table} except ${now}`),
      await count(`${now} except select * from loaded_${table}`),
    ]
  }
  return out
}

const count = async (db: DB, q: string) =>
  Number((await sql.raw<{ n: number }>(`select count(*) as n from ${q}`).execute(db)).rows[0]!.n)

describe('the bench data', () => {
  it('has every index of the schema and the report rollups the app itself derives from the same tickets', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-bench-'))
    dirs.push(dataDir)
    const now = Date.UTC(2026, 10, 23, 4)
    const result = await generateBenchData({
      dataDir,
      tickets: 3000,
      now,
      seed: 99,
      log: () => {},
      inline: true,
    })
    expect(result.tickets).toBe(3000)

    // Left in WAL mode, as the app keeps its database (file header bytes 18 and 19 are 2 in WAL mode).
    const header = Buffer.alloc(20)
    const fd = fs.openSync(path.join(dataDir, 'ladder.db'), 'r')
    fs.readSync(fd, header, 0, 20, 0)
    fs.closeSync(fd)
    expect([header[18], header[19]]).toEqual([2, 2])

    const database = openDatabase(path.join(dataDir, 'ladder.db'))
    try {
      const db = database.db
      // Enough of everything that a difference would show: durations in calendar and working
      // days, coarse and fine histogram rows by day and by week.
      const deadlines = await loadDeadlineContext(db)
      const business = businessLevels(deadlines)
      expect(business.length).toBeGreaterThan(0)
      expect(await count(db, 'report_stages')).toBe(result.stages)
      expect(await count(db, 'report_durations where unit = 0')).toBeGreaterThan(3000)
      expect(await count(db, 'report_durations where unit > 0')).toBeGreaterThan(100)
      for (const g of [0, 1]) {
        expect(
          await count(db, `report_hist where g = ${g} and cb = -1 and unit = 0`),
        ).toBeGreaterThan(100)
        expect(
          await count(db, `report_hist where g = ${g} and cb >= 0 and unit > 0`),
        ).toBeGreaterThan(100)
      }
      for (const table of ['report_cohort', 'report_escalations', 'report_closed', 'report_open'])
        expect(await count(db, table)).toBeGreaterThan(100)
      const state = await readWorkdayState(db)
      expect(state.fp).not.toBeNull()
      // Nothing left for the catch-up to measure.
      const levels = business.map((l) => `'${l}'`).join(', ')
      expect(
        await count(
          db,
          `report_stages where level in (${levels}) and wd_gen < ${state.gen} and (fr_ms is not null or res_ms is not null)`,
        ),
      ).toBe(0)

      // Every index the schema has is there again, and the search index merges as it did.
      const fresh = openDatabase(path.join(dataDir, 'fresh.db'))
      try {
        await migrateToLatest(fresh.db)
        const indexes = async (d: DB) =>
          (
            await sql<{
              name: string
              sql: string | null
            }>`select name, sql from sqlite_master where type = 'index' order by name`.execute(d)
          ).rows
        expect(await indexes(db)).toEqual(await indexes(fresh.db))
      } finally {
        await fresh.close()
      }
      const automerge = await sql<{
        v: number
      }>`select v from ticket_search_config where k = 'automerge'`.execute(db)
      expect(automerge.rows.map((r) => Number(r.v))).toEqual([4])

      await aside(db)
      await rebuildReportRollups(db, now)
      expect(await catchUpWorkingDays(db, deadlines, now, 60_000)).toBe(true)
      expect(await differ(db)).toEqual(Object.fromEntries(REPORT_TABLES.map((t) => [t, [0, 0]])))
    } finally {
      await database.close()
    }
  }, 60_000)
})
