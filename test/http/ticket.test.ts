import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writerOf } from '../helpers/tickets.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { parseHTML } from '../helpers/html.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket, versionOf } from './ticketFixtures.js'

const DAY = 86_400_000
let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

const post = async (
  caseNumber: string,
  action: string,
  fields: Record<string, string>,
  c = cookie,
) =>
  t.postForm(
    `/tickets/${caseNumber}/actions/${action}`,
    { version: String(await versionOf(t, caseNumber)), ...fields },
    { cookie: c },
  )

const ticketRow = (caseNumber: string) =>
  t.db
    .selectFrom('tickets')
    .selectAll()
    .where('case_number', '=', caseNumber)
    .executeTakeFirstOrThrow()
const lastEvent = async (ticketId: number) =>
  t.db
    .selectFrom('events')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()

describe('the ticket page', () => {
  it('shows the complaint, what was tried, contacts, ladder and timeline, with numbers masked', async () => {
    const tk = await fileTicket(t, {
      description: '卡号 4111111111111111 被扣款，身份证 11010519491231002X。',
      selfHelp: ['check_status_and_time', 'contact_support'],
      transactionRef: 'TX-778899',
    })
    await t.db
      .insertInto('contact_attempts')
      .values({
        ticket_id: tk.id,
        contacted_at: t.now() - DAY,
        channel: 'phone',
        summary: '客服说等三天',
        external_ref: 'CS-1',
        recorded_by_type: 'complainant',
        recorded_by_user_id: null,
        created_at: t.now(),
      })
      .execute()
    await act(t, tk.id, agent.id, { type: 'note', body: '内部：已致电平台' })
    await act(t, tk.id, agent.id, { type: 'reply', body: '我们已收到您的投诉' })
    const res = await t.get(`/tickets/${tk.case_number}`, { cookie })
    expect(res.status).toBe(200)
    const { $, $$, text } = await html(res)
    expect(text('.ws-case')).toBe(tk.case_number)
    expect(text('#complaint')).toContain('¥120.50')
    expect(text('#transaction-ref')).toBe('TX-778899')
    const description = text('#description') ?? ''
    expect(description).not.toContain('4111111111111111')
    expect(description).not.toContain('11010519491231002X')
    expect(text('#phone')).not.toContain('13912345678')
    expect($$('#self-help li')).toHaveLength(2)
    expect(text('#contacts')).toContain('客服说等三天')
    expect($$('#ladder li')).toHaveLength(4)
    expect($('#ladder .is-current')).not.toBeNull()
    expect(text('#deadline')).toMatch(/期限/)
    expect($$('#timeline .event-internal').map((e) => e.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('内部：已致电平台')]),
    )
    expect($$('#timeline .event-public').length).toBeGreaterThanOrEqual(2)
    expect($('#reveal-form')).not.toBeNull()
    expect($$('[style]')).toHaveLength(0)
  })

  it('is a 404 for an unknown case and asks a visitor to sign in', async () => {
    expect((await t.get('/tickets/LD-2026-999999', { cookie })).status).toBe(404)
    expect((await t.get('/tickets/not-a-case', { cookie })).status).toBe(404)
    const tk = await fileTicket(t)
    expect((await t.get(`/tickets/${tk.case_number}`)).status).toBe(303)
  })

  it('returns just the workspace to an htmx partial request', async () => {
    const tk = await fileTicket(t)
    const res = await t.get(`/tickets/${tk.case_number}`, {
      cookie,
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    const body = await res.text()
    expect(body).not.toContain('<html')
    expect(body).toContain('id="workspace"')
  })

  it('pre-fills the reply with a canned reply of the category in the complainant language', async () => {
    const tk = await fileTicket(t, { locale: 'en' })
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    const key = page.$('#canned-select option')!.getAttribute('value')!
    const filled = await html(await t.get(`/tickets/${tk.case_number}?canned=${key}`, { cookie }))
    const body = filled.$('#reply-form textarea[name="body"]')?.textContent ?? ''
    expect(body.length).toBeGreaterThan(10)
    expect(body).toMatch(/[a-z]/)
  })

  it('inserts a canned reply with htmx after the text already typed, swapping only the reply form', async () => {
    const tk = await fileTicket(t, { locale: 'en' })
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    const canned = page.$('#canned-form')!
    expect(canned.getAttribute('hx-post')).toBe(`/tickets/${tk.case_number}/reply-draft`)
    expect(canned.getAttribute('hx-include')).toBe('#reply-form')
    expect(canned.getAttribute('hx-target')).toBe('#reply-form')
    const key = page.$('#canned-select option')!.getAttribute('value')!
    const prefilled = (
      await html(await t.get(`/tickets/${tk.case_number}?canned=${key}`, { cookie }))
    ).$('#reply-form textarea')!.textContent!
    const partial = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' }
    const res = await t.postForm(
      `/tickets/${tk.case_number}/reply-draft`,
      { canned: key, body: 'Thank you for the screenshots.  ', version: '7' },
      { cookie, headers: partial },
    )
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('id="workspace"')
    const form = (await html(new Response(text))).$('#reply-form')!
    expect(form.querySelector('textarea[name="body"]')!.textContent).toBe(
      `Thank you for the screenshots.\n\n${prefilled}`,
    )
    // The version the page was built on is kept, so a stale reply still meets its 409.
    expect(form.querySelector('input[name="version"]')!.getAttribute('value')).toBe('7')
    // Nothing typed yet: just the canned text. An unknown key leaves the text as it was.
    const empty = await html(
      await t.postForm(
        `/tickets/${tk.case_number}/reply-draft`,
        { canned: key, body: '', version: '1' },
        { cookie, headers: partial },
      ),
    )
    expect(empty.$('#reply-form textarea')!.textContent).toBe(prefilled)
    const unknown = await html(
      await t.postForm(
        `/tickets/${tk.case_number}/reply-draft`,
        { canned: 'nope', body: 'mine', version: '1' },
        { cookie, headers: partial },
      ),
    )
    expect(unknown.$('#reply-form textarea')!.textContent).toBe('mine')
    // Without htmx it falls back to the page with the reply pre-filled; unknown cases are a 404.
    const plain = await t.postForm(
      `/tickets/${tk.case_number}/reply-draft`,
      { canned: key, body: 'x', version: '1' },
      { cookie },
    )
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/tickets/${tk.case_number}?canned=${key}`)
    expect(
      (
        await t.postForm(
          '/tickets/LD-2026-999999/reply-draft',
          { canned: key },
          { cookie, headers: partial },
        )
      ).status,
    ).toBe(404)
  })

  it('warns when the dispute window after a proposed resolution or the limitation period runs out', async () => {
    const tk = await fileTicket(t, { occurredAt: t.now() - (3 * 365 - 20) * DAY })
    await act(t, tk.id, agent.id, {
      type: 'propose_resolution',
      body: '退还全部',
      relief: 'explanation',
      amountRecoveredMinor: null,
    })
    t.advance(50 * DAY)
    const fresh = await t.signIn(agent.email, agent.password)
    const { $ } = await html(await t.get(`/tickets/${tk.case_number}`, { cookie: fresh }))
    expect($('[data-window="dispute_window"]')).not.toBeNull()
    expect($('[data-window="limitation"]')).not.toBeNull()
  })
})

describe('ticket actions', () => {
  it('assigns, claims and sets the priority, each as an internal event', async () => {
    const other = await t.createStaff('agent')
    const tk = await fileTicket(t)
    let res = await post(tk.case_number, 'assign', { assignee: String(agent.id) })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/tickets/${tk.case_number}`)
    expect(await ticketRow(tk.case_number)).toMatchObject({ assignee_id: agent.id, status: 'open' })
    res = await post(tk.case_number, 'assign', { assignee: String(other.id) })
    expect((await ticketRow(tk.case_number)).assignee_id).toBe(other.id)
    res = await post(tk.case_number, 'set_priority', { priority: 'urgent' })
    expect(res.status).toBe(303)
    const e = await lastEvent(tk.id)
    expect(e).toMatchObject({
      type: 'priority_set',
      visibility: 'internal',
      actor_user_id: agent.id,
    })
    expect(JSON.parse(e.payload)).toMatchObject({
      from: { priority: 'normal' },
      to: { priority: 'urgent' },
    })
    // Refusals: nothing to change; a user who does not exist.
    expect((await post(tk.case_number, 'set_priority', { priority: 'urgent' })).status).toBe(409)
    expect((await post(tk.case_number, 'assign', { assignee: String(other.id) })).status).toBe(409)
    const unknown = await post(tk.case_number, 'assign', { assignee: '9999' })
    expect(unknown.status).toBe(422)
    expect((await html(unknown)).$('#assign-assignee')?.getAttribute('aria-invalid')).toBe('true')
  })

  it('replies publicly and notes internally; an empty body is a 422 with the form kept', async () => {
    const tk = await fileTicket(t)
    expect((await post(tk.case_number, 'reply', { body: '您好，我们已联系平台。' })).status).toBe(
      303,
    )
    const replied = await lastEvent(tk.id)
    expect(replied).toMatchObject({
      type: 'replied',
      visibility: 'public',
      body: '您好，我们已联系平台。',
    })
    const mail = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('event_id', '=', replied.id)
      .executeTakeFirstOrThrow()
    expect(mail).toMatchObject({
      to_address: 'zhang@example.com',
      locale: 'zh-CN',
      status: 'pending',
      kind: 'agent_replied',
    })
    expect(mail.text_body).toContain('您好，我们已联系平台。')
    expect((await post(tk.case_number, 'note', { body: '平台电话无人接听' })).status).toBe(303)
    const noted = await lastEvent(tk.id)
    expect(noted).toMatchObject({ type: 'noted', visibility: 'internal' })
    expect(
      await t.db.selectFrom('outbox').select('id').where('event_id', '=', noted.id).execute(),
    ).toHaveLength(0)
    const empty = await post(tk.case_number, 'note', { body: '   ' })
    expect(empty.status).toBe(422)
    const { $ } = await html(empty)
    expect($('#action-note')?.hasAttribute('open')).toBe(true)
    expect($('#f-note-body')?.getAttribute('aria-invalid')).toBe('true')
    // Ids carry the action (several forms have a body), the submitted names do not.
    expect($('#f-note-body')?.getAttribute('name')).toBe('body')
    expect($('#f-reply-body')?.getAttribute('name')).toBe('body')
    expect($('#f-escalate-external_ref')?.getAttribute('name')).toBe('external_ref')
  })

  it('requests information, which pauses the clock; asking again while waiting is refused', async () => {
    const tk = await fileTicket(t)
    expect((await post(tk.case_number, 'request_info', { body: '请提供交易截图' })).status).toBe(
      303,
    )
    const row = await ticketRow(tk.case_number)
    expect(row).toMatchObject({ status: 'waiting_complainant', due_at: null, paused_at: t.now() })
    const again = await post(tk.case_number, 'request_info', { body: '再问一次' })
    expect(again.status).toBe(409)
    expect((await html(again)).text('#request_info-form, #action-error')).toBeTruthy()
  })

  it('moves the due date by exactly the time spent waiting on the complainant', async () => {
    const tk = await fileTicket(t)
    const before = (await ticketRow(tk.case_number)).due_at!
    // A day later, so the whole pause falls on days the clock counts (the filing day does not).
    t.advance(DAY)
    const fresh = await t.signIn(agent.email, agent.password)
    expect((await post(tk.case_number, 'request_info', { body: '请提供截图' }, fresh)).status).toBe(
      303,
    )
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie: fresh }))
    expect(page.$('#deadline .due-paused')).not.toBeNull()
    t.advance(3 * DAY)
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: tk.id,
      expectedVersion: null,
      input: { type: 'comment', body: '截图已上传' },
      actor: { kind: 'complainant' },
      now: t.now(),
    })
    expect(r.ok).toBe(true)
    const after = await ticketRow(tk.case_number)
    expect(after.status).toBe('open')
    expect(after.due_at).toBe(before + 3 * DAY)
  })

  it('records what the outside body said and proposes a resolution with the amount in minor units', async () => {
    const tk = await fileTicket(t)
    expect(
      (
        await post(tk.case_number, 'record_contact', {
          body: '平台已受理',
          external_ref: 'ALI-2026-1',
          outcome: 'accepted',
        })
      ).status,
    ).toBe(303)
    const stage = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', tk.id)
      .executeTakeFirstOrThrow()
    expect(stage).toMatchObject({ external_ref: 'ALI-2026-1', outcome: 'accepted' })
    expect((await ticketRow(tk.case_number)).status).toBe('waiting_body')
    expect(
      (await post(tk.case_number, 'record_contact', { body: 'x', outcome: 'maybe' })).status,
    ).toBe(422)
    // Monetary relief needs an amount; other relief may not carry one.
    const missing = await post(tk.case_number, 'propose_resolution', {
      body: '退还部分',
      relief: 'monetary',
      amount_recovered: '',
    })
    expect(missing.status).toBe(422)
    expect((await html(missing)).text('#propose_resolution-form .notice-error')).toContain(
      '追回金额',
    )
    expect(
      (
        await post(tk.case_number, 'propose_resolution', {
          body: '退还',
          relief: 'monetary',
          amount_recovered: '12.3.4',
        })
      ).status,
    ).toBe(422)
    expect(
      (
        await post(tk.case_number, 'propose_resolution', {
          body: '平台同意退还 88.50 元',
          relief: 'monetary',
          amount_recovered: '88.50',
        })
      ).status,
    ).toBe(303)
    expect(await ticketRow(tk.case_number)).toMatchObject({
      status: 'resolution_proposed',
      relief: 'monetary',
      amount_recovered_minor: 8850,
    })
  })

  it('escalates up the ladder with a reason, and refuses past the top or "other" without a note', async () => {
    const tk = await fileTicket(t)
    expect((await post(tk.case_number, 'escalate', { reason: 'other', note: '' })).status).toBe(422)
    expect((await post(tk.case_number, 'escalate', { reason: 'disputed' })).status).toBe(409)
    expect(
      (
        await post(tk.case_number, 'escalate', {
          reason: 'refused',
          external_ref: '12315-88',
          confirm: '1',
        })
      ).status,
    ).toBe(303)
    let row = await ticketRow(tk.case_number)
    expect(row).toMatchObject({ level: 'consumer_association', status: 'waiting_body' })
    const stages = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', tk.id)
      .orderBy('id')
      .execute()
    expect(stages).toHaveLength(2)
    expect(stages[0]!.left_at).toBe(t.now())
    expect(stages[1]).toMatchObject({
      level: 'consumer_association',
      external_ref: '12315-88',
      escalation_reason: 'refused',
      entered_by: agent.id,
    })
    await post(tk.case_number, 'escalate', { reason: 'refused', confirm: '1' })
    await post(tk.case_number, 'escalate', {
      reason: 'other',
      note: '监管未处理，转律师',
      confirm: '1',
    })
    row = await ticketRow(tk.case_number)
    expect(row.level).toBe('legal')
    const top = await post(tk.case_number, 'escalate', { reason: 'refused' })
    expect(top.status).toBe(409)
    const topPage = await html(top)
    expect(topPage.$('#escalate-form')).toBeNull()
    expect(topPage.text('#action-error')).toContain('最高一级')
  })

  it('marks a case complex (longer clock) and sets a reminder date at the legal level', async () => {
    const tk = await fileTicket(t)
    const before = (await ticketRow(tk.case_number)).due_at!
    expect((await post(tk.case_number, 'mark_complex', { complex: '1' })).status).toBe(303)
    const after = await ticketRow(tk.case_number)
    expect(after.complex).toBe(1)
    expect(after.due_at).toBe(before + 45 * DAY)
    expect((await post(tk.case_number, 'mark_complex', { complex: '1' })).status).toBe(409)
    for (const reason of ['refused', 'refused', 'refused'])
      await post(tk.case_number, 'escalate', { reason, confirm: '1' })
    expect((await ticketRow(tk.case_number)).due_at).toBeNull()
    await act(t, tk.id, agent.id, {
      type: 'record_contact',
      body: '律师已接手',
      externalRef: null,
      outcome: 'answered',
    })
    expect((await post(tk.case_number, 'set_reminder', { reminder_at: '2027-13-01' })).status).toBe(
      422,
    )
    expect((await post(tk.case_number, 'set_reminder', { reminder_at: '2027-01-15' })).status).toBe(
      303,
    )
    const legal = await ticketRow(tk.case_number)
    expect(legal.reminder_at).toBe(Date.UTC(2027, 0, 15, 16, 0) - 1)
    expect(legal.due_at).toBe(legal.reminder_at)
    const { text } = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    expect(text('#deadline')).toContain('2027')
  })

  it('closes, refuses work on a closed case, and reopens', async () => {
    const tk = await fileTicket(t)
    expect(
      (await post(tk.case_number, 'close', { outcome: 'resolved', note: '已解决' })).status,
    ).toBe(303)
    expect(await ticketRow(tk.case_number)).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      closed_at: t.now(),
    })
    // The stopped clock keeps a pause open; the page says the case is finished, not that it waits.
    expect((await ticketRow(tk.case_number)).paused_at).not.toBeNull()
    const closed = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    expect(closed.$('#deadline .due-stopped')).not.toBeNull()
    expect(closed.$('#deadline .due-paused')).toBeNull()
    expect(closed.$('#deadline .phase')).toBeNull()
    expect(closed.text('#deadline')).toContain('不再计时')
    const reply = await post(tk.case_number, 'reply', { body: 'hello' })
    expect(reply.status).toBe(409)
    expect((await html(reply)).text('#action-error')).toContain('只能重新打开')
    expect((await post(tk.case_number, 'reopen', { note: '投诉人补充了新情况' })).status).toBe(303)
    expect(await ticketRow(tk.case_number)).toMatchObject({
      status: 'open',
      outcome: null,
      closed_at: null,
    })
    const reopened = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    expect(reopened.$('#deadline .due-stopped')).toBeNull()
    expect(reopened.$('#deadline .phase')).not.toBeNull()
    expect((await post(tk.case_number, 'reopen', { note: '' })).status).toBe(409)
  })

  it('merges a duplicate: both timelines stay and each case points at the other', async () => {
    const original = await fileTicket(t)
    const dup = await fileTicket(t)
    expect(
      (await post(dup.case_number, 'close', { outcome: 'duplicate', duplicate_of: '' })).status,
    ).toBe(422)
    expect(
      (
        await post(dup.case_number, 'close', {
          outcome: 'duplicate',
          duplicate_of: 'LD-2026-999999',
        })
      ).status,
    ).toBe(422)
    const self = await post(dup.case_number, 'close', {
      outcome: 'duplicate',
      duplicate_of: dup.case_number,
    })
    expect(self.status).toBe(422)
    expect((await html(self)).text('#close-form')).toContain('不能与自身重复')
    expect(
      (
        await post(dup.case_number, 'close', {
          outcome: 'duplicate',
          duplicate_of: original.case_number.toLowerCase(),
        })
      ).status,
    ).toBe(303)
    expect((await ticketRow(dup.case_number)).duplicate_of_id).toBe(original.id)
    const dupPage = await html(await t.get(`/tickets/${dup.case_number}`, { cookie }))
    expect(dupPage.$('#duplicate-of a')?.getAttribute('href')).toBe(
      `/tickets/${original.case_number}`,
    )
    const origPage = await html(await t.get(`/tickets/${original.case_number}`, { cookie }))
    expect(origPage.$('#duplicates a')?.getAttribute('href')).toBe(`/tickets/${dup.case_number}`)
    expect(dupPage.$$('#timeline .event').length).toBeGreaterThanOrEqual(2)
  })

  it('answers a stale version with 409, what changed since, and a fresh form keeping the text', async () => {
    const other = await t.createStaff('agent')
    const otherCookie = await t.signIn(other.email, other.password)
    const tk = await fileTicket(t)
    const seen = await versionOf(t, tk.case_number)
    const first = await t.postForm(
      `/tickets/${tk.case_number}/actions/note`,
      { version: String(seen), body: '我先处理' },
      { cookie: otherCookie },
    )
    expect(first.status).toBe(303)
    const second = await t.postForm(
      `/tickets/${tk.case_number}/actions/reply`,
      { version: String(seen), body: '我的回复草稿' },
      { cookie },
    )
    expect(second.status).toBe(409)
    const { $, text } = await html(second)
    expect(text('#stale')).toContain('我先处理')
    expect(text('#stale')).toContain(other.email.startsWith('agent') ? 'Test agent' : '')
    expect($('#reply-form input[name="version"]')?.getAttribute('value')).toBe(String(seen + 1))
    expect($('#reply-form textarea')?.textContent).toBe('我的回复草稿')
    const replies = await t.db
      .selectFrom('events')
      .select('id')
      .where('ticket_id', '=', tk.id)
      .where('type', '=', 'replied')
      .execute()
    expect(replies).toHaveLength(0)
  })

  it('takes exactly one of several replies racing on the same version; replies to other tickets all land', async () => {
    const a = await fileTicket(t)
    const b = await fileTicket(t)
    const seenA = await versionOf(t, a.case_number)
    const seenB = await versionOf(t, b.case_number)
    // Sent together, these reach the database in the same moment and share one commit.
    const results = await Promise.all([
      ...[1, 2, 3].map((i) =>
        t.postForm(
          `/tickets/${a.case_number}/actions/reply`,
          { version: String(seenA), body: `回复 ${i}` },
          { cookie },
        ),
      ),
      t.postForm(
        `/tickets/${b.case_number}/actions/note`,
        { version: String(seenB), body: '另一张工单' },
        { cookie },
      ),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([303, 303, 409, 409])
    const replies = await t.db
      .selectFrom('events')
      .select('body')
      .where('ticket_id', '=', a.id)
      .where('type', '=', 'replied')
      .execute()
    expect(replies).toHaveLength(1)
    expect((await ticketRow(a.case_number)).version).toBe(seenA + 1)
    expect((await lastEvent(b.id)).body).toBe('另一张工单')
  })

  it('shows the newest fifty events and brings the earlier ones a page at a time, with or without htmx', async () => {
    const tk = await fileTicket(t)
    for (let i = 1; i <= 70; i++)
      await act(t, tk.id, agent.id, { type: 'note', body: `记录 ${i} 卡号 4111111111111111` })
    const all = await t.db
      .selectFrom('events')
      .select('id')
      .where('ticket_id', '=', tk.id)
      .orderBy('id', 'desc')
      .execute()
    expect(all.length).toBeGreaterThan(70)
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    const shown = page.$$('#timeline li.event').map((li) => Number(li.id.replace('event-', '')))
    // Newest first, exactly the fifty newest.
    expect(shown).toEqual(all.slice(0, 50).map((e) => e.id))
    expect(page.text('#timeline li.event')).toContain('记录 70')
    const more = page.$('#timeline-more a')
    const href = more?.getAttribute('href') ?? ''
    expect(href).toBe(`/tickets/${tk.case_number}/timeline?before=${all[49]!.id}`)
    expect(more?.getAttribute('hx-get')).toBe(href)

    // With htmx: only the next rows, in place of the link.
    const rows = await t.get(href, {
      cookie,
      headers: { 'hx-request': 'true', 'hx-request-type': 'partial' },
    })
    expect(rows.status).toBe(200)
    const body = await rows.text()
    expect(body).not.toContain('<html')
    const part = parseHTML(`<ol>${body}</ol>`)
    const next = part.$$('li.event').map((li) => Number(li.id.replace('event-', '')))
    expect(next).toEqual(all.slice(50).map((e) => e.id))
    expect(part.$('#timeline-more')).toBeNull()
    // Masked like the page itself.
    expect(body).not.toContain('4111111111111111')

    // Without JavaScript: the same rows as a page of their own.
    const own = await t.get(href, { cookie })
    expect(own.status).toBe(200)
    const full = await html(own)
    expect(full.$$('#timeline li.event')).toHaveLength(all.length - 50)
    expect(full.$('a[href="/tickets/' + tk.case_number + '"]')).not.toBeNull()
  })

  it('still names an agent who has left, on the ticket page and its earlier events', async () => {
    const leaver = await t.createStaff('agent')
    await t.db.updateTable('users').set({ name: '离职专员' }).where('id', '=', leaver.id).execute()
    const tk = await fileTicket(t)
    // Assigned to them once among the oldest events and once among the newest.
    await act(t, tk.id, agent.id, { type: 'assign', assigneeId: leaver.id })
    for (let i = 0; i < 55; i++) await act(t, tk.id, agent.id, { type: 'note', body: `n${i}` })
    // The holder hands it back; only then may the agent pass it on again.
    await act(t, tk.id, leaver.id, { type: 'assign', assigneeId: agent.id })
    await act(t, tk.id, agent.id, { type: 'assign', assigneeId: leaver.id })
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', leaver.id).execute()
    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    expect(page.text('#timeline li.event')).toContain('离职专员')
    const href = page.$('#timeline-more a')?.getAttribute('href') ?? ''
    const earlier = await html(await t.get(href, { cookie }))
    expect(earlier.$$('#timeline li.event').at(-2)?.textContent).toContain('离职专员')
    expect(`${page.text('#timeline')} ${earlier.text('#timeline')}`).not.toContain(`#${leaver.id}`)
  })

  it('asks for a page of earlier events with a real event number', async () => {
    const tk = await fileTicket(t)
    for (const bad of ['', 'abc', '0', '-5', '1.5', '99999999999999999999']) {
      expect(
        (await t.get(`/tickets/${tk.case_number}/timeline?before=${bad}`, { cookie })).status,
      ).toBe(400)
    }
    expect((await t.get('/tickets/2026-999999/timeline?before=5', { cookie })).status).toBe(404)
    // Past the first event there is simply nothing earlier.
    const none = await html(await t.get(`/tickets/${tk.case_number}/timeline?before=1`, { cookie }))
    expect(none.$$('#timeline li.event')).toHaveLength(0)
    // Staff only.
    expect((await t.get(`/tickets/${tk.case_number}/timeline?before=5`)).status).not.toBe(200)
  })

  it('is a 404 for an action that does not exist', async () => {
    const tk = await fileTicket(t)
    expect((await post(tk.case_number, 'explode', {})).status).toBe(404)
  })
})

describe('reveal and history', () => {
  it('reveals masked numbers once and records who looked, without changing the ticket', async () => {
    const tk = await fileTicket(t, { description: '卡号 4111111111111111 被扣款' })
    const version = await versionOf(t, tk.case_number)
    const res = await t.postForm(`/tickets/${tk.case_number}/reveal`, {}, { cookie })
    expect(res.status).toBe(200)
    const { text, $ } = await html(res)
    expect(text('#description')).toContain('4111111111111111')
    expect(text('#phone')).toBe('13912345678')
    expect($('#revealed')).not.toBeNull()
    const e = await lastEvent(tk.id)
    expect(e).toMatchObject({
      type: 'revealed',
      visibility: 'internal',
      actor_type: 'staff',
      actor_user_id: agent.id,
    })
    expect(JSON.parse(e.payload).fields).toEqual(['description', 'phone'])
    const row = await ticketRow(tk.case_number)
    expect(row.version).toBe(version)
    expect(row.status).toBe('new')
    // The next ordinary view is masked again.
    expect(
      (await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))).text('#description'),
    ).not.toContain('4111111111111111')
  })

  it('lists every action and reveal with actor, time, before and after in the History tab', async () => {
    const tk = await fileTicket(t)
    await post(tk.case_number, 'assign', { assignee: String(agent.id) })
    await post(tk.case_number, 'set_priority', { priority: 'high' })
    await t.postForm(`/tickets/${tk.case_number}/reveal`, {}, { cookie })
    const res = await t.get(`/tickets/${tk.case_number}/history`, {
      cookie,
      headers: { 'accept-language': 'en' },
    })
    expect(res.status).toBe(200)
    const { $$ } = await html(res)
    const rows = $$('#history tbody tr')
    expect(rows.map((r) => r.getAttribute('data-type'))).toEqual([
      'filed',
      'assigned',
      'priority_set',
      'revealed',
    ])
    const priority = rows[2]!
    expect(priority.querySelector('.actor')?.textContent).toBe('Test agent')
    expect(priority.textContent).toContain('Normal')
    expect(priority.textContent).toContain('High')
    expect(rows[3]!.querySelector('.actor')?.textContent).toBe('Test agent')
  })
})

describe('evidence on the ticket page', () => {
  it('shows images as thumbnails with their SHA-256, and keeps sensitive files to the assignee and managers', async () => {
    const store = localEvidenceStore(t.config.evidenceDir)
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5d8a3f30000000049454e44ae426082',
      'hex',
    )
    const put = await store.put(png)
    const tk = await fileTicket(t)
    const other = await fileTicket(t)
    const insert = (ticketId: number, sensitive: number) =>
      t.db
        .insertInto('evidence')
        .values({
          ticket_id: ticketId,
          event_id: null,
          sha256: put.sha256,
          size: put.size,
          mime: 'image/png',
          original_name: 'shot.png',
          sensitive,
          uploaded_by_type: 'complainant',
          uploaded_by_user_id: null,
          created_at: t.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    const plain = await insert(tk.id, 0)
    const idCard = await insert(tk.id, 1)
    const elsewhere = await insert(other.id, 0)

    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    expect(page.$(`#evidence-${plain.id} img`)?.getAttribute('src')).toBe(
      `/tickets/${tk.case_number}/evidence/${plain.id}`,
    )
    expect(page.text(`#evidence-${plain.id}`)).toContain(put.sha256)
    expect(page.$(`#evidence-${idCard.id}`)).toBeNull()
    expect(page.$('#evidence-hidden')).not.toBeNull()

    const file = await t.get(`/tickets/${tk.case_number}/evidence/${plain.id}`, { cookie })
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('image/png')
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    expect(file.headers.get('content-security-policy')).toContain('sandbox')
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true)
    expect(
      (await t.get(`/tickets/${tk.case_number}/evidence/${idCard.id}`, { cookie })).status,
    ).toBe(404)
    expect(
      (await t.get(`/tickets/${tk.case_number}/evidence/${elsewhere.id}`, { cookie })).status,
    ).toBe(404)

    const manager = await t.createStaff('manager')
    const managerCookie = await t.signIn(manager.email, manager.password)
    expect(
      (await t.get(`/tickets/${tk.case_number}/evidence/${idCard.id}`, { cookie: managerCookie }))
        .status,
    ).toBe(200)
    await post(tk.case_number, 'assign', { assignee: String(agent.id) })
    expect(
      (await t.get(`/tickets/${tk.case_number}/evidence/${idCard.id}`, { cookie })).status,
    ).toBe(200)
  })
})
