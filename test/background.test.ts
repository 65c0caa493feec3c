import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEVICE_REMEMBERED_MS } from '../src/auth/devices.js'
import { housekeeping } from '../src/background.js'
import { localEvidenceStore } from '../src/evidence/store.js'
import { silentLogger } from '../src/http/logger.js'
import { createTestApp, type TestApp } from './helpers/testApp.js'
import { file } from './helpers/tickets.js'

const HOUR = 3_600_000
let t: TestApp
beforeEach(async () => {
  t = await createTestApp({ now: Date.now() })
})
afterEach(async () => {
  await t.close()
})

describe('housekeeping', () => {
  it('removes expired sessions, idempotency keys, rate-limit windows and long-unused sign-in browsers, and keeps live ones', async () => {
    const now = t.now()
    const staff = await t.createStaff('agent')
    await t.db
      .insertInto('sessions')
      .values([
        {
          id_hash: 'old',
          user_id: staff.id,
          created_at: now - 8 * 24 * HOUR,
          last_seen_at: now - HOUR,
          expires_at: now - 1,
          ip: null,
          user_agent: null,
        },
        {
          id_hash: 'live',
          user_id: staff.id,
          created_at: now,
          last_seen_at: now,
          expires_at: now + HOUR,
          ip: null,
          user_agent: null,
        },
      ])
      .execute()
    await t.db
      .insertInto('idempotency_keys')
      .values([
        {
          key: 'gone',
          scope: 'complaint',
          ticket_id: null,
          response_status: null,
          response_location: null,
          created_at: now - 25 * HOUR,
          expires_at: now - HOUR,
        },
        {
          key: 'kept',
          scope: 'complaint',
          ticket_id: null,
          response_status: null,
          response_location: null,
          created_at: now,
          expires_at: now + HOUR,
        },
      ])
      .execute()
    await t.db
      .insertInto('rate_limits')
      .values([
        { key: 'old-window', window_start: now - 2 * HOUR, count: 9 },
        { key: 'current', window_start: now - 60_000, count: 2 },
      ])
      .execute()
    await t.db
      .insertInto('login_devices')
      .values([
        {
          token_hash: 'forgotten',
          user_id: staff.id,
          created_at: now - 200 * 24 * HOUR,
          last_used_at: now - DEVICE_REMEMBERED_MS,
        },
        {
          token_hash: 'remembered',
          user_id: staff.id,
          created_at: now - 200 * 24 * HOUR,
          last_used_at: now - HOUR,
        },
      ])
      .execute()
    await housekeeping(t.db, t.config, silentLogger(), now)
    expect(
      (await t.db.selectFrom('login_devices').select('token_hash').execute()).map(
        (r) => r.token_hash,
      ),
    ).toEqual(['remembered'])
    expect(
      (await t.db.selectFrom('sessions').select('id_hash').execute()).map((r) => r.id_hash),
    ).toEqual(['live'])
    expect(
      (await t.db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key),
    ).toEqual(['kept'])
    expect(
      (await t.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key),
    ).toEqual(['current'])
  })

  it('sweeps evidence files no row points at once they are old enough, never a referenced one', async () => {
    const store = localEvidenceStore(t.config.evidenceDir)
    const orphan = await store.put(new TextEncoder().encode('never committed'))
    const kept = await store.put(new TextEncoder().encode('belongs to a case'))
    await file(t.db, t.now(), {}, [
      {
        sha256: kept.sha256,
        size: kept.size,
        mime: 'text/plain',
        originalName: 'a.txt',
        sensitive: false,
      },
    ])
    const old = new Date(t.now() - 2 * HOUR)
    for (const sha of [orphan.sha256, kept.sha256]) fs.utimesSync(store.pathFor(sha), old, old)
    const young = await store.put(new TextEncoder().encode('upload in flight'))
    await housekeeping(t.db, t.config, silentLogger(), t.now())
    expect(store.has(orphan.sha256)).toBe(false)
    expect(store.has(kept.sha256)).toBe(true)
    expect(store.has(young.sha256)).toBe(true)
    expect(fs.existsSync(path.dirname(store.pathFor(kept.sha256)))).toBe(true)
  })
})
