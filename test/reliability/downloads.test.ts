import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp, PNG } from '../http/complaints-helpers.js'

// A file that disappears from disk while it is being downloaded (a disk fault, an operator's
// mistake) must end that one download with an error, never crash the process: vitest fails a
// run on any uncaught exception, so these tests fail if one escapes.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

async function setUp() {
  const { token } = await fileViaHttp(t, {}, [{ name: 'a.png', bytes: PNG }])
  const row = await t.db.selectFrom('tickets').select('case_number').executeTakeFirstOrThrow()
  const evidence = await t.db.selectFrom('evidence').select('id').executeTakeFirstOrThrow()
  const staff = await t.createStaff('agent')
  return {
    token,
    caseNumber: row.case_number,
    evidenceId: evidence.id,
    cookie: await t.signIn(staff.email, staff.password),
  }
}

describe('a file gone from disk mid-download', () => {
  it('aborts the dossier download and keeps serving', async () => {
    const { caseNumber, cookie } = await setUp()
    const res = await t.get(`/tickets/${caseNumber}/dossier.zip`, { cookie })
    expect(res.status).toBe(200)
    fs.rmSync(t.config.evidenceDir, { recursive: true, force: true })
    await expect(res.arrayBuffer()).rejects.toThrow(/ENOENT/)
    expect((await t.get('/healthz')).status).toBe(200)
  })

  it('aborts an evidence download and keeps serving; a later request is a 404', async () => {
    const { token, evidenceId } = await setUp()
    const res = await t.get(`/track/${token}/evidence/${evidenceId}`)
    expect(res.status).toBe(200)
    fs.rmSync(t.config.evidenceDir, { recursive: true, force: true })
    await expect(res.arrayBuffer()).rejects.toThrow()
    expect((await t.get(`/track/${token}/evidence/${evidenceId}`)).status).toBe(404)
  })
})
