import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { writerOf } from '../helpers/tickets.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket } from './ticketFixtures.js'

let t: TestApp
let assignee: { id: number; email: string; password: string }
let assigneeCookie: string
let colleague: { id: number; email: string; password: string }
let colleagueCookie: string
beforeEach(async () => {
  t = await createTestApp()
  assignee = await t.createStaff('agent')
  assigneeCookie = await t.signIn(assignee.email, assignee.password)
  colleague = await t.createStaff('agent')
  colleagueCookie = await t.signIn(colleague.email, colleague.password)
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }

/** The queue row's unread marker as one viewer sees it: its accessible text, or null. */
async function marker(caseNumber: string, cookie: string): Promise<string | null> {
  const page = await html(await t.get('/queue', { cookie, headers: EN }))
  const row = page.$(`#row-${caseNumber}`)
  expect(row).not.toBeNull()
  return row!.querySelector('.unread-mark .visually-hidden')?.textContent ?? null
}

const open = async (caseNumber: string, cookie: string) =>
  expect((await t.get(`/tickets/${caseNumber}`, { cookie })).status).toBe(200)

async function complainantSays(ticketId: number, body: string) {
  const r = await actOnTicket(writerOf(t.db), {
    ticketId,
    expectedVersion: null,
    input: { type: 'comment', body },
    actor: { kind: 'complainant' },
    now: t.now(),
  })
  expect(r.ok).toBe(true)
}

const UNREAD = 'Unread: the complainant or a body wrote since the assignee last opened it'

describe('the queue’s unread marker', () => {
  it('marks a complainant’s reply unread until the assignee opens the ticket', async () => {
    const ticket = await fileTicket(t)
    const quiet = await fileTicket(t)
    await act(t, ticket.id, assignee.id, { type: 'assign', assigneeId: assignee.id })
    await act(t, quiet.id, assignee.id, { type: 'assign', assigneeId: assignee.id })
    await open(ticket.case_number, assigneeCookie)
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()

    t.advance(60_000)
    await complainantSays(ticket.id, '我又联系了商家，还是没有退款。')
    // Every viewer sees the assignee's unread mark; a ticket nobody wrote on has none.
    expect(await marker(ticket.case_number, assigneeCookie)).toBe(UNREAD)
    expect(await marker(ticket.case_number, colleagueCookie)).toBe(UNREAD)
    expect(await marker(quiet.case_number, assigneeCookie)).toBeNull()
    const row = (await html(await t.get('/queue', { cookie: assigneeCookie }))).$(
      `#row-${ticket.case_number}`,
    )
    expect(row?.getAttribute('class')).toContain('qrow-unread')
    // Visible text, not colour alone (Chinese by default).
    expect(row?.querySelector('.unread-mark [aria-hidden="true"]')?.textContent).toBe('未读')

    // A colleague opening it does not read it for the assignee.
    await open(ticket.case_number, colleagueCookie)
    expect(await marker(ticket.case_number, assigneeCookie)).toBe(UNREAD)

    // The assignee opening it does, at once (the queue's cached pages are renewed).
    t.advance(1_000)
    await open(ticket.case_number, assigneeCookie)
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()
    expect(await marker(ticket.case_number, colleagueCookie)).toBeNull()
    const reads = await t.db
      .selectFrom('ticket_reads')
      .select(['user_id', 'read_at'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('user_id')
      .execute()
    expect(reads.map((r) => r.user_id)).toEqual([assignee.id, colleague.id])

    // The assignee's own replies leave it read; the next message from outside marks it again.
    await act(t, ticket.id, assignee.id, { type: 'reply', body: '我们会再联系商家。' })
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()
    t.advance(1_000)
    await complainantSays(ticket.id, '谢谢，等您的消息。')
    expect(await marker(ticket.case_number, assigneeCookie)).toBe(UNREAD)
  })

  it('marks what an outside body said when a colleague records it, and follows reassignment', async () => {
    const ticket = await fileTicket(t)
    await act(t, ticket.id, assignee.id, { type: 'assign', assigneeId: assignee.id })
    await open(ticket.case_number, assigneeCookie)
    t.advance(60_000)
    await act(t, ticket.id, colleague.id, {
      type: 'record_contact',
      body: '平台回复：已受理，五个工作日内处理。',
      externalRef: 'ALP-1',
      outcome: 'accepted',
    })
    expect(await marker(ticket.case_number, assigneeCookie)).toBe(UNREAD)

    // Handed to the colleague, who has not opened it since: still unread, now for them.
    await open(ticket.case_number, assigneeCookie)
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()
    await act(t, ticket.id, assignee.id, { type: 'assign', assigneeId: colleague.id })
    expect(await marker(ticket.case_number, assigneeCookie)).toBe(UNREAD)
    await open(ticket.case_number, colleagueCookie)
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()
    // Back to the first assignee, who read it after the message: read.
    await act(t, ticket.id, colleague.id, { type: 'assign', assigneeId: assignee.id })
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()

    // An answer the assignee records themselves is one they have read.
    t.advance(60_000)
    await act(t, ticket.id, assignee.id, {
      type: 'record_contact',
      body: '平台说已经退款。',
      externalRef: null,
      outcome: 'answered',
    })
    expect(await marker(ticket.case_number, assigneeCookie)).toBeNull()
  })
})
