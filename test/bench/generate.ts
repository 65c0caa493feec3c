// Bench data: N tickets with a realistic spread, written through the application's own Kysely
// layer in batched transactions. A worker thread plays each ticket's journey through the real
// lifecycle (play.ts) while this thread writes the batch before it, so the two cores both work.
//
// What the app keeps beside the rows is written with the app's own functions: the search text
// (searchableText), the sidebar counters (counterNames), the report rollups (their rebuild). For
// speed the secondary indexes are dropped during the load and rebuilt from their own stored SQL.
// The result is then checked against the counts the app itself would keep.
import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { CompiledQuery, sql } from 'kysely'
import { createUser } from '../../src/auth/users.js'
import { openDatabase, type DB } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import type { Database } from '../../src/db/schema.js'
import { caseCounterName } from '../../src/domain/caseNumber.js'
import { seededRandom } from '../../src/demo/generate.js'
import { NAMES_ZH } from '../../src/demo/texts.js'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { rebuildReportRollups } from '../../src/reports/rebuild.js'
import { catchUpWorkingDays } from '../../src/reports/workdays.js'
import { loadDeadlineContext, type DeadlineContext } from '../../src/tickets/deadlineContext.js'
import { readWorkdayState, workdayMeasure, writeWorkdayState } from '../../src/reports/rollups.js'
import { workdayFingerprint } from '../../src/reports/units.js'
import { createPlayer, SPAN_DAYS, type PlayInit, type PlayedBatch, type Row } from './play.js'
import { HIST_COLUMNS, reportFacts } from './reportFacts.js'
import { noisePng } from './png.js'

/** Bumped whenever the generated data changes shape, so an old bench database is rebuilt. */
export const GENERATOR_VERSION = 2
export const BENCH_PASSWORD = 'ladder-bench-2026'
export const BENCH_AGENT = 'agent1@bench.ladder.test'
export const BENCH_MANAGER = 'manager1@bench.ladder.test'
const AGENTS = 20
const MANAGERS = 2
/** Tickets played and written per transaction; each insert statement carries at most ROWS rows. */
const BATCH = 5000
const ROWS = 200
const DAY = 24 * 3_600_000

export interface GenerateResult {
  tickets: number
  events: number
  stages: number
  evidence: number
  /** Seconds spent writing rows (and rebuilding their indexes), and deriving the report rollups. */
  rowSeconds: number
  migrateSeconds: number
  seconds: number
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Multi-row inserts whose SQL Kysely compiles once per table and row count: the SQL of a
 * 200-row insert is the same for every chunk, only its parameters change, and the connection's
 * statement cache then reuses the prepared statement. The first chunk of each shape is checked
 * against Kysely's own parameters, so a column order that differed would stop the load.
 */
class ChunkInserter {
  readonly #shapes = new Map<string, { sql: string; columns: string[] }>()
  constructor(private readonly db: DB) {}

  async insert<T extends keyof Database>(table: T, rows: readonly Row<T>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS) {
      const chunk = rows.slice(i, i + ROWS) as Record<string, unknown>[]
      const key = `${table}:${chunk.length}`
      let shape = this.#shapes.get(key)
      const params = (columns: string[]) => {
        const out: unknown[] = []
        for (const row of chunk) for (const c of columns) out.push(row[c] ?? null)
        return out
      }
      if (!shape) {
        // Kysely's insert types are generic over the table; the rows are checked where they are built.
        const compiled = this.db.insertInto(table).values(chunk as never).compile()
        const columns = Object.keys(chunk[0]!)
        const mine = params(columns)
        if (mine.length !== compiled.parameters.length || mine.some((v, j) => v !== compiled.parameters[j])) {
          throw new Error(`bench insert into ${table}: column order differs from Kysely's`)
        }
        shape = { sql: compiled.sql, columns }
        this.#shapes.set(key, shape)
      }
      await this.db.executeQuery(CompiledQuery.raw(shape.sql, params(shape.columns)))
    }
  }

  /**
   * Wide rows given as their values in `columns` order one after another (no object or array
   * per row), one statement per chunk.
   */
  async insertValues(table: keyof Database, columns: readonly string[], chunks: readonly unknown[][]): Promise<void> {
    const width = columns.length
    for (const chunk of chunks) {
      if (chunk.length % width) throw new Error(`bench insert into ${table}: ${chunk.length} values for rows of ${width}`)
      const key = `${table}:${width}:${chunk.length}`
      let shape = this.#shapes.get(key)
      if (!shape) {
        const objects = []
        for (let r = 0; r < chunk.length; r += width) objects.push(Object.fromEntries(columns.map((c, j) => [c, chunk[r + j]])))
        const compiled = this.db.insertInto(table).values(objects as never).compile()
        if (compiled.parameters.length !== chunk.length || compiled.parameters.some((v, j) => v !== chunk[j])) {
          throw new Error(`bench insert into ${table}: column order differs from Kysely's`)
        }
        shape = { sql: compiled.sql, columns: [...columns] }
        this.#shapes.set(key, shape)
      }
      await this.db.executeQuery(CompiledQuery.raw(shape.sql, chunk))
    }
  }
}

type Player = {
  play: (start: number, end: number) => Promise<PlayedBatch>
  years: () => Promise<[number, number][]>
  stop: () => Promise<unknown>
}

/** Asks the worker for batches in order, one ahead of the one being written. */
function startPlayer(init: PlayInit): Player {
  const worker = new Worker(new URL('./playWorker.js', import.meta.url), { workerData: init })
  const replies: ((v: unknown) => void)[] = []
  const failures: ((e: unknown) => void)[] = []
  worker.on('message', (m) => {
    replies.shift()?.(m)
    failures.shift()
  })
  worker.on('error', (e) => {
    for (const f of failures.splice(0)) f(e)
  })
  const ask = <T>(msg: unknown) =>
    new Promise<T>((resolve, reject) => {
      replies.push(resolve as (v: unknown) => void)
      failures.push(reject)
      worker.postMessage(msg)
    })
  return {
    play: (start: number, end: number) => ask<PlayedBatch>({ start, end }),
    years: () => ask<[number, number][]>('years'),
    stop: () => worker.terminate(),
  }
}

export interface GenerateOptions {
  dataDir: string
  tickets: number
  now: number
  seed?: number
  log: (line: string) => void
  /** Play in this thread rather than a worker (tests, which run the TypeScript sources). */
  inline?: boolean
}

function inlinePlayer(init: PlayInit): Player {
  const player = createPlayer(init)
  return {
    play: async (start, end) => player.play(start, end),
    years: async () => player.years(),
    stop: async () => undefined,
  }
}

export async function generateBenchData(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now()
  fs.rmSync(opts.dataDir, { recursive: true, force: true })
  fs.mkdirSync(opts.dataDir, { recursive: true })
  const database = openDatabase(path.join(opts.dataDir, 'ladder.db'))
  const { db, sqlite } = database
  // Only for this bulk load: the app's own settings apply again when the server opens the file.
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('cache_size = -1000000')
  let player: Player | null = null
  try {
    await migrateToLatest(db)
    const seed = opts.seed ?? 20261123
    const rnd = seededRandom(seed)
    const now = opts.now

    const agents: number[] = []
    for (let i = 1; i <= AGENTS + MANAGERS; i++) {
      const role = i <= AGENTS ? 'agent' : 'manager'
      const n = i <= AGENTS ? i : i - AGENTS
      const created = await createUser(
        db,
        { email: `${role}${n}@bench.ladder.test`, name: `${role === 'agent' ? 'Agent' : 'Manager'} ${n} ${rnd.pick(NAMES_ZH)}`, role, password: BENCH_PASSWORD },
        now - SPAN_DAYS * DAY,
      )
      if (!created.ok) throw new Error(`bench user: ${created.problem}`)
      if (role === 'agent') agents.push(created.user.id)
    }
    const providerRows = await db.selectFrom('providers').select(['id', 'slug']).orderBy('id').execute()
    const share: Record<string, number> = { alipay: 40, wechat_pay: 32, unionpay: 8, jd_pay: 6, douyin_pay: 5 }
    const providers = providerRows.map((p) => ({ id: p.id, weight: share[p.slug] ?? 2 }))

    const store = localEvidenceStore(path.join(opts.dataDir, 'evidence'))
    const files: { sha256: string; size: number }[] = []
    for (let i = 0; i < 12; i++) files.push(await store.put(noisePng(64 + i * 8, 48 + i * 4, rnd)))

    const deadlines = await loadDeadlineContext(db)
    const init: PlayInit = { tickets: opts.tickets, now, seed: seed + 1, deadlines, providers, agents, files }
    player = opts.inline ? inlinePlayer(init) : startPlayer(init)
    // Working days are measured as the batches are written, with the calendar the app would
    // adopt for its first ticket (rollups.ts measureFor).
    const workdays = await readWorkdayState(db)
    const gen = workdays.gen + 1
    await writeWorkdayState(db, { fp: workdayFingerprint(deadlines), gen, clean: true }, now)
    const facts = reportFacts(workdayMeasure(deadlines, gen, now))
    const counts = new Map<string, number>()
    const totals = { events: 0, stages: 0, evidence: 0 }
    const spent = { wait: 0, tickets: 0, stages: 0, events: 0, search: 0, facts: 0, reports: 0, hist: 0, other: 0 }
    let lastLog = performance.now()

    // Indexes are dropped for the load and rebuilt from their own stored SQL afterwards: a
    // sorted build is many times faster than a million scattered B-tree inserts.
    const indexes = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'index' and sql is not null
      and tbl_name in ('tickets', 'ladder_stages', 'clock_pauses', 'events', 'evidence', 'report_stages')`.execute(db)
    for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.name)}`.execute(db)

    const batchEnd = (start: number) => Math.min(opts.tickets, start + BATCH)
    let next: Promise<PlayedBatch> | null = player.play(0, batchEnd(0))
    for (let start = 0; start < opts.tickets; start += BATCH) {
      let t = performance.now()
      const lap = (k: keyof typeof spent) => {
        const now = performance.now()
        spent[k] += now - t
        t = now
      }
      const batch: PlayedBatch = await next!
      const following = batchEnd(start)
      next = following < opts.tickets ? player.play(following, batchEnd(following)) : null
      lap('wait')
      const reports = facts.batch(batch)
      lap('facts')
      await db.transaction().execute(async (trx) => {
        const rows = new ChunkInserter(trx)
        await rows.insert('tickets', batch.tickets)
        lap('tickets')
        await rows.insert('ladder_stages', batch.stages)
        await rows.insert('clock_pauses', batch.pauses)
        lap('stages')
        await rows.insert('events', batch.events)
        await rows.insert('evidence', batch.evidence)
        lap('events')
        for (let i = 0; i < batch.search.length; i += ROWS) {
          const values = batch.search.slice(i, i + ROWS).map(([id, body]) => sql`(${id}, ${body})`)
          await sql`insert into ticket_search (rowid, body) values ${sql.join(values)}`.execute(trx)
        }
        lap('search')
        await rows.insert('report_stages', reports.stages)
        await rows.insert('report_durations', reports.durations)
        lap('reports')
        await rows.insertValues('report_hist', HIST_COLUMNS, reports.hist)
        lap('hist')
      })
      lap('other')
      for (const [name, n] of batch.counters) counts.set(name, (counts.get(name) ?? 0) + n)
      totals.events += batch.events.length
      totals.stages += batch.stages.length
      totals.evidence += batch.evidence.length
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now()
        opts.log(`  ${following.toLocaleString('en')} tickets written (${((performance.now() - started) / 1000).toFixed(0)} s)`)
      }
    }
    const years = await player.years()
    const lastHist = facts.finish()
    await db.transaction().execute(async (trx) => {
      await new ChunkInserter(trx).insertValues('report_hist', HIST_COLUMNS, lastHist)
      for (const [name, n] of years.map(([year, n]) => [caseCounterName(year), n] as const).concat([...counts])) {
        await trx.insertInto('counters').values({ name, value: n }).execute()
      }
    })
    const indexStarted = performance.now()
    for (const ix of indexes.rows) await sql.raw(ix.sql).execute(db)
    const rowSeconds = (performance.now() - started) / 1000
    const s = (ms: number) => (ms / 1000).toFixed(1)
    opts.log(
      `  waited for the player ${s(spent.wait)} s; wrote tickets ${s(spent.tickets)} s, stages ${s(spent.stages)} s, ` +
        `events ${s(spent.events)} s, search ${s(spent.search)} s, report facts ${s(spent.facts)} + ${s(spent.reports)} s, histograms ${s(spent.hist)} s, ` +
        `commits ${s(spent.other)} s; indexed ${s(performance.now() - indexStarted)} s`,
    )
    const migrateStarted = performance.now()
    await rebuildRollups(db, deadlines)
    const migrateSeconds = (performance.now() - migrateStarted) / 1000
    opts.log(`  report counters rebuilt in ${migrateSeconds.toFixed(1)} s`)
    await verify(db, counts, opts.tickets)
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    return {
      tickets: opts.tickets,
      ...totals,
      rowSeconds,
      migrateSeconds,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    await player?.stop()
    await database.close()
  }
}


/**
 * The report counters (kept on every change by src/reports/rollups.ts) that sum whole days of
 * tickets are derived from the finished rows by that area's own rebuild, which keeps the stage
 * facts and histograms written during the load. The catch-up the server runs after a calendar
 * change then finds every working-day duration measured (it would measure any that were not).
 */
async function rebuildRollups(db: DB, deadlines: DeadlineContext): Promise<void> {
  await rebuildReportRollups(db, Date.now(), ['facts', 'histograms'])
  while (!(await catchUpWorkingDays(db, deadlines, Date.now(), 60_000, { batch: 25_000 })));
}

/** The invariants the app keeps: sidebar counters equal real counts, one search row per ticket. */
async function verify(db: DB, expected: Map<string, number>, tickets: number): Promise<void> {
  const rows = await db.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'queue:%').execute()
  const actual = new Map(rows.map((r) => [r.name, Number(r.value)]))
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    if ((expected.get(name) ?? 0) !== (actual.get(name) ?? 0)) {
      throw new Error(`counter ${name}: ${actual.get(name) ?? 0} kept, ${expected.get(name) ?? 0} real`)
    }
  }
  const { rows: search } = await sql<{ n: number }>`select count(*) as n from ticket_search`.execute(db)
  // A contentless index counts its rows through its docsize table.
  const { rows: docs } = await sql<{ n: number }>`select count(*) as n from ticket_search_docsize`.execute(db)
  const indexed = Math.max(Number(search[0]?.n ?? 0), Number(docs[0]?.n ?? 0))
  if (indexed !== tickets) throw new Error(`search index holds ${indexed} rows for ${tickets} tickets`)
}

export interface BenchMeta extends GenerateResult {
  generator: number
  generatedAt: string
}

/**
 * The bench database for N tickets under `root`: reused when an earlier run generated the same
 * count with this generator, generated afresh otherwise.
 */
export async function ensureBenchData(
  root: string,
  tickets: number,
  log: (line: string) => void,
): Promise<{ dataDir: string; meta: BenchMeta; reused: boolean }> {
  const dataDir = path.join(root, `t${tickets}`)
  const metaFile = path.join(dataDir, 'bench-meta.json')
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as BenchMeta
    if (meta.generator === GENERATOR_VERSION && meta.tickets === tickets && fs.existsSync(path.join(dataDir, 'ladder.db'))) {
      return { dataDir, meta, reused: true }
    }
  } catch {
    // No usable earlier data: generate it.
  }
  log(`Generating ${tickets.toLocaleString('en')} tickets in ${dataDir} …`)
  const result = await generateBenchData({ dataDir, tickets, now: Date.now(), log })
  const meta: BenchMeta = { ...result, generator: GENERATOR_VERSION, generatedAt: new Date().toISOString() }
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2))
  return { dataDir, meta, reused: false }
}
