import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { sweepOrphanEvidence } from '../../src/evidence/sweep.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { PNG, evidenceFiles, fileViaHttp } from './complaints-helpers.js'

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
    const referenced = (await t.db.selectFrom('evidence').select('sha256').executeTakeFirstOrThrow()).sha256
    const oldOrphan = await store.put(new TextEncoder().encode('orphan from a crash'))
    const youngOrphan = await store.put(new TextEncoder().encode('upload still in flight'))
    age(store.pathFor(referenced), 2 * HOUR)
    age(store.pathFor(oldOrphan.sha256), 2 * HOUR)
    const temp = path.join(path.dirname(store.pathFor(oldOrphan.sha256)), `${oldOrphan.sha256}.abc.tmp`)
    fs.writeFileSync(temp, 'half written')
    age(temp, 2 * HOUR)

    const result = await sweepOrphanEvidence(t.db, store)
    expect(result.removed).toEqual([oldOrphan.sha256])
    expect(result.tempRemoved).toBe(1)
    expect(evidenceFiles(t).sort()).toEqual([referenced, youngOrphan.sha256].sort())
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
