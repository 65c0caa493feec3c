import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp, multipart, postMultipart, validFields } from '../http/complaints-helpers.js'
import { versionOf } from '../http/ticketFixtures.js'

// Right-to-left overrides, NUL bytes and other invisible characters in what people type are
// taken out when the form is read (src/domain/text.ts), so they are neither stored nor shown on
// staff pages, the complainant's page or in mails.

const RLO = '\u202E'
const NUL = '\u0000'
// Everything that must never come back out: C0 controls but tab and LF, DEL, C1, bidi controls,
// zero-width space, word joiner, BOM.
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const ticket = () =>
  t.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()

describe('invisible characters in typed text', () => {
  it('files a complaint with U+202E and NUL without them: the stored row, the case page and the staff page', async () => {
    const { location } = await fileViaHttp(t, {
      description: `Refund for invoice ${RLO}fdp.exe${NUL} please\r\nsecond line`,
      name: `王${RLO}芳${NUL}`,
      merchant: `Shop\u2066 X\u2069`,
      transaction_ref: `T1\u200B23${NUL}`,
      provider: 'other',
      provider_other: `Pay${RLO}Co`,
    })
    const row = await ticket()
    expect(row.description).toBe('Refund for invoice fdp.exe please\nsecond line')
    expect(row.complainant_name).toBe('王芳')
    expect(row.merchant).toBe('Shop X')
    expect(row.transaction_ref).toBe('T123')
    expect(row.provider_other).toBe('PayCo')

    const page = await t.get(location)
    const raw = await page.text()
    expect(raw).not.toMatch(INVISIBLE)
    expect(raw).toContain('Refund for invoice fdp.exe please')

    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const staff = await (await t.get(`/tickets/${row.case_number}`, { cookie })).text()
    expect(staff).not.toMatch(INVISIBLE)
    expect(staff).toContain('王芳')
  })

  it('counts a contact made only of invisible characters as no contact', async () => {
    const res = await postMultipart(
      t,
      '/complaints',
      multipart({ ...validFields(), email: '\u200B\uFEFF', phone: '' }),
      { 'accept-language': 'en' },
    )
    expect(res.status).toBe(422)
    expect((await html(res)).text('#f-email-error')).toContain(
      'Give an email address or a phone number',
    )
    expect(await t.db.selectFrom('tickets').selectAll().execute()).toHaveLength(0)
  })

  it('takes them out of a complainant’s message and a staff reply, and so out of the reply mail', async () => {
    const { location } = await fileViaHttp(t)
    const message = await t.postForm(`${location}/messages`, { body: `hello ${RLO}olleh${NUL}` })
    expect(message.status).toBe(303)
    const row = await ticket()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const reply = await t.postForm(
      `/tickets/${row.case_number}/actions/reply`,
      {
        version: String(await versionOf(t, row.case_number)),
        body: `We refunded ${RLO}05.821${NUL} CNY\u2028Regards`,
      },
      { cookie },
    )
    expect(reply.status).toBe(303)
    const bodies = (
      await t.db.selectFrom('events').select('body').where('body', 'is not', null).execute()
    ).map((e) => e.body)
    expect(bodies).toEqual(
      expect.arrayContaining(['hello olleh', 'We refunded 05.821 CNY\nRegards']),
    )
    for (const b of bodies) expect(b).not.toMatch(INVISIBLE)

    const mails = await t.db
      .selectFrom('outbox')
      .select(['subject', 'text_body', 'html_body'])
      .execute()
    expect(mails.some((m) => m.text_body.includes('We refunded 05.821 CNY'))).toBe(true)
    for (const m of mails) expect(m.subject + m.text_body + m.html_body).not.toMatch(INVISIBLE)
    expect(await (await t.get(location)).text()).not.toMatch(INVISIBLE)
  })

  it('takes them out of a staff note and an escalation’s reference, keeping the note’s lines', async () => {
    await fileViaHttp(t)
    const row = await ticket()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const note = await t.postForm(
      `/tickets/${row.case_number}/actions/note`,
      {
        version: String(await versionOf(t, row.case_number)),
        body: `line one${NUL}\r\n${RLO}line two`,
      },
      { cookie },
    )
    expect(note.status).toBe(303)
    const escalate = await t.postForm(
      `/tickets/${row.case_number}/actions/escalate`,
      {
        version: String(await versionOf(t, row.case_number)),
        reason: 'refused',
        note: '',
        external_ref: `REF\t1${RLO}2\n`,
        confirm: '1',
      },
      { cookie },
    )
    expect(escalate.status).toBe(303)
    const events = await t.db
      .selectFrom('events')
      .select(['type', 'body', 'payload'])
      .where('ticket_id', '=', row.id)
      .execute()
    expect(events.find((e) => e.type === 'noted')?.body).toBe('line one\nline two')
    expect(JSON.stringify(events)).not.toMatch(/\\u202e|\\u0000/i)
    expect(JSON.stringify(events)).toContain('REF 12')
  })
})
