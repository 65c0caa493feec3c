import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type StoredEvidence } from '../../src/change/evidenceRows.js'
import { fileTicket } from '../../src/change/ticketChanges.js'
import { writerOf } from '../helpers/tickets.js'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { unzip } from './dossier-helpers.js'

const MB = 1024 * 1024
const FILES = 10
const FILE_MB = 10

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

/** Writes a random file straight into the store in 1 MB pieces, so setup itself stays small. */
function storeRandomFile(
  store: ReturnType<typeof localEvidenceStore>,
  dir: string,
  i: number,
): StoredEvidence {
  const temp = path.join(dir, `big-${i}.tmp`)
  const fd = fs.openSync(temp, 'w')
  const hash = createHash('sha256')
  for (let k = 0; k < FILE_MB; k++) {
    const piece = randomBytes(MB)
    hash.update(piece)
    fs.writeSync(fd, piece)
  }
  fs.closeSync(fd)
  const sha256 = hash.digest('hex')
  fs.mkdirSync(path.dirname(store.pathFor(sha256)), { recursive: true })
  fs.renameSync(temp, store.pathFor(sha256))
  return {
    sha256,
    size: FILE_MB * MB,
    mime: 'application/pdf',
    originalName: `statement-${i}.pdf`,
    sensitive: false,
  }
}

describe('the dossier stream', () => {
  it('sends 10 files of 10 MB without holding them in memory', async () => {
    const store = localEvidenceStore(t.config.evidenceDir)
    const stored = Array.from({ length: FILES }, (_, i) => storeRandomFile(store, t.dataDir, i + 1))
    const filed = await fileTicket(writerOf(t.db), {
      input: {
        category: 'refund_not_received',
        providerId: 1,
        providerOther: null,
        occurredAt: t.now() - 86_400_000,
        amountMinor: 100,
        currency: 'CNY',
        transactionRef: null,
        merchant: null,
        description: 'Big statements attached.',
        desiredOutcome: 'refund',
        selfHelp: [],
        name: 'Jo',
        email: null,
        phone: '13912345678',
        locale: 'en',
      },
      evidence: stored,
      now: t.now(),
    })
    const staff = await t.createStaff('manager')
    const cookie = await t.signIn(staff.email, staff.password)

    const out = path.join(t.dataDir, 'dossier.zip')
    const fd = fs.openSync(out, 'w')
    const before = process.memoryUsage().rss
    const res = await t.get(`/tickets/${filed.ticket.case_number}/dossier.zip`, { cookie })
    expect(res.status).toBe(200)
    let peak = before
    let bytes = 0
    let chunks = 0
    const reader = res.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      fs.writeSync(fd, value)
      bytes += value.byteLength
      if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage().rss)
      // A slow client: the server must wait, not read ahead into memory.
      if (chunks % 256 === 0) await new Promise((r) => setTimeout(r, 1))
    }
    fs.closeSync(fd)
    peak = Math.max(peak, process.memoryUsage().rss)
    const grewMb = (peak - before) / MB
    console.log(
      `dossier stream: ${(bytes / MB).toFixed(1)} MB in ${chunks} chunks; RSS grew ${grewMb.toFixed(1)} MB at peak`,
    )
    expect(bytes).toBeGreaterThan(FILES * FILE_MB * MB)
    expect(chunks).toBeGreaterThan(100)
    expect(grewMb).toBeLessThan(40)

    // And the streamed archive is whole: every entry's hash matches the manifest.
    const z = await unzip(out, (name) => !name.startsWith('evidence/'))
    const manifest = JSON.parse(z.files.get('manifest.json')!.toString('utf8')) as {
      files: { path: string; sha256: string }[]
    }
    expect(manifest.files).toHaveLength(FILES + 1)
    for (const f of manifest.files) expect(z.hashes.get(f.path)).toBe(f.sha256)
  }, 120_000)
})
