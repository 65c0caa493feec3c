import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkFields, validForm, validQuery } from '../../src/http/forms.js'
import { queueQuerySchema } from '../../src/tickets/queueQuery.js'
import { trackFieldSchemas } from '../../src/track/actionSchemas.js'

describe('validQuery and validForm: one way to check a query or a form', () => {
  const schema = z.object({
    n: z.preprocess(
      (v) => (Array.isArray(v) ? v[0] : v),
      z.string().regex(/^\d+$/, 'form.invalid'),
    ),
  })
  const app = new Hono()
    .get(
      '/q',
      validQuery(schema, (c, errors, values) => c.json({ errors, values }, 400)),
      (c) => c.json(c.req.valid('query')),
    )
    .post(
      '/f',
      validForm(schema, (c, errors, values) => c.json({ errors, values }, 422)),
      (c) => c.json(c.req.valid('form')),
    )

  it('gives the handler the parsed query, or the caller its message keys and the values to show again', async () => {
    expect(await (await app.request('/q?n=12&n=x')).json()).toEqual({ n: '12' })
    const bad = await app.request('/q?n=x&other=1')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      errors: { n: 'form.invalid' },
      values: { n: 'x', other: '1' },
    })
    const missing = await app.request('/q')
    expect(await missing.json()).toMatchObject({ errors: { n: 'form.required' } })
  })

  it('does the same for a form, with 422', async () => {
    const bad = await app.request('/f', { method: 'POST', body: new URLSearchParams({ n: 'x' }) })
    expect(bad.status).toBe(422)
    expect(await bad.json()).toEqual({ errors: { n: 'form.invalid' }, values: { n: 'x' } })
  })
})

describe('the queue query', () => {
  it('reads the first of a repeated name and ignores what it cannot read', () => {
    const q = queueQuerySchema.parse({
      status: ['closed', 'x'],
      level: 'nope',
      provider: '0x',
      assignee: ' 7 ',
      sort: 'amount',
      limit: '9999',
      q: ' a ',
    })
    expect(q.filters).toEqual({
      status: 'closed',
      level: null,
      category: null,
      provider: null,
      assignee: 7,
      overdue: false,
      dueToday: false,
      q: 'a',
      sort: 'amount',
      tag: null,
      hidden: [],
    })
    expect(q.limit).toBe(500)
    expect(queueQuerySchema.parse({}).filters).toMatchObject({
      status: 'open',
      sort: 'due',
      assignee: 'any',
    })
    expect(queueQuerySchema.parse({ q: 'refund' }).filters.status).toBe('all')
    expect(
      queueQuerySchema.parse({ cursor: 'garbage', part: 'more', shown: '-3', start: 'x' }),
    ).toMatchObject({ cursor: null, cursorText: '', more: true, shown: 0, start: '' })
  })
})

describe('the complainant action fields', () => {
  const now = Date.UTC(2026, 10, 23, 2, 0, 0)
  const schemas = trackFieldSchemas(now)

  it('counts lengths in characters and keeps each message next to its field', () => {
    expect(checkFields(schemas.dispute, { reason: '😀'.repeat(2000) }).ok).toBe(true)
    expect(checkFields(schemas.dispute, { reason: '😀'.repeat(2001) })).toEqual({
      ok: false,
      errors: { reason: 'complaints.error.tooLong' },
    })
    expect(checkFields(schemas.dispute, { reason: '' })).toEqual({
      ok: false,
      errors: { reason: 'refusal.reason_required' },
    })
    expect(checkFields(schemas.withdraw, { reason: '', confirm: 'ON' }).ok).toBe(true)
    expect(checkFields(schemas.withdraw, { reason: '', confirm: '' })).toEqual({
      ok: false,
      errors: { confirm: 'track.error.confirmRequired' },
    })
  })

  it('reads the contact time in the office zone and refuses the future', () => {
    const fields = { channel: 'phone', summary: 'called', external_ref: '' }
    expect(
      checkFields(schemas.log_contact, { ...fields, contacted_at: '2026-11-22T09:30' }),
    ).toMatchObject({ ok: true, data: { contacted_at: Date.UTC(2026, 10, 22, 1, 30) } })
    expect(
      checkFields(schemas.log_contact, { ...fields, contacted_at: '2026-11-24T09:30' }),
    ).toEqual({ ok: false, errors: { contacted_at: 'complaints.error.futureDate' } })
    expect(
      checkFields(schemas.log_contact, { ...fields, channel: 'fax', contacted_at: 'soon' }),
    ).toEqual({
      ok: false,
      errors: { contacted_at: 'complaints.error.dateFormat', channel: 'track.error.channel' },
    })
  })
})
