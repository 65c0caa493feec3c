import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/users.js'
import { openDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import { file } from '../helpers/tickets.js'
import { fileViaHttp } from '../http/complaints-helpers.js'
import { overHttp } from '../helpers/staffSignIn.js'
import { freePort, serverJs } from './server.js'

// Many agents acting on the same tickets at once. Every action is applied with its event or
// refused (409 for a stale version); versions only go up, one per applied action; and a
// database held busy by another process answers 503 with a message, never 500.

let apps: TestApp[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
  for (const t of apps.splice(0)) await t.close()
})

async function newApp() {
  const t = await createTestApp()
  apps.push(t)
  return t
}

/** Per ticket: the versions its events recorded, in the order they were written. */
async function eventVersions(db: TestApp['db'], ticketId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('ticket_id', '=', ticketId)
    .where('type', '!=', 'revealed')
    .orderBy('id')
    .execute()
  return rows
    .map((r) => (JSON.parse(r.payload) as { version?: number }).version)
    .filter((v): v is number => v !== undefined)
}

const ACTIONS = [
  (i: number) => ({ action: 'reply', fields: { body: `reply ${i}` } }),
  (i: number) => ({ action: 'note', fields: { body: `note ${i}` } }),
  (i: number) => ({
    action: 'set_priority',
    fields: { priority: ['low', 'normal', 'high', 'urgent'][i % 4]! },
  }),
]

describe('parallel sessions on the same tickets (in process)', () => {
  it('applies each action with its event or refuses it with 409; versions rise by one per action', async () => {
    const t = await newApp()
    const agents = await Promise.all(Array.from({ length: 8 }, () => t.createStaff('agent')))
    const cookies = await Promise.all(agents.map((a) => t.signIn(a.email, a.password)))
    const tickets = await Promise.all(Array.from({ length: 4 }, () => file(t.db, t.now())))
    const statuses: number[] = []
    const applied = new Map<number, number>()
    // Each agent works through every ticket a few times, posting the version it last read,
    // with no coordination: most posts race another agent's.
    await Promise.all(
      cookies.map(async (cookie, a) => {
        for (let round = 0; round < 6; round++) {
          await Promise.all(
            tickets.map(async ({ ticket }, k) => {
              const { version } = await t.db
                .selectFrom('tickets')
                .select('version')
                .where('id', '=', ticket.id)
                .executeTakeFirstOrThrow()
              const { action, fields } = ACTIONS[(a + round + k) % ACTIONS.length]!(a * 100 + round)
              const res = await t.postForm(
                `/tickets/${ticket.case_number}/actions/${action}`,
                { ...fields, version: String(version) },
                { cookie },
              )
              statuses.push(res.status)
              if (res.status === 303) applied.set(ticket.id, (applied.get(ticket.id) ?? 0) + 1)
              else if (res.status === 409) expect(await res.text()).toContain('id="')
            }),
          )
        }
      }),
    )
    // 409 for a stale version or a priority that is already set; nothing else.
    expect(statuses.filter((s) => s !== 303 && s !== 409)).toEqual([])
    expect(statuses.filter((s) => s === 303).length).toBeGreaterThan(0)
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0)
    for (const { ticket } of tickets) {
      const now = await t.db
        .selectFrom('tickets')
        .select('version')
        .where('id', '=', ticket.id)
        .executeTakeFirstOrThrow()
      const versions = await eventVersions(t.db, ticket.id)
      // No lost update: every 303 left exactly one event, and the version counts them.
      expect(versions.length).toBe(applied.get(ticket.id) ?? 0)
      expect(now.version).toBe(1 + versions.length)
      expect(versions).toEqual(versions.map((_, i) => i + 2))
    }
  })
})

describe('a database another process holds busy', () => {
  it('answers an action with 503, Retry-After and a message, writes nothing, and works once the lock is gone', async () => {
    const t = await newApp()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const { ticket } = await file(t.db, t.now())
    // Wait briefly, so the test is quick; production waits 5 s.
    t.database.sqlite.pragma('busy_timeout = 50')
    const other = new SQLite(t.config.databaseFile)
    try {
      other.prepare('begin immediate').run()
      const res = await t.postForm(
        `/tickets/${ticket.case_number}/actions/note`,
        { body: 'while locked', version: '1' },
        { cookie },
      )
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBeTruthy()
      expect(await res.text()).toMatch(/saved nothing|未保存任何内容/)
      other.prepare('rollback').run()
    } finally {
      if (other.inTransaction) other.prepare('rollback').run()
      other.close()
    }
    expect(await eventVersions(t.db, ticket.id)).toEqual([])
    const again = await t.postForm(
      `/tickets/${ticket.case_number}/actions/note`,
      { body: 'after', version: '1' },
      { cookie },
    )
    expect(again.status).toBe(303)
    expect(await eventVersions(t.db, ticket.id)).toEqual([2])
  })

  it('answers a complaint filing with 503 and stores no row; the same form then files once', async () => {
    const t = await newApp()
    t.database.sqlite.pragma('busy_timeout = 50')
    const other = new SQLite(t.config.databaseFile)
    other.prepare('begin immediate').run()
    let failed: Error | null = null
    try {
      await fileViaHttp(t, { idempotency_key: 'busy-test-key-0123456789' })
    } catch (err) {
      failed = err as Error
    } finally {
      other.prepare('rollback').run()
      other.close()
    }
    expect(failed?.message).toMatch(/^filing failed with 503/)
    expect(
      (
        await t.db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ).toBe(0)
    await fileViaHttp(t, { idempotency_key: 'busy-test-key-0123456789' })
    await fileViaHttp(t, { idempotency_key: 'busy-test-key-0123456789' })
    expect(
      (
        await t.db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ).toBe(1)
  })
})

describe('transactions begin IMMEDIATE', () => {
  it('takes the write lock at BEGIN, so a transaction that read first never fails at its write', async () => {
    const t = await newApp()
    const { ticket } = await file(t.db, t.now())
    const other = new SQLite(t.config.databaseFile)
    other.pragma('busy_timeout = 0')
    try {
      await t.db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('tickets')
          .select('version')
          .where('id', '=', ticket.id)
          .executeTakeFirstOrThrow()
        // Another process trying to write now must wait for us (here: fail at once, as its
        // busy_timeout is 0) instead of committing under our feet.
        expect(() => other.prepare('begin immediate').run()).toThrow(/locked|busy/i)
        await new Promise((r) => setTimeout(r, 5))
        await trx
          .updateTable('tickets')
          .set({ updated_at: t.now() })
          .where('id', '=', ticket.id)
          .execute()
      })
    } finally {
      other.close()
    }
  })

  it('shows why: a deferred BEGIN lets another process commit in between, and the later write fails', async () => {
    const t = await newApp()
    const { ticket } = await file(t.db, t.now())
    const a = new SQLite(t.config.databaseFile)
    const b = new SQLite(t.config.databaseFile)
    a.pragma('busy_timeout = 5000')
    try {
      a.prepare('begin').run()
      a.prepare('select version from tickets where id = ?').get(ticket.id)
      b.prepare('update tickets set updated_at = updated_at + 1 where id = ?').run(ticket.id)
      // busy_timeout cannot help: waiting would never make a's snapshot current.
      expect(() =>
        a.prepare('update tickets set updated_at = 0 where id = ?').run(ticket.id),
      ).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }))
    } finally {
      if (a.inTransaction) a.prepare('rollback').run()
      a.close()
      b.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Two real server processes on one DATA_DIR: the case busy_timeout alone does not cover. A
// deferred transaction that read before another process wrote cannot upgrade to a writer and
// fails with SQLITE_BUSY at once; transactions begin IMMEDIATE so they wait instead.

async function startServer(dataDir: string): Promise<string> {
  const port = await freePort()
  const child = spawn(process.execPath, [serverJs], {
    env: {
      PATH: process.env['PATH'] ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return base
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('server did not start')
}

describe('two server processes on the same data', () => {
  it('never answers 500 while agents on both act on the same tickets; every 303 left its event', async () => {
    if (!fs.existsSync(serverJs))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)')
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-two-'))
    try {
      const database = openDatabase(path.join(dataDir, 'ladder.db'))
      await migrateToLatest(database.db)
      const now = Date.now()
      const made = await createUser(
        database.db,
        { email: 'two@ladder.test', name: 'Two', role: 'agent', password: 'two-servers-42' },
        now,
      )
      if (!made.ok) throw new Error(made.problem)
      const tickets = await Promise.all(Array.from({ length: 6 }, () => file(database.db, now)))
      await database.close()

      const bases = [await startServer(dataDir), await startServer(dataDir)]
      // One person signing in on both servers: the second factor set up on one, a code on the other.
      const [first, second] = bases.map((base) => overHttp(base))
      const cookies = [(await first!.signIn('two@ladder.test', 'two-servers-42')).cookie]
      second!.factors.set('two@ladder.test', first!.factors.get('two@ladder.test')!)
      cookies.push((await second!.signIn('two@ladder.test', 'two-servers-42')).cookie)
      const statuses: number[] = []
      const acknowledged = new Map<number, string[]>()
      await Promise.all(
        Array.from({ length: 24 }, async (_, w) => {
          const base = bases[w % 2]!
          const cookie = cookies[w % 2]!
          for (let round = 0; round < 8; round++) {
            const { ticket } = tickets[(w + round) % tickets.length]!
            // The version this worker last saw: read through the other process's eyes.
            const ro = new SQLite(path.join(dataDir, 'ladder.db'), { readonly: true })
            const { version } = ro
              .prepare('select version from tickets where id = ?')
              .get(ticket.id) as { version: number }
            ro.close()
            const body = `w${w} r${round}`
            const res = await fetch(`${base}/tickets/${ticket.case_number}/actions/note`, {
              method: 'POST',
              redirect: 'manual',
              headers: {
                origin: base,
                cookie,
                'content-type': 'application/x-www-form-urlencoded',
              },
              body: new URLSearchParams({ body, version: String(version) }),
            })
            await res.arrayBuffer()
            statuses.push(res.status)
            if (res.status === 303)
              acknowledged.set(ticket.id, [...(acknowledged.get(ticket.id) ?? []), body])
          }
        }),
      )
      expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([])
      expect(statuses.every((s) => [303, 409, 503].includes(s))).toBe(true)
      expect(statuses.filter((s) => s === 303).length).toBeGreaterThan(0)

      const check = openDatabase(path.join(dataDir, 'ladder.db'))
      try {
        for (const { ticket } of tickets) {
          const row = await check.db
            .selectFrom('tickets')
            .select('version')
            .where('id', '=', ticket.id)
            .executeTakeFirstOrThrow()
          const versions = await eventVersions(check.db, ticket.id)
          const notes = await check.db
            .selectFrom('events')
            .select('body')
            .where('ticket_id', '=', ticket.id)
            .where('type', '=', 'noted')
            .execute()
          expect(row.version).toBe(1 + versions.length)
          expect(versions).toEqual(versions.map((_, i) => i + 2))
          expect(notes.map((n) => n.body).sort()).toEqual(
            [...(acknowledged.get(ticket.id) ?? [])].sort(),
          )
        }
      } finally {
        await check.close()
      }
    } finally {
      for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
