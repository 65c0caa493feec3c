import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, enqueueMail, type NewMail } from '../../src/mail/outbox.js'
import { parseHTML } from '../helpers/html.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { file } from '../helpers/tickets.js'

let t: TestApp
let adminCookie: string
beforeEach(async () => {
  t = await createTestApp()
  const admin = await t.createStaff('admin')
  adminCookie = await t.signIn(admin.email, admin.password)
})
afterEach(async () => {
  await t.close()
})

const mail = (to: string, ticketId: number | null = null): NewMail => ({
  kind: 'agent_replied',
  to,
  locale: 'en',
  subject: `Subject for ${to}`,
  text: 'SECRET-BODY with a private link',
  html: null,
  ticketId,
  eventId: null,
})

async function failedMail(to: string, ticketId: number | null = null) {
  const id = await enqueueMail(t.db, mail(to, ticketId), t.now())
  await t.db
    .updateTable('outbox')
    .set({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: '550 mailbox unavailable' })
    .where('id', '=', id)
    .execute()
  return id
}

describe('the outbox admin page', () => {
  it('lists failed messages with recipient, kind, case, attempts and last error, and waiting ones, never bodies', async () => {
    const filed = await file(t.db, t.now())
    const failed = await failedMail('bounce@example.com', filed.ticket.id)
    const pending = await enqueueMail(t.db, mail('later@example.com'), t.now())
    await t.db
      .insertInto('outbox')
      .values({ ...toRow(mail('done@example.com')), status: 'sent' })
      .execute()

    const res = await t.get('/admin/outbox', { cookie: adminCookie })
    expect(res.status).toBe(200)
    const markup = await res.text()
    expect(markup).not.toContain('SECRET-BODY')
    const { $, $$, text } = parseHTML(markup)
    const row = text(`#outbox-failed #outbox-${failed}`) ?? ''
    expect(row).toContain('bounce@example.com')
    expect(row).toContain('agent_replied')
    expect(row).toContain(filed.ticket.case_number)
    expect(row).toContain(String(MAX_ATTEMPTS))
    expect(row).toContain('550 mailbox unavailable')
    expect(
      $(
        `#outbox-failed #outbox-${failed} form[action="/admin/outbox/${failed}/retry"][method="post"]`,
      ),
    ).not.toBeNull()
    expect(text(`#outbox-pending #outbox-${pending}`)).toContain('later@example.com')
    expect(
      $$('tr')
        .map((r) => r.textContent)
        .join(' '),
    ).not.toContain('done@example.com')
  })

  it('is linked from the admin start page', async () => {
    const { $ } = await html(await t.get('/admin', { cookie: adminCookie }))
    expect($('a[href="/admin/outbox"]')).not.toBeNull()
  })

  it('retries a failed message: due now, attempts reset, then back to the list with a notice', async () => {
    const id = await failedMail('bounce@example.com')
    t.advance(60_000)
    const res = await t.postForm(`/admin/outbox/${id}/retry`, {}, { cookie: adminCookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/outbox?done=retried')
    const row = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: t.now() })
    const { text } = await html(
      await t.get('/admin/outbox?done=retried', {
        cookie: adminCookie,
        headers: { 'accept-language': 'en' },
      }),
    )
    expect(text('#admin-notice')).toContain('queued again')
    expect(text(`#outbox-pending #outbox-${id}`)).toContain('bounce@example.com')
  })

  it('refuses to retry a message that is not failed (409) and an unknown one (404)', async () => {
    const id = await enqueueMail(t.db, mail('later@example.com'), t.now())
    const res = await t.postForm(`/admin/outbox/${id}/retry`, {}, { cookie: adminCookie })
    expect(res.status).toBe(409)
    expect((await html(res)).$('#form-error')).not.toBeNull()
    expect(
      (await t.postForm('/admin/outbox/99999/retry', {}, { cookie: adminCookie })).status,
    ).toBe(404)
  })

  it('is for admins only: agents and managers get 403, signed-out visitors the sign-in page', async () => {
    const id = await failedMail('bounce@example.com')
    for (const role of ['agent', 'manager'] as const) {
      const staff = await t.createStaff(role)
      const cookie = await t.signIn(staff.email, staff.password)
      expect((await t.get('/admin/outbox', { cookie })).status).toBe(403)
      expect((await t.postForm(`/admin/outbox/${id}/retry`, {}, { cookie })).status).toBe(403)
    }
    const anon = await t.get('/admin/outbox')
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toContain('/login')
    expect((await t.postForm(`/admin/outbox/${id}/retry`, {})).status).toBe(303)
    expect(
      await t.db
        .selectFrom('outbox')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'failed' })
  })
})

function toRow(m: NewMail) {
  return {
    kind: m.kind,
    ticket_id: m.ticketId,
    event_id: m.eventId,
    to_address: m.to,
    locale: m.locale,
    subject: m.subject,
    text_body: m.text,
    html_body: m.html,
    next_attempt_at: t.now(),
    lease_owner: null,
    lease_until: null,
    last_error: null,
    created_at: t.now(),
    sent_at: t.now(),
  }
}
