import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { sweepOrphanEvidence } from '../../src/evidence/sweep.js'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import {
  PNG,
  evidenceFiles,
  fileViaHttp,
  multipart,
  postMultipart,
  validFields,
} from './complaints-helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const HOUR = 3600_000
const age = (file: string, ms: number) => {
  const at = new Date(Date.now() - ms)
  fs.utimesSync(file, at, at)
}

describe('the orphan evidence sweep', () => {
  it('removes old files no row points at, and keeps referenced and young ones', async () => {
    await fileViaHttp(t, {}, [{ name: 'kept.png', bytes: PNG }])
    const store = localEvidenceStore(t.config.evidenceDir)
    const referenced = (
      await t.db.selectFrom('evidence').select('sha256').executeTakeFirstOrThrow()
    ).sha256
    const oldOrphan = await store.put(new TextEncoder().encode('orphan from a crash'))
    const youngOrphan = await store.put(new TextEncoder().encode('upload still in flight'))
    age(store.pathFor(referenced), 2 * HOUR)
    age(store.pathFor(oldOrphan.sha256), 2 * HOUR)
    // An upload a crash cut off while it was being received, and one still arriving.
    const crashed = await store.stage()
    await crashed.write(new TextEncoder().encode('half received'))
    const left = await crashed.finish()
    age(left.tempPath, 2 * HOUR)
    const arriving = await store.stage()
    await arriving.write(new TextEncoder().encode('still arriving'))
    const inFlight = await arriving.finish()

    const result = await sweepOrphanEvidence(t.db, store)
    expect(result.removed).toEqual([oldOrphan.sha256])
    expect(result.tempRemoved).toBe(1)
    expect(fs.existsSync(left.tempPath)).toBe(false)
    expect(evidenceFiles(t).sort()).toEqual(
      [referenced, youngOrphan.sha256, path.basename(inFlight.tempPath)].sort(),
    )
    await arriving.discard()
    expect(fs.existsSync(inFlight.tempPath)).toBe(false)
  })

  it('sweeps a store larger than one batch of row lookups', async () => {
    await fileViaHttp(t, {}, [{ name: 'kept.png', bytes: PNG }])
    const store = localEvidenceStore(t.config.evidenceDir)
    const referenced = (
      await t.db.selectFrom('evidence').select('sha256').executeTakeFirstOrThrow()
    ).sha256
    age(store.pathFor(referenced), 2 * HOUR)
    const orphans: string[] = []
    for (let i = 0; i < 1234; i++) {
      const { sha256 } = await store.put(new TextEncoder().encode(`orphan ${i}`))
      age(store.pathFor(sha256), 2 * HOUR)
      orphans.push(sha256)
    }
    const result = await sweepOrphanEvidence(t.db, store)
    expect(result.removed.sort()).toEqual(orphans.sort())
    expect(evidenceFiles(t)).toEqual([referenced])
  })

  it('counts a re-put of stored content as fresh, so an upload of the same bytes is not swept', async () => {
    const store = localEvidenceStore(t.config.evidenceDir)
    const bytes = new TextEncoder().encode('same content')
    const first = await store.put(bytes)
    age(store.pathFor(first.sha256), 2 * HOUR)
    await store.put(bytes)
    const result = await sweepOrphanEvidence(t.db, store)
    expect(result.removed).toEqual([])
    expect(store.has(first.sha256)).toBe(true)
  })
})

describe('receiving files', () => {
  const boundary = '----ladderreceive'
  const textParts = () =>
    Object.entries(validFields())
      .flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map(
          (one) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`,
        ),
      )
      .join('')
  const post = (body: Uint8Array | string) =>
    t.request('/complaints', {
      method: 'POST',
      body,
      headers: {
        origin: ORIGIN,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'accept-language': 'en',
      },
    })

  it('answers a body cut off inside a file with 400, storing nothing and leaving no partial file', async () => {
    const head = `${textParts()}--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`
    const body = Buffer.concat([Buffer.from(head), Buffer.from(PNG), Buffer.alloc(300 * 1024, 1)])
    const res = await post(body)
    expect(res.status).toBe(400)
    expect(await t.db.selectFrom('tickets').select('id').execute()).toEqual([])
    expect(evidenceFiles(t)).toEqual([])
  })

  it('reads past a file sent in a field that carries no evidence, and stores only the evidence', async () => {
    const body = multipart({ ...validFields() }, [{ name: 'proof.png', bytes: PNG }])
    body.append('description', new Blob([PNG], { type: 'image/png' }), 'sneaky.png')
    const res = await postMultipart(t, '/complaints', body)
    expect(res.status).toBe(303)
    const rows = await t.db.selectFrom('evidence').select(['original_name']).execute()
    expect(rows).toEqual([{ original_name: 'proof.png' }])
    expect(evidenceFiles(t)).toHaveLength(1)
  })

  it('refuses text where a file belongs, keeping what was typed', async () => {
    const res = await post(
      `${textParts()}--${boundary}\r\nContent-Disposition: form-data; name="evidence"\r\n\r\nC:\\fakepath\\a.png\r\n--${boundary}--\r\n`,
    )
    expect(res.status).toBe(422)
    const page = await res.text()
    expect(page).toContain('The evidence field must contain files.')
    expect(page).toContain('美团外卖')
    expect(await t.db.selectFrom('tickets').select('id').execute()).toEqual([])
  })
})
