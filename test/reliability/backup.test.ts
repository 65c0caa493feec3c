import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { twoFactorKey } from '../../src/auth/secretBox.js'
import { loadConfig } from '../../src/config.js'
import { multipart, validFields } from '../http/complaints-helpers.js'
import { cliJs, requireBuild, startChildServer, type ChildServer } from './server.js'

// `npm run cli -- backup DIR` while the real server takes filings, then `restore DIR` into an
// empty DATA_DIR: the restored system opens, has the backup's counts, and every evidence file
// hashes to its name and opens from its tracking link.

const run = promisify(execFile)
const dirs: string[] = []
const servers: ChildServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tempDir(prefix: string) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  dirs.push(d)
  return d
}

function cli(args: string[], dataDir: string) {
  return run(process.execPath, [cliJs, ...args], {
    env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    }),
  )
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const PNG_SIG = [
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]

function pastLocal(): string {
  return new Date(Date.now() - 2 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16)
}

let ip = 0
async function fileWithEvidence(base: string) {
  const bytes = new Uint8Array([
    ...PNG_SIG,
    ...randomBytes(2000 + Math.floor(Math.random() * 50_000)),
  ])
  const body = multipart({ ...validFields(), occurred_at: pastLocal() }, [
    { name: 'shot.png', bytes },
  ])
  const res = await fetch(`${base}/complaints`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { origin: base, 'x-forwarded-for': `10.9.${(ip >> 8) & 255}.${ip++ & 255}` },
  })
  await res.arrayBuffer()
  if (res.status !== 303) throw new Error(`filing failed with ${res.status}`)
  return { token: res.headers.get('location')!.split('/').pop()!, sha256: sha(bytes) }
}

function counts(file: string) {
  const db = new SQLite(file, { readonly: true })
  try {
    const n = (t: string) => db.prepare(`select count(*) from ${t}`).pluck().get() as number
    return {
      tickets: n('tickets'),
      events: n('events'),
      evidence: n('evidence'),
      users: n('users'),
      outbox: n('outbox'),
    }
  } finally {
    db.close()
  }
}

describe('backup and restore', () => {
  it('copies a consistent database and its evidence while filings arrive, and restores a working system', async () => {
    requireBuild()
    const dataDir = tempDir('ladder-live-')
    expect((await cli(['demo', '--tickets', '40'], dataDir)).code).toBe(0)
    const live = await startChildServer(dataDir, { TRUST_PROXY: 'true' })
    servers.push(live)
    const before = []
    for (let i = 0; i < 5; i++) before.push(await fileWithEvidence(live.base))

    // Write load for as long as the backup runs.
    let writing = true
    let during = 0
    const load = (async () => {
      while (writing) {
        await Promise.all([fileWithEvidence(live.base), fileWithEvidence(live.base)])
        during += 2
      }
    })()
    // The key that encrypts two-factor secrets goes with the backup, or every phone enrols again.
    const keyFile = loadConfig({ DATA_DIR: dataDir }).twoFactorKeyFile
    twoFactorKey(loadConfig({ DATA_DIR: dataDir }))
    const key = fs.readFileSync(keyFile, 'utf8')
    const backupDir = path.join(tempDir('ladder-bak-'), 'backup-1')
    const made = await cli(['backup', backupDir], dataDir)
    writing = false
    await load
    expect(made.out).toMatch(/Backup written/)
    expect(made.code).toBe(0)
    expect(during).toBeGreaterThan(0)

    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'))
    const backupCounts = counts(path.join(backupDir, 'ladder.db'))
    expect(manifest.counts).toMatchObject(backupCounts)
    expect(backupCounts.tickets).toBeGreaterThanOrEqual(45)
    // A backup is not a second DATA_DIR: it refuses to write over one that holds anything.
    expect((await cli(['backup', backupDir], dataDir)).code).toBe(1)

    // Restore refuses a DATA_DIR that is not empty, and touches nothing in it.
    const busyDir = tempDir('ladder-busy-')
    fs.writeFileSync(path.join(busyDir, 'keep.txt'), 'mine')
    const refused = await cli(['restore', backupDir], busyDir)
    expect(refused.code).toBe(1)
    expect(refused.out).toMatch(/not empty/)
    expect(fs.readdirSync(busyDir)).toEqual(['keep.txt'])

    const restoredDir = path.join(tempDir('ladder-restored-'), 'data')
    const restored = await cli(['restore', backupDir], restoredDir)
    expect(restored.out).toMatch(/Restored/)
    expect(restored.code).toBe(0)
    expect(counts(path.join(restoredDir, 'ladder.db'))).toEqual(backupCounts)
    expect(fs.readFileSync(path.join(restoredDir, 'two-factor.key'), 'utf8')).toBe(key)
    expect(fs.statSync(path.join(restoredDir, 'two-factor.key')).mode & 0o777).toBe(0o600)

    // Every evidence row's file is there and hashes to its name.
    const db = new SQLite(path.join(restoredDir, 'ladder.db'), { readonly: true })
    const rows = db.prepare('select sha256, size from evidence').all() as {
      sha256: string
      size: number
    }[]
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) {
      const bytes = fs.readFileSync(
        path.join(restoredDir, 'evidence', r.sha256.slice(0, 2), r.sha256),
      )
      expect(sha(bytes)).toBe(r.sha256)
      expect(bytes.length).toBe(r.size)
    }
    // The restored tickets are the live ones, row for row, as they were at the copy.
    const liveDb = new SQLite(path.join(dataDir, 'ladder.db'), { readonly: true })
    const restDb = new SQLite(path.join(restoredDir, 'ladder.db'), { readonly: true })
    const q =
      'select id, case_number, tracking_token_hash, description, version from tickets order by id'
    const restTickets = restDb.prepare(q).all()
    expect(liveDb.prepare(q).all().slice(0, restTickets.length)).toEqual(restTickets)
    liveDb.close()
    restDb.close()

    await live.stop()
    const server = await startChildServer(restoredDir)
    servers.push(server)
    expect(await (await fetch(`${server.base}/healthz`)).json()).toEqual({ status: 'ok' })
    for (const f of before) {
      const page = await fetch(`${server.base}/track/${f.token}`)
      const text = await page.text()
      expect(page.status).toBe(200)
      const href = /href="(\/track\/[^"]+\/evidence\/\d+)"/.exec(text)?.[1]
      expect(href).toBeTruthy()
      const file = await fetch(`${server.base}${href}`)
      expect(sha(new Uint8Array(await file.arrayBuffer()))).toBe(f.sha256)
    }
  }, 90_000)
})
