import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashSecret } from '../../src/secrets.js'
import type { Actor } from '../../src/domain/lifecycle.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { file, writerOf } from '../helpers/tickets.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
// Monday 23 Nov 2026, 10:00 in Shanghai.
const MONDAY_10 = Date.UTC(2026, 10, 23, 2)

let t: TestApp
let agent: Actor
beforeEach(async () => {
  t = await createTestApp({ now: MONDAY_10 })
  const staff = await t.createStaff('agent')
  agent = { kind: 'staff', role: 'agent', userId: staff.id }
})
afterEach(async () => {
  await t.close()
})

describe('filing', () => {
  it('creates a ticket at the platform level with its stage, clock, event and a hashed token', async () => {
    const filed = await file(t.db, MONDAY_10)
    expect(filed.ticket.case_number).toBe('LD-2026-000001')
    expect(filed.ticket).toMatchObject({
      status: 'new',
      level: 'platform',
      version: 1,
      amount_minor: 12_345,
    })
    expect(filed.ticket.tracking_token_hash).toBe(hashSecret(filed.trackingToken))
    expect(filed.trackingToken.length).toBeGreaterThanOrEqual(22)
    // 15 calendar days from the day after receipt: end of Tue 8 Dec in Shanghai.
    expect(filed.ticket.due_at).toBe(Date.UTC(2026, 11, 8, 16) - 1)
    const stages = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', filed.ticket.id)
      .execute()
    expect(stages).toHaveLength(1)
    expect(stages[0]).toMatchObject({
      level: 'platform',
      entered_at: MONDAY_10,
      due_at: filed.ticket.due_at,
    })
    const events = await t.db
      .selectFrom('events')
      .selectAll()
      .where('ticket_id', '=', filed.ticket.id)
      .execute()
    expect(events.map((e) => [e.type, e.visibility])).toEqual([['filed', 'public']])
  })

  it('numbers cases per year without gaps or repeats', async () => {
    const a = await file(t.db, MONDAY_10)
    const b = await file(t.db, MONDAY_10 + 1)
    const nextYear = await file(t.db, Date.UTC(2027, 0, 1, 1))
    expect([a.ticket.case_number, b.ticket.case_number, nextYear.ticket.case_number]).toEqual([
      'LD-2026-000001',
      'LD-2026-000002',
      'LD-2027-000001',
    ])
  })
})

describe('actOnTicket', () => {
  it('writes the ticket change and its event together and bumps the version', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: 1,
      input: { type: 'assign', assigneeId: agent.kind === 'staff' ? agent.userId : 0 },
      actor: agent,
      now: MONDAY_10 + HOUR,
    })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.ticket).toMatchObject({ status: 'open', version: 2, updated_at: MONDAY_10 + HOUR })
    const events = await t.db
      .selectFrom('events')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.type)).toEqual(['filed', 'assigned'])
    expect(events[1]).toMatchObject({
      actor_type: 'staff',
      actor_user_id: r.ticket.assignee_id,
      visibility: 'internal',
    })
    expect(JSON.parse(events[1]!.payload)).toMatchObject({
      from: { status: 'new' },
      to: { status: 'open' },
      version: 2,
    })
  })

  it('refuses a stale version and changes nothing', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: 1,
      input: { type: 'reply', body: 'first' },
      actor: agent,
      now: MONDAY_10 + 1,
    })
    const stale = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: 1,
      input: { type: 'note', body: 'second' },
      actor: agent,
      now: MONDAY_10 + 2,
    })
    expect(stale).toMatchObject({ ok: false, kind: 'stale', ticket: { version: 2 } })
    const events = await t.db
      .selectFrom('events')
      .select('type')
      .where('ticket_id', '=', ticket.id)
      .execute()
    expect(events.map((e) => e.type)).toEqual(['filed', 'replied'])
  })

  it('lets exactly one of two racing actions on the same version through', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const results = await Promise.all(
      ['a', 'b', 'c'].map((body, i) =>
        actOnTicket(writerOf(t.db), {
          ticketId: ticket.id,
          expectedVersion: 1,
          input: { type: 'reply', body },
          actor: agent,
          now: MONDAY_10 + i,
        }),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.kind === 'stale')).toHaveLength(2)
  })

  it('refuses what the lifecycle refuses, without writing', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'accept', reason: null },
      actor: { kind: 'complainant' },
      now: MONDAY_10 + 1,
    })
    expect(r).toMatchObject({
      ok: false,
      kind: 'refused',
      refusal: { code: 'not_in_this_status', httpStatus: 409 },
    })
    const after = await t.db
      .selectFrom('tickets')
      .select('version')
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    expect(after.version).toBe(1)
  })

  it('rolls everything back when a write in the same transaction fails', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    await expect(
      actOnTicket(writerOf(t.db), {
        ticketId: ticket.id,
        expectedVersion: 1,
        input: { type: 'reply', body: 'will vanish' },
        actor: agent,
        now: MONDAY_10 + 1,
        alsoWrite: async () => {
          throw new Error('disk full')
        },
      }),
    ).rejects.toThrow('disk full')
    const after = await t.db
      .selectFrom('tickets')
      .select(['version', 'status'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual({ version: 1, status: 'new' })
    const events = await t.db
      .selectFrom('events')
      .select('type')
      .where('ticket_id', '=', ticket.id)
      .execute()
    expect(events.map((e) => e.type)).toEqual(['filed'])
  })

  it('pauses the clock while waiting on the complainant and moves the deadline by the pause', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const originalDue = ticket.due_at!
    const asked = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: 1,
      input: { type: 'request_info', body: 'Receipt please' },
      actor: agent,
      now: MONDAY_10 + DAY,
    })
    expect(asked).toMatchObject({
      ok: true,
      ticket: { status: 'waiting_complainant', due_at: null, paused_at: MONDAY_10 + DAY },
    })
    const answered = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'comment', body: 'Attached' },
      actor: { kind: 'complainant' },
      now: MONDAY_10 + 4 * DAY,
    })
    expect(answered).toMatchObject({
      ok: true,
      ticket: { status: 'open', paused_at: null, due_at: originalDue + 3 * DAY },
    })
    const stage = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    expect(stage.first_response_at).toBe(MONDAY_10 + DAY)
  })

  it('opens a new stage with its own clock on escalation and keeps the old one', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: 1,
      input: { type: 'escalate', reason: 'refused', note: null, externalRef: '12315-0001' },
      actor: agent,
      now: MONDAY_10,
    })
    expect(r).toMatchObject({
      ok: true,
      ticket: { level: 'consumer_association', status: 'waiting_body' },
    })
    const stages = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute()
    expect(stages.map((s) => [s.level, s.left_at, s.external_ref, s.escalation_reason])).toEqual([
      ['platform', MONDAY_10, null, null],
      ['consumer_association', null, '12315-0001', 'refused'],
    ])
    // 7 working days to accept from Monday 23 Nov: Tue 24 … Wed 2 Dec.
    expect(r.ok && r.ticket.due_at).toBe(Date.UTC(2026, 11, 2, 16) - 1)
  })

  it('starts the 45-working-day mediation clock when the association accepts', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'escalate', reason: 'refused', note: null },
      actor: agent,
      now: MONDAY_10,
    })
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'record_contact', body: '已受理', externalRef: 'A-7', outcome: 'accepted' },
      actor: agent,
      now: MONDAY_10 + DAY,
    })
    expect(r.ok).toBe(true)
    const stage = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .where('left_at', 'is', null)
      .executeTakeFirstOrThrow()
    expect(stage).toMatchObject({
      accepted_at: MONDAY_10 + DAY,
      outcome: 'accepted',
      external_ref: 'A-7',
    })
    // 45 working days from Wed 25 Nov 2026: the 2027 New Year holiday is not in the 2026 data.
    expect(r.ok && r.ticket.due_at).toBe(Date.UTC(2027, 0, 26, 16) - 1)
  })

  it('stops the clock once a resolution is proposed and records when the level answered', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: {
        type: 'propose_resolution',
        body: 'Refund',
        relief: 'monetary',
        amountRecoveredMinor: 12_345,
      },
      actor: agent,
      now: MONDAY_10 + 2 * DAY,
    })
    expect(r).toMatchObject({
      ok: true,
      ticket: {
        status: 'resolution_proposed',
        due_at: null,
        relief: 'monetary',
        amount_recovered_minor: 12_345,
        proposed_at: MONDAY_10 + 2 * DAY,
      },
    })
    const stage = await t.db
      .selectFrom('ladder_stages')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    expect(stage.answered_at).toBe(MONDAY_10 + 2 * DAY)
  })

  it('records the closing outcome and clears it on reopening', async () => {
    const { ticket } = await file(t.db, MONDAY_10)
    const closed = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'close', outcome: 'unresolved', note: 'No reply ever', duplicateOfId: null },
      actor: agent,
      now: MONDAY_10 + DAY,
    })
    expect(closed).toMatchObject({
      ok: true,
      ticket: { status: 'closed', outcome: 'unresolved', closed_at: MONDAY_10 + DAY, due_at: null },
    })
    const reopened = await actOnTicket(writerOf(t.db), {
      ticketId: ticket.id,
      expectedVersion: null,
      input: { type: 'reopen', note: null },
      actor: agent,
      now: MONDAY_10 + 2 * DAY,
    })
    expect(reopened).toMatchObject({
      ok: true,
      ticket: { status: 'open', outcome: null, closed_at: null },
    })
    expect(reopened.ok && reopened.ticket.due_at).toBe(ticket.due_at! + DAY)
  })
})
