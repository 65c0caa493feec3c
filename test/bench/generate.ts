// Bench data: N tickets with a realistic spread, written through the application's own Kysely
// layer in batched transactions. A worker thread plays each ticket's journey through the real
// lifecycle (play.ts), derives its report facts and packs the rows (packed.ts) a few batches
// ahead, while this thread writes them, so the two cores both work.
//
// What the app keeps beside the rows is written with the app's own functions: the search text
// (searchableText), the sidebar counters (counterNames), the report facts and histograms (facts.ts
// and durations.ts, via reportFacts.ts) and the other report counters (the rollups' rebuild). For
// speed the secondary indexes not filled in key order are dropped during the load and rebuilt from
// their own stored SQL, and the durations wait in a staging table to be written in key order. The
// result is then checked against the counts the app itself would keep.
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
import { rebuiltTables } from '../../src/reports/rebuild.js'
import { catchUpWorkingDays } from '../../src/reports/workdays.js'
import { loadDeadlineContext } from '../../src/deadlines/context.js'
import { readWorkdayState, writeWorkdayState } from '../../src/reports/rollups.js'
import { workdayFingerprint } from '../../src/reports/units.js'
import { packedPlayer, type PackedBatch, type PackedRows } from './packed.js'
import { SPAN_DAYS, type PlayInit } from './play.js'
import { DURATION_COLUMNS, HistogramRows } from './reportFacts.js'
import { countOnTheSide, LOADED_PARTS, type SideCounters } from './sideCounters.js'
import { noisePng } from './png.js'

/** Bumped whenever the generated data changes shape, so an old bench database is rebuilt. */
export const GENERATOR_VERSION = 4
export const BENCH_PASSWORD = 'ladder-bench-2026'
export const BENCH_AGENT = 'agent1@bench.ladder.test'
export const BENCH_MANAGER = 'manager1@bench.ladder.test'
const AGENTS = 20
const MANAGERS = 2
/** Tickets played and written per transaction (each insert statement carries at most 200 rows, packed.ts). */
const BATCH = 5000
/** Batches the player works ahead of the writer (one ahead made the writer wait 30 s of 155 at 1M). */
const PLAYER_AHEAD = 3
/**
 * Indexes kept during the load: their rows arrive in key order (keyed first by the ticket or
 * stage, or by filing time), so each insert appends to the index, and a rebuild would sort what
 * is already sorted. The others (keyed by status, type, amount, due date …) are dropped.
 */
const KEPT_INDEXES = new Set([
  'events_ticket',
  'evidence_ticket',
  'ladder_stages_ticket',
  'ladder_stages_report',
  'ladder_stages_level_entered',
  'clock_pauses_stage',
  'tickets_created',
  'tickets_report_created',
  'tickets_open_created',
])
const STAGED_DURATIONS = 'temp.bench_durations'
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
 * Multi-row inserts of packed values (packed.ts) whose SQL Kysely compiles once per table and
 * row count: the SQL of a 200-row insert is the same for every chunk, only its parameters change,
 * and the connection's statement cache then reuses the prepared statement. The first chunk of
 * each shape is checked against Kysely's own parameters, so a column order that differed would
 * stop the load.
 */
class ChunkInserter {
  readonly #shapes = new Map<string, string>()

  async insert(db: DB, { table, columns, chunks }: PackedRows): Promise<void> {
    const width = columns.length
    for (const chunk of chunks) {
      if (chunk.length % width)
        throw new Error(`bench insert into ${table}: ${chunk.length} values for rows of ${width}`)
      const key = `${table}:${width}:${chunk.length}`
      let shape = this.#shapes.get(key)
      if (!shape) {
        const objects = []
        for (let r = 0; r < chunk.length; r += width)
          objects.push(Object.fromEntries(columns.map((c, j) => [c, chunk[r + j]])))
        const compiled = db
          .insertInto(table)
          .values(objects as never)
          .compile()
        if (
          compiled.parameters.length !== chunk.length ||
          compiled.parameters.some((v, j) => v !== chunk[j])
        ) {
          throw new Error(`bench insert into ${table}: column order differs from Kysely's`)
        }
        this.#shapes.set(key, (shape = compiled.sql))
      }
      await db.executeQuery(CompiledQuery.raw(shape, chunk))
    }
  }

  /** Into a table Kysely's schema does not know (the search index, the staging table). */
  async insertRaw(
    db: DB,
    into: string,
    columns: readonly string[],
    chunks: readonly unknown[][],
  ): Promise<void> {
    const row = `(${columns.map(() => '?').join(', ')})`
    for (const chunk of chunks) {
      const key = `${into}:${chunk.length}`
      let shape = this.#shapes.get(key)
      if (!shape) {
        shape = `insert into ${into} (${columns.join(', ')}) values ${Array.from({ length: chunk.length / columns.length }, () => row).join(', ')}`
        this.#shapes.set(key, shape)
      }
      await db.executeQuery(CompiledQuery.raw(shape, chunk))
    }
  }
}

type Player = {
  play: (start: number, end: number) => Promise<PackedBatch>
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
    play: (start: number, end: number) => ask<PackedBatch>({ start, end }),
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
  const player = packedPlayer(init)
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
  const file = path.join(opts.dataDir, 'ladder.db')
  const database = openDatabase(file)
  const { db, sqlite } = database
  // Only for this bulk load: the app's own settings apply again when the server opens the file.
  sqlite.pragma('synchronous = OFF')
  // A rollback journal in memory rather than the WAL while the rows are written: each page is
  // written once, not to the WAL and then again by its checkpoint (commits 20 -> 14 s at 1M
  // tickets). A failed load still rolls back; a crashed one is made again (its metadata is
  // written last). The load's tail switches to the WAL, as the app keeps the file.
  sqlite.pragma('journal_mode = MEMORY')
  sqlite.pragma('cache_size = -1000000')
  let player: Player | null = null
  let sideCounters: Counting | null = null
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
        {
          email: `${role}${n}@bench.ladder.test`,
          name: `${role === 'agent' ? 'Agent' : 'Manager'} ${n} ${rnd.pick(NAMES_ZH)}`,
          role,
          password: BENCH_PASSWORD,
        },
        now - SPAN_DAYS * DAY,
      )
      if (!created.ok) throw new Error(`bench user: ${created.problem}`)
      if (role === 'agent') agents.push(created.user.id)
    }
    const providerRows = await db
      .selectFrom('providers')
      .select(['id', 'slug'])
      .orderBy('id')
      .execute()
    const share: Record<string, number> = {
      alipay: 40,
      wechat_pay: 32,
      unionpay: 8,
      jd_pay: 6,
      douyin_pay: 5,
    }
    const providers = providerRows.map((p) => ({ id: p.id, weight: share[p.slug] ?? 2 }))

    const store = localEvidenceStore(path.join(opts.dataDir, 'evidence'))
    const files: { sha256: string; size: number }[] = []
    for (let i = 0; i < 12; i++) files.push(await store.put(noisePng(64 + i * 8, 48 + i * 4, rnd)))

    const deadlines = await loadDeadlineContext(db)
    opts.log(
      `  schema, users and evidence files in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    // Working days are measured as the batches are played, with the calendar the app would
    // adopt for its first ticket (rollups.ts measureFor).
    const workdays = await readWorkdayState(db)
    const workdayGeneration = workdays.gen + 1
    await writeWorkdayState(
      db,
      { fp: workdayFingerprint(deadlines), gen: workdayGeneration, clean: true },
      now,
    )
    const init: PlayInit = {
      tickets: opts.tickets,
      now,
      seed: seed + 1,
      deadlines,
      providers,
      agents,
      files,
      workdayGeneration,
    }
    player = opts.inline ? inlinePlayer(init) : startPlayer(init)
    const counts = new Map<string, number>()
    const totals = { events: 0, stages: 0, evidence: 0 }
    const spent = new Map<string, number>()
    let lastLog = performance.now()

    // Indexes are dropped for the load and rebuilt from their own stored SQL afterwards: a
    // sorted build is many times faster than a million scattered B-tree inserts. For the same
    // reason the durations (keyed by bin and value) wait in a staging table, in filing order.
    const indexes = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'index' and sql is not null
      and tbl_name in ('tickets', 'ladder_stages', 'clock_pauses', 'events', 'evidence', 'report_stages')`.execute(
      db,
    )
    const dropped = indexes.rows.filter((ix) => !KEPT_INDEXES.has(ix.name))
    for (const ix of dropped) await sql`drop index ${sql.id(ix.name)}`.execute(db)
    // The search index merges its segments once at the end rather than as it grows.
    await searchIndexOption(db, 'automerge', 0)
    await sql
      .raw(
        `create temp table ${STAGED_DURATIONS} as select ${DURATION_COLUMNS.join(', ')} from report_durations where false`,
      )
      .execute(db)

    const rows = new ChunkInserter()
    // Counted here, from the packed durations: the player's thread has as much work already.
    const hist = new HistogramRows()
    const batchEnd = (start: number) => Math.min(opts.tickets, start + BATCH)
    const ahead: Promise<PackedBatch>[] = []
    let asked = 0
    const askAhead = () => {
      while (ahead.length < PLAYER_AHEAD && asked < opts.tickets) {
        ahead.push(player!.play(asked, batchEnd(asked)))
        asked = batchEnd(asked)
      }
    }
    askAhead()
    for (let start = 0; start < opts.tickets; start += BATCH) {
      let t = performance.now()
      const lap = (k: string) => {
        const now = performance.now()
        spent.set(k, (spent.get(k) ?? 0) + now - t)
        t = now
      }
      const batch = await ahead.shift()!
      askAhead()
      const following = batchEnd(start)
      lap('waiting for the player')
      spent.set('(player busy)', (spent.get('(player busy)') ?? 0) + batch.playMs)
      await db.transaction().execute(async (trx) => {
        for (const table of batch.tables) {
          await rows.insert(trx, table)
          lap(table.table)
        }
        await rows.insertRaw(trx, STAGED_DURATIONS, DURATION_COLUMNS, batch.durations)
        lap('report_durations (staged)')
        for (const chunk of batch.durations) hist.addPacked(chunk)
        lap('histograms counted')
        if (batch.lastDay !== null)
          for (const packed of hist.takeBefore(batch.lastDay)) await rows.insert(trx, packed)
        lap('report_hist')
        await rows.insertRaw(trx, 'ticket_search', ['rowid', 'body'], batch.search)
        lap('ticket_search')
      })
      lap('commits')
      for (const [name, n] of batch.counters) counts.set(name, (counts.get(name) ?? 0) + n)
      totals.events += batch.rows.events
      totals.stages += batch.rows.stages
      totals.evidence += batch.rows.evidence
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now()
        opts.log(
          `  ${following.toLocaleString('en')} tickets written (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        )
      }
    }
    const years = await player.years()
    await db.transaction().execute(async (trx) => {
      for (const packed of hist.takeBefore(Infinity)) await rows.insert(trx, packed)
      for (const [name, n] of years
        .map(([year, n]) => [caseCounterName(year), n] as const)
        .concat([...counts])) {
        await trx.insertInto('counters').values({ name, value: n }).execute()
      }
    })
    const s = (ms: number) => (ms / 1000).toFixed(1)
    opts.log(`  ${[...spent].map(([k, ms]) => `${k} ${s(ms)} s`).join(', ')}`)
    let phase = performance.now()
    const took = () => {
      const ms = performance.now() - phase
      phase = performance.now()
      return s(ms)
    }
    // The rest is single-threaded SQL on this connection. Meanwhile a second connection makes the
    // report counters from the finished rows (sideCounters.ts); a reader beside a writer needs
    // the WAL, where the app keeps the file anyway.
    if (sqlite.pragma('journal_mode = WAL', { simple: true }) !== 'wal')
      throw new Error('bench: the database did not switch to WAL')
    const scratch = path.join(opts.dataDir, 'counters.db')
    sideCounters = opts.inline ? countInline({ file, scratch }) : countInWorker({ file, scratch })
    await db.transaction().execute(async (trx) => {
      const cols = DURATION_COLUMNS.join(', ')
      await sql
        .raw(
          `insert into report_durations (${cols}) select ${cols} from ${STAGED_DURATIONS} order by kind, unit, grp, cb, fb, value, stage_id`,
        )
        .execute(trx)
      await sql.raw(`drop table ${STAGED_DURATIONS}`).execute(trx)
    })
    opts.log(`  durations in key order ${took()} s`)
    for (const ix of dropped) await sql.raw(ix.sql).execute(db)
    opts.log(`  indexes rebuilt ${took()} s`)
    await searchIndexOption(db, 'automerge', FTS5_DEFAULT_AUTOMERGE)
    await sql`insert into ticket_search (ticket_search) values ('optimize')`.execute(db)
    opts.log(`  search index merged ${took()} s`)
    const rowSeconds = (performance.now() - started) / 1000
    const migrateStarted = performance.now()
    await sideCounters.done
    opts.log(`  report counters made beside (waited ${took()} s)`)
    await copyCounters(db, scratch)
    fs.rmSync(scratch, { force: true })
    while (!(await catchUpWorkingDays(db, deadlines, Date.now(), 60_000, { batch: 25_000 })));
    const migrateSeconds = (performance.now() - migrateStarted) / 1000
    opts.log(`  report counters copied in ${took()} s`)
    const verifyStarted = performance.now()
    await verify(db, counts, opts.tickets)
    opts.log(`  verified in ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s`)
    return {
      tickets: opts.tickets,
      ...totals,
      rowSeconds,
      migrateSeconds,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    await player?.stop()
    await sideCounters?.stop()
    await database.close()
  }
}

/** SQLite's FTS5 merges level segments once this many exist (its default, restored after the load). */
const FTS5_DEFAULT_AUTOMERGE = 4

async function searchIndexOption(db: DB, option: 'automerge', value: number): Promise<void> {
  if (!Number.isInteger(value)) throw new Error(`bench: ${option} ${value}`)
  // FTS5 wants the value as an integer literal (a bound number fails with "SQL logic error").
  await sql
    .raw(`insert into ticket_search (ticket_search, rank) values ('${option}', ${value})`)
    .execute(db)
}

type Counting = { done: Promise<void>; stop: () => Promise<unknown> }

function countInWorker(side: SideCounters): Counting {
  const worker = new Worker(new URL('./sideCountersWorker.js', import.meta.url), {
    workerData: side,
  })
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`bench counters: worker stopped (${code})`)))
  })
  // Waited for only at the end of the tail; a failure before then must not go unhandled.
  done.catch(() => {})
  return { done, stop: () => worker.terminate() }
}

function countInline(side: SideCounters): Counting {
  countOnTheSide(side)
  return { done: Promise.resolve(), stop: async () => undefined }
}

/**
 * The report counters (kept on every change by src/reports/rollups.ts) that sum whole days of
 * tickets, made beside the load's tail by that area's own rebuild statements, copied in (key
 * order: they are WITHOUT ROWID tables, scanned in key order). The catch-up the server runs
 * after a calendar change then finds every working-day duration measured (it would measure any
 * that were not).
 */
async function copyCounters(db: DB, scratch: string): Promise<void> {
  // ATTACH is refused inside a transaction.
  await sql`attach database ${scratch} as side`.execute(db)
  try {
    await db.transaction().execute(async (trx) => {
      for (const table of rebuiltTables(LOADED_PARTS)) {
        await sql`delete from ${sql.table(table)}`.execute(trx)
        await sql.raw(`insert into main.${table} select * from side.${table}`).execute(trx)
      }
    })
  } finally {
    await sql`detach database side`.execute(db)
  }
}

/** The invariants the app keeps: sidebar counters equal real counts, one search row per ticket. */
async function verify(db: DB, expected: Map<string, number>, tickets: number): Promise<void> {
  const rows = await db
    .selectFrom('counters')
    .select(['name', 'value'])
    .where('name', 'like', 'queue:%')
    .execute()
  const actual = new Map(rows.map((r) => [r.name, Number(r.value)]))
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    if ((expected.get(name) ?? 0) !== (actual.get(name) ?? 0)) {
      throw new Error(
        `counter ${name}: ${actual.get(name) ?? 0} kept, ${expected.get(name) ?? 0} real`,
      )
    }
  }
  const { rows: search } = await sql<{
    n: number
  }>`select count(*) as n from ticket_search`.execute(db)
  // A contentless index counts its rows through its docsize table.
  const { rows: docs } = await sql<{
    n: number
  }>`select count(*) as n from ticket_search_docsize`.execute(db)
  const indexed = Math.max(Number(search[0]?.n ?? 0), Number(docs[0]?.n ?? 0))
  if (indexed !== tickets)
    throw new Error(`search index holds ${indexed} rows for ${tickets} tickets`)
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
    if (
      meta.generator === GENERATOR_VERSION &&
      meta.tickets === tickets &&
      fs.existsSync(path.join(dataDir, 'ladder.db'))
    ) {
      return { dataDir, meta, reused: true }
    }
  } catch {
    // No usable earlier data: generate it.
  }
  log(`Generating ${tickets.toLocaleString('en')} tickets in ${dataDir} …`)
  const result = await generateBenchData({ dataDir, tickets, now: Date.now(), log })
  const meta: BenchMeta = {
    ...result,
    generator: GENERATOR_VERSION,
    generatedAt: new Date().toISOString(),
  }
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2))
  return { dataDir, meta, reused: false }
}
