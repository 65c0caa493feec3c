import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { validForm, validQuery } from '../../src/http/forms.js'
import { queueQuerySchema } from '../../src/tickets/queueQuery.js'

describe('validQuery and validForm: one way to check a query or a form', () => {
  const schema = z.object({ n: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().regex(/^\d+$/, 'form.invalid')) })
  const app = new Hono()
    .get('/q', validQuery(schema, (c, errors, values) => c.json({ errors, values }, 400)), (c) => c.json(c.req.valid('query')))
    .post('/f', validForm(schema, (c, errors, values) => c.json({ errors, values }, 422)), (c) => c.json(c.req.valid('form')))

  it('gives the handler the parsed query, or the caller its message keys and the values to show again', async () => {
    expect(await (await app.request('/q?n=12&n=x')).json()).toEqual({ n: '12' })
    const bad = await app.request('/q?n=x&other=1')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ errors: { n: 'form.invalid' }, values: { n: 'x', other: '1' } })
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
    const q = queueQuerySchema.parse({ status: ['closed', 'x'], level: 'nope', provider: '0x', assignee: ' 7 ', sort: 'amount', limit: '9999', q: ' a ' })
    expect(q.filters).toEqual({
      status: 'closed', level: null, category: null, provider: null, assignee: 7, overdue: false, dueToday: false, q: 'a', sort: 'amount',
    })
    expect(q.limit).toBe(500)
    expect(queueQuerySchema.parse({}).filters).toMatchObject({ status: 'open', sort: 'due', assignee: 'any' })
    expect(queueQuerySchema.parse({ q: 'refund' }).filters.status).toBe('all')
    expect(queueQuerySchema.parse({ cursor: 'garbage', part: 'more', shown: '-3', start: 'x' })).toMatchObject({ cursor: null, cursorText: '', more: true, shown: 0, start: '' })
  })
})
