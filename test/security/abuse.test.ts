import { afterEach, describe, expect, it } from 'vitest'
import { FILINGS_PER_IP_PER_HOUR } from '../../src/complaints/routes.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import {
  evidenceFiles,
  fileViaHttp,
  multipart,
  PNG,
  postMultipart,
  validFields,
} from '../http/complaints-helpers.js'

// The complaint form is open to anyone, so one address may file only so many new cases per
// hour. Sign-in and lost-link brute force are covered in test/http/auth.test.ts ("sign-in rate
// limits") and test/http/track.test.ts ("7. lost link", "7. lost link: strangers cannot block
// the owner…").

let t: TestApp
afterEach(async () => {
  await t?.close()
})

const count = async (table: 'tickets' | 'events' | 'evidence' | 'outbox') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const from = (ip: string) => ({ 'x-forwarded-for': ip })

describe('complaint filing rate limit', () => {
  it('lets a person file twice, and an address file its allowance, then answers 429 with Retry-After and writes nothing', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } })
    await fileViaHttp(t, {}, [], from('203.0.113.7'))
    await fileViaHttp(t, {}, [], from('203.0.113.7'))
    for (let i = 2; i < FILINGS_PER_IP_PER_HOUR; i++)
      await fileViaHttp(t, {}, [], from('203.0.113.7'))
    const before = { tickets: await count('tickets'), files: evidenceFiles(t).length }

    const res = await postMultipart(
      t,
      '/complaints',
      multipart(validFields(), [{ name: 'a.png', bytes: PNG }]),
      from('203.0.113.7'),
    )
    expect(res.status).toBe(429)
    const retry = Number(res.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(0)
    expect(retry).toBeLessThanOrEqual(3600)
    const { text } = await html(res)
    expect(text('main')).toMatch(/Try again in \d+ seconds|秒后重试/)
    expect(await count('tickets')).toBe(before.tickets)
    expect(evidenceFiles(t).length).toBe(before.files)

    // Another address is not affected, and the window ends after an hour.
    await fileViaHttp(t, {}, [], from('198.51.100.20'))
    t.advance(3_600_001)
    await fileViaHttp(t, {}, [], from('203.0.113.7'))
  })

  it('does not count resends of a filed form, nor forms sent back with errors', async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } })
    const ip = from('203.0.113.8')
    for (let i = 0; i < 5; i++) {
      const bad = await postMultipart(
        t,
        '/complaints',
        multipart({ ...validFields(), email: 'not-an-email' }),
        ip,
      )
      expect(bad.status).toBe(422)
    }
    const key = 'resend-key-0123456789abcdef'
    const first = await fileViaHttp(t, { idempotency_key: key }, [], ip)
    for (let i = 0; i < FILINGS_PER_IP_PER_HOUR + 3; i++) {
      const again = await fileViaHttp(t, { idempotency_key: key }, [], ip)
      expect(again.location).toBe(first.location)
    }
    for (let i = 1; i < FILINGS_PER_IP_PER_HOUR; i++) await fileViaHttp(t, {}, [], ip)
    expect(await count('tickets')).toBe(FILINGS_PER_IP_PER_HOUR)
    expect((await postMultipart(t, '/complaints', multipart(validFields()), ip)).status).toBe(429)
  })

  it('does not believe X-Forwarded-For unless told a proxy sets it', async () => {
    t = await createTestApp()
    for (let i = 0; i < FILINGS_PER_IP_PER_HOUR; i++)
      await fileViaHttp(t, {}, [], from(`192.0.2.${i}`))
    const res = await postMultipart(t, '/complaints', multipart(validFields()), from('192.0.2.250'))
    expect(res.status).toBe(429)
  })
})
