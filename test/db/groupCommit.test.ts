import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../src/db/connection.js'
import { GROUP_LIMIT, GROUP_WINDOW_MS, groupedWrite } from '../../src/db/groupCommit.js'
import { migrateToLatest } from '../../src/db/migrate.js'

const opened: OpenedDatabase[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function open(): Promise<OpenedDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-group-'))
  dirs.push(dir)
  const d = openDatabase(path.join(dir, 'ladder.db'))
  opened.push(d)
  await migrateToLatest(d.db)
  return d
}

/** A write that bumps a counter and says what it read before writing. */
const bump = (name: string) => (trx: OpenedDatabase['db']) =>
  trx
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
    )
    .returning('value')
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.value))

const counter = async (d: OpenedDatabase, name: string) =>
  Number(
    (await d.db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst())
      ?.value ?? 0,
  )

/** WAL frames a run appends (checkpoints are off, so the WAL only grows): what its commits wrote. */
async function framesWritten(d: OpenedDatabase, run: () => Promise<unknown>): Promise<number> {
  d.sqlite.pragma('wal_autocheckpoint = 0')
  const frames = () => Math.max(0, (fs.statSync(`${d.sqlite.name}-wal`).size - 32) / (4096 + 24))
  const before = frames()
  await run()
  return frames() - before
}

describe('group commit', () => {
  it('commits writes of the same moment together, each seeing the ones before it', async () => {
    const d = await open()
    const results = await Promise.all(
      Array.from({ length: 5 }, () => groupedWrite(d.db, bump('c'))),
    )
    // In order, one after the other: the fifth saw the four before it.
    expect(results).toEqual([1, 2, 3, 4, 5])
    expect(await counter(d, 'c')).toBe(5)
  })

  it('rolls back only the write that failed and gives its caller that error', async () => {
    const d = await open()
    const failing = groupedWrite(d.db, async (trx) => {
      await bump('c')(trx)
      await bump('failed-only')(trx)
      throw new Error('refused')
    })
    const [a, b, c] = await Promise.allSettled([
      groupedWrite(d.db, bump('c')),
      failing,
      groupedWrite(d.db, bump('c')),
    ])
    expect(a).toEqual({ status: 'fulfilled', value: 1 })
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('refused') })
    // The failed write's bump was undone before the next one ran.
    expect(c).toEqual({ status: 'fulfilled', value: 2 })
    expect(await counter(d, 'c')).toBe(2)
    expect(await counter(d, 'failed-only')).toBe(0)
  })

  it('writes nothing of a group whose transaction ended, and tells every caller', async () => {
    const d = await open()
    const results = await Promise.allSettled([
      groupedWrite(d.db, bump('c')),
      // Ends the shared transaction under the others' feet (as SQLite does itself on a full disk).
      groupedWrite(d.db, async (trx) => {
        await sql`rollback`.execute(trx)
      }),
      groupedWrite(d.db, bump('c')),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(await counter(d, 'c')).toBe(0)
    // The committer is not stuck: the next write goes through.
    expect(await groupedWrite(d.db, bump('c'))).toBe(1)
  })

  it('shares one commit per group, at most GROUP_LIMIT writes each', async () => {
    const d = await open()
    await groupedWrite(d.db, bump('warm'))
    const one = await framesWritten(d, () => groupedWrite(d.db, bump('one')))
    const many = await framesWritten(d, () =>
      Promise.all(Array.from({ length: GROUP_LIMIT }, (_, i) => groupedWrite(d.db, bump(`k${i}`)))),
    )
    // Sixteen counters in one commit write about as many WAL frames as one counter alone
    // (their rows share a page); sixteen commits would write sixteen times as many.
    expect(many).toBeLessThan(one * 3)
    const results = await Promise.all(
      Array.from({ length: GROUP_LIMIT * 2 + 3 }, () => groupedWrite(d.db, bump('big'))),
    )
    expect(results).toEqual(Array.from({ length: GROUP_LIMIT * 2 + 3 }, (_, i) => i + 1))
  })

  it('waits a moment for company only while writes come together', async () => {
    const d = await open()
    await groupedWrite(d.db, bump('warm'))
    const one = await framesWritten(d, () => groupedWrite(d.db, bump('one')))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      // Alone, one after the other: no timer is involved, so these finish while fake time stands still.
      expect(await groupedWrite(d.db, bump('alone'))).toBe(1)
      expect(await groupedWrite(d.db, bump('alone'))).toBe(2)
      // Two at once make a group with company…
      await Promise.all([groupedWrite(d.db, bump('pair')), groupedWrite(d.db, bump('pair'))])
      // …so the next write waits for the window, and one arriving meanwhile joins its commit.
      const frames = framesWritten(d, async () => {
        let done = false
        const first = groupedWrite(d.db, bump('late')).then((v) => ((done = true), v))
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
        expect(done).toBe(false)
        const second = groupedWrite(d.db, bump('late'))
        vi.advanceTimersByTime(GROUP_WINDOW_MS)
        expect(await Promise.all([first, second])).toEqual([1, 2])
      })
      expect(await frames).toBeLessThan(one * 2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('commits before it answers: another connection sees the write once the promise resolves', async () => {
    const d = await open()
    const file = d.sqlite.name
    const other = openDatabase(file)
    opened.push(other)
    await Promise.all([groupedWrite(d.db, bump('seen')), groupedWrite(d.db, bump('seen'))])
    expect(await counter(other, 'seen')).toBe(2)
  })
})
