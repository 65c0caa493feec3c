import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { claimKey, completeKey } from '../../src/complaints/idempotency.js'
import {
  EXE,
  PDF,
  PNG,
  SVG,
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

const EN = { 'accept-language': 'en' }

async function ticketCount() {
  const row = await t.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('1. choosing the problem first', () => {
  it('shows the seven categories as plain links when no category is chosen', async () => {
    const res = await t.get('/complaints/new', { headers: EN })
    expect(res.status).toBe(200)
    const { $$, $ } = await html(res)
    const links = $$('#category-choices a').map((a) => a.getAttribute('href'))
    expect(links).toHaveLength(7)
    expect(links).toContain('/complaints/new?category=payment_failed')
    expect(links).toContain('/complaints/new?category=other')
    expect($('#complaint-form')).toBeNull()
  })

  it("shows the chosen category's self-help checklist before the details, and a fresh idempotency key", async () => {
    const res = await t.get('/complaints/new?category=payment_failed', { headers: EN })
    expect(res.status).toBe(200)
    const { $, $$ } = await html(res)
    expect($('#chosen-category')?.textContent).toContain('Payment failed')
    const boxes = $$('#self-help input[type=checkbox][name=self_help]').map((i) =>
      i.getAttribute('value'),
    )
    expect(boxes).toContain('switch_network_retry')
    expect(boxes).toHaveLength(6)
    const key = $('input[name=idempotency_key]')?.getAttribute('value') ?? ''
    expect(key.length).toBeGreaterThanOrEqual(22)
    const again = await html(await t.get('/complaints/new?category=payment_failed'))
    expect(again.$('input[name=idempotency_key]')?.getAttribute('value')).not.toBe(key)
    // The self-help section comes before the details in the document.
    const form = $('#complaint-form')!.innerHTML
    expect(form.indexOf('self-help')).toBeLessThan(form.indexOf('name="description"'))
    expect($$('#f-provider option').map((o) => o.getAttribute('value'))).toEqual(
      expect.arrayContaining(['alipay', 'wechat_pay', 'other']),
    )
  })

  it('files with nothing ticked and stores what was ticked when something is', async () => {
    await fileViaHttp(t, { self_help: undefined })
    await fileViaHttp(t, { self_help: ['check_refund_status', 'not_a_real_item'] })
    const rows = await t.db.selectFrom('tickets').select('self_help').orderBy('id').execute()
    expect(rows.map((r) => JSON.parse(r.self_help))).toEqual([[], ['check_refund_status']])
  })
})

describe('2. describing it', () => {
  it('files a valid complaint: 303 to /track/{token}, amount in minor units, time read in Asia/Shanghai, locale kept', async () => {
    const res = await postMultipart(t, '/complaints', multipart(validFields()), EN)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/track\/[A-Za-z0-9_-]{43}$/)
    const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
    expect(ticket.case_number).toMatch(/^LD-2026-\d{6}$/)
    expect(ticket.amount_minor).toBe(12850)
    expect(ticket.currency).toBe('CNY')
    expect(ticket.occurred_at).toBe(Date.UTC(2026, 10, 20, 6, 30))
    expect(ticket.locale).toBe('en')
    expect(ticket.provider_id).not.toBeNull()
    expect(ticket.status).toBe('new')
    expect(ticket.level).toBe('platform')
    expect(ticket.consent_at).toBe(t.now())
    // Only the hash of the token is stored.
    const token = res.headers.get('location')!.split('/').pop()!
    expect(ticket.tracking_token_hash).not.toContain(token)
    expect(ticket.tracking_token_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('accepts "other" as provider with its name', async () => {
    await fileViaHttp(t, { provider: 'other', provider_other: 'Some Wallet' })
    const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
    expect(ticket.provider_id).toBeNull()
    expect(ticket.provider_other).toBe('Some Wallet')
  })

  it('stores exact minor units without float rounding', async () => {
    for (const [amount, minor] of [
      ['0.29', 29],
      ['1,234.56', 123456],
      ['10000000.00', 1_000_000_000],
      ['７.５', 750],
    ] as const) {
      await fileViaHttp(t, { amount })
      const row = await t.db
        .selectFrom('tickets')
        .select('amount_minor')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(row.amount_minor, amount).toBe(minor)
    }
  })

  const refusals: [string, Record<string, string | undefined>, string, RegExp][] = [
    ['a future date', { occurred_at: '2026-11-23T10:01' }, 'occurred_at', /future/],
    [
      'an impossible date',
      { occurred_at: '2026-02-30T10:00' },
      'occurred_at',
      /date and time like/,
    ],
    ['a negative amount', { amount: '-5' }, 'amount', /more than 0/],
    ['a zero amount', { amount: '0.00' }, 'amount', /more than 0/],
    ['a 3-decimal amount', { amount: '12.345' }, 'amount', /decimal places/],
    ['an amount above the cap', { amount: '10000000.01' }, 'amount', /too large/],
    ['a non-number amount', { amount: '12abc' }, 'amount', /amount like/],
    ['no email and no phone', { email: '', phone: '' }, 'email', /email address or a phone number/],
    ['a malformed email', { email: 'not-an-email' }, 'email', /email address like/],
    ['a malformed phone', { phone: 'call me maybe' }, 'phone', /phone number like/],
    ['no consent', { consent: undefined }, 'consent', /consent/],
    [
      '"other" provider without its name',
      { provider: 'other', provider_other: '' },
      'provider_other',
      /Name the provider/,
    ],
    ['an unknown provider', { provider: 'nopay' }, 'provider', /Choose one/],
    ['an unknown desired outcome', { desired_outcome: 'revenge' }, 'desired_outcome', /Choose one/],
    ['an empty description', { description: '   ' }, 'description', /required/],
    [
      'a description over 5,000 characters',
      { description: '字'.repeat(5001) },
      'description',
      /5,000/,
    ],
  ]
  for (const [what, overrides, field, message] of refusals) {
    it(`refuses ${what} with 422, the message next to the field and the values kept`, async () => {
      const fields = { ...validFields(), ...overrides }
      const res = await postMultipart(t, '/complaints', multipart(fields), EN)
      expect(res.status).toBe(422)
      const { $, text } = await html(res)
      expect(text(`#f-${field}-error`)).toMatch(message)
      const control = $(`#f-${field}`)!
      expect(
        control.getAttribute('aria-invalid') ??
          control.querySelector('[aria-invalid]')?.getAttribute('aria-invalid'),
      ).toBe('true')
      expect($('#files-again')).not.toBeNull()
      // Values typed are kept (the merchant was valid in every case).
      expect($('#f-merchant')?.getAttribute('value')).toBe('美团外卖')
      expect($('input[name=idempotency_key]')?.getAttribute('value')).toBe(
        fields['idempotency_key'],
      )
      expect(await ticketCount()).toBe(0)
    })
  }

  it('answers a 422 in Chinese for a Chinese user and keeps a long description', async () => {
    const description = '我的钱包扣款了但是没有到账。'.repeat(20)
    const res = await postMultipart(
      t,
      '/complaints',
      multipart({ ...validFields(), description, amount: '-1' }),
    )
    expect(res.status).toBe(422)
    const { $, text } = await html(res)
    expect(text('#f-amount-error')).toContain('金额必须大于 0')
    expect($('#f-description')?.textContent).toBe(description)
  })

  it('sends only the form fragment with a 422 to an htmx request', async () => {
    const res = await postMultipart(
      t,
      '/complaints',
      multipart({ ...validFields(), amount: '1.234' }),
      { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    )
    expect(res.status).toBe(422)
    const body = await res.text()
    expect(body.trimStart().startsWith('<form')).toBe(true)
    expect(body).toContain('id="f-amount-error"')
  })

  it('tells htmx to load the tracking page after a successful filing', async () => {
    const res = await postMultipart(t, '/complaints', multipart(validFields()), {
      'HX-Request': 'true',
      'HX-Request-Type': 'partial',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-redirect')).toMatch(/^\/track\//)
  })
})

describe('3. attaching evidence', () => {
  it('stores accepted files by content with their SHA-256, sniffed type and sanitised name', async () => {
    await fileViaHttp(t, {}, [
      { name: '../../etc/截图\u202egnp.png', bytes: PNG, type: 'image/png' },
      { name: 'record.pdf', bytes: PDF, type: 'application/pdf' },
      { name: 'same-again.png', bytes: PNG, type: 'image/png' },
      {
        name: 'chat.txt',
        bytes: new TextEncoder().encode('客服说三个工作日内退款。\n'),
        type: 'text/plain',
      },
      {
        name: 'export.csv',
        bytes: new TextEncoder().encode('date,amount\n2026-11-20,128.50\n'),
        type: 'text/csv',
      },
    ])
    const rows = await t.db.selectFrom('evidence').selectAll().orderBy('id').execute()
    expect(rows.map((r) => r.mime)).toEqual([
      'image/png',
      'application/pdf',
      'image/png',
      'text/plain',
      'text/csv',
    ])
    expect(rows[0]!.original_name).toBe('截图gnp.png')
    expect(rows[0]!.sha256).toBe(rows[2]!.sha256)
    expect(rows[0]!.size).toBe(PNG.length)
    expect(rows.every((r) => r.event_id !== null)).toBe(true)
    // Content-addressed: the PNG sent twice is stored once.
    expect(evidenceFiles(t).sort()).toEqual([...new Set(rows.map((r) => r.sha256))].sort())
  })

  it('ignores an empty file input, as browsers send it when nothing was chosen', async () => {
    await fileViaHttp(t, {}, [{ name: '', bytes: new Uint8Array(0) }])
    expect(await t.db.selectFrom('evidence').selectAll().execute()).toHaveLength(0)
  })

  const refusedUploads: [string, { name: string; bytes: Uint8Array; type?: string }, RegExp][] = [
    [
      'an executable renamed .png',
      { name: 'receipt.png', bytes: EXE, type: 'image/png' },
      /“receipt\.png” is not an accepted kind of file/,
    ],
    [
      'an SVG',
      { name: 'logo.svg', bytes: SVG, type: 'image/svg+xml' },
      /“logo\.svg” is not an accepted/,
    ],
    [
      'an HTML page called .txt',
      {
        name: 'note.txt',
        bytes: new TextEncoder().encode('<!doctype html><p>hi'),
        type: 'text/plain',
      },
      /“note\.txt”/,
    ],
    [
      'a shell script',
      { name: 'run.txt', bytes: new TextEncoder().encode('#!/bin/sh\nrm -rf /\n') },
      /“run\.txt”/,
    ],
    [
      'an ELF binary',
      { name: 'x.pdf', bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]) },
      /“x\.pdf”/,
    ],
    [
      'a zip archive',
      { name: 'a.csv', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]) },
      /“a\.csv”/,
    ],
    ['an empty file', { name: 'empty.png', bytes: new Uint8Array(0) }, /“empty\.png” is empty/],
  ]
  for (const [what, file, message] of refusedUploads) {
    it(`refuses ${what}, names it, and stores nothing of the submission: no file, no row`, async () => {
      const res = await postMultipart(
        t,
        '/complaints',
        multipart(validFields(), [{ name: 'good.png', bytes: PNG }, file]),
        EN,
      )
      expect(res.status).toBe(422)
      const { text } = await html(res)
      expect(text('#f-evidence-error')).toMatch(message)
      expect(text('#f-evidence-error')).toContain('Nothing was saved')
      expect(evidenceFiles(t)).toEqual([])
      expect(await t.db.selectFrom('evidence').selectAll().execute()).toHaveLength(0)
      expect(await ticketCount()).toBe(0)
    })
  }

  it('refuses an 11th file', async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({
      name: `shot-${i}.png`,
      bytes: new Uint8Array([...PNG, i]),
    }))
    const res = await postMultipart(t, '/complaints', multipart(validFields(), files), EN)
    expect(res.status).toBe(422)
    expect((await html(res)).text('#f-evidence-error')).toMatch(/11 files; at most 10/)
    expect(evidenceFiles(t)).toEqual([])
    const ten = await postMultipart(t, '/complaints', multipart(validFields(), files.slice(0, 10)))
    expect(ten.status).toBe(303)
    expect(await t.db.selectFrom('evidence').selectAll().execute()).toHaveLength(10)
  })
})

describe('3. size limits', () => {
  let small: TestApp
  beforeEach(async () => {
    small = await createTestApp({ env: { EVIDENCE_MAX_FILE_MB: '0.01', EVIDENCE_MAX_FILES: '2' } })
  })
  afterEach(async () => {
    await small.close()
  })

  it('refuses a file above the per-file cap, naming it', async () => {
    const big = new Uint8Array(20 * 1024)
    big.set(PNG)
    const res = await postMultipart(
      small,
      '/complaints',
      multipart(validFields(), [{ name: 'huge.png', bytes: big }]),
      EN,
    )
    expect(res.status).toBe(422)
    expect((await html(res)).text('#f-evidence-error')).toMatch(/“huge\.png” is larger than/)
    expect(evidenceFiles(small)).toEqual([])
  })

  it('answers an oversized body with 413 and a readable message, before parsing it', async () => {
    // The cap is files × per-file size + 1 MB of form fields.
    const body = new Uint8Array(
      small.config.evidenceMaxFiles * small.config.evidenceMaxFileBytes + 1024 * 1024 + 10,
    )
    body.set(PNG)
    const res = await postMultipart(
      small,
      '/complaints',
      multipart(validFields(), [{ name: 'big.png', bytes: body }]),
      EN,
    )
    expect(res.status).toBe(413)
    expect((await html(res)).text('#error-message')).toContain('too large')
    expect(evidenceFiles(small)).toEqual([])
    expect(await small.db.selectFrom('tickets').selectAll().execute()).toHaveLength(0)
  })
})

describe('4. submitting once', () => {
  it('answers a resent POST with the same key with the same case, never a second one', async () => {
    const fields = validFields()
    const first = await postMultipart(
      t,
      '/complaints',
      multipart(fields, [{ name: 'a.png', bytes: PNG }]),
    )
    const second = await postMultipart(
      t,
      '/complaints',
      multipart(fields, [{ name: 'a.png', bytes: PNG }]),
    )
    expect(first.status).toBe(303)
    expect(second.status).toBe(303)
    expect(second.headers.get('location')).toBe(first.headers.get('location'))
    expect(await ticketCount()).toBe(1)
    expect(await t.db.selectFrom('evidence').selectAll().execute()).toHaveLength(1)
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(1)
  })

  it('files one case when two identical POSTs race', async () => {
    const fields = validFields()
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        postMultipart(t, '/complaints', multipart(fields, [{ name: 'a.png', bytes: PNG }])),
      ),
    )
    expect(results.map((r) => r.status)).toEqual([303, 303, 303])
    expect(new Set(results.map((r) => r.headers.get('location'))).size).toBe(1)
    expect(await ticketCount()).toBe(1)
    const key = await t.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow()
    expect(key.expires_at - key.created_at).toBe(24 * 3600_000)
    expect(key.response_location).toBe(results[0]!.headers.get('location'))
  })

  it('lets a transaction that loses the race on a key answer with the winner’s location', async () => {
    const { location } = await fileViaHttp(t)
    const ticket = await t.db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()
    const key = 'k'.repeat(24)
    expect(
      await t.db.transaction().execute((trx) => claimKey(trx, key, 'complaint', t.now())),
    ).toBeNull()
    await t.db.transaction().execute((trx) => completeKey(trx, key, ticket.id, location))
    expect(
      await t.db.transaction().execute((trx) => claimKey(trx, key, 'complaint', t.now())),
    ).toBe(location)
    await expect(
      t.db.transaction().execute((trx) => claimKey(trx, key, 'other_scope', t.now())),
    ).rejects.toThrow()
  })

  it('files separate cases for separate keys, and forgets keys after 24 hours', async () => {
    const fields = validFields()
    const a = await fileViaHttp(t, fields)
    await fileViaHttp(t, {})
    expect(await ticketCount()).toBe(2)
    t.advance(24 * 3600_000 + 1)
    const again = await fileViaHttp(t, fields)
    expect(again.location).not.toBe(a.location)
    expect(await ticketCount()).toBe(3)
    // The expired rows were purged on the way.
    expect(await t.db.selectFrom('idempotency_keys').selectAll().execute()).toHaveLength(1)
  })

  it('queues the tracking link by email in the complainant’s language, in the filing transaction', async () => {
    const { location } = await fileViaHttp(t, {}, [], EN)
    const mail = await t.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
    expect(mail.status).toBe('pending')
    expect(mail.to_address).toBe('wang@example.com')
    expect(mail.ticket_id).toBe(ticket.id)
    expect(mail.next_attempt_at).toBe(t.now())
    expect(mail.locale).toBe('en')
    expect(mail.subject).toContain(ticket.case_number)
    expect(mail.text_body).toContain(`${t.config.baseUrl}${location}`)
    expect(mail.html_body).toContain(`href="${t.config.baseUrl}${location}"`)
  })

  it('queues no email when only a phone was given', async () => {
    await fileViaHttp(t, { email: '', phone: '13800138000' })
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)
  })
})

describe('pages without inline script or style', () => {
  it('keeps the CSP on the chooser, the form, a 422 and the tracking page', async () => {
    const { location } = await fileViaHttp(t)
    const pages = [
      await t.get('/complaints/new'),
      await t.get('/complaints/new?category=account_compromised'),
      await postMultipart(t, '/complaints', multipart({ category: 'other' })),
      await t.get(location),
      await t.get('/track'),
    ]
    for (const res of pages) {
      const { $$ } = await html(res)
      expect($$('script:not([src])')).toHaveLength(0)
      expect($$('[style]')).toHaveLength(0)
      expect($$('[onclick], [onsubmit], [onload]')).toHaveLength(0)
    }
  })
})
