// The change module hands every kind of ticket change to the listeners of the app, inside the
// transaction that wrote it, and nothing when it refuses the change.
import SQLite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { afterReplySettled } from '../../src/http/afterReply.js'
import type { ChangeListener, TicketChange } from '../../src/change/types.js'
import { TICKET_LISTENERS } from '../../src/listeners.js'
import { multipart, PNG, validFields } from '../http/complaints-helpers.js'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'

interface Seen {
  kind: TicketChange['kind']
  type: string
  /** The event row as the listener's transaction sees it, and whether another connection sees it yet. */
  inTransaction: boolean
  visibleOutside: boolean
}

let t: TestApp
let reader: SQLite.Database
let seen: Seen[]
let failNext: string | null
const spy: ChangeListener = {
  name: 'spy',
  async onChange(trx, change) {
    const row = await trx
      .selectFrom('events')
      .select('id')
      .where('id', '=', change.event.id)
      .executeTakeFirst()
    // A second connection on the same file: it must not see the change before its commit.
    const outside = (
      reader.prepare('select count(*) as n from events where id = ?').get(change.event.id) as {
        n: number
      }
    ).n
    seen.push({
      kind: change.kind,
      type: change.event.type,
      inTransaction: row !== undefined,
      visibleOutside: outside > 0,
    })
    if (failNext === change.event.type) throw new Error('listener failed')
  },
}

beforeEach(async () => {
  seen = []
  failNext = null
  t = await createTestApp({ listeners: [...TICKET_LISTENERS, spy] })
  reader = new SQLite(t.config.databaseFile, { readonly: true })
})
afterEach(async () => {
  reader.close()
  await t.close()
})

async function fileByForm(): Promise<{ caseNumber: string; track: string }> {
  const res = await t.request('/complaints', {
    method: 'POST',
    body: multipart(validFields(), [{ name: 'receipt.png', bytes: PNG, type: 'image/png' }]),
    headers: { origin: ORIGIN },
  })
  expect(res.status).toBe(303)
  const track = res.headers.get('location')!
  const row = await t.db
    .selectFrom('tickets')
    .select('case_number')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return { caseNumber: row.case_number, track }
}

describe('the change listeners', () => {
  it('see every kind of change, each inside its transaction', async () => {
    const { caseNumber, track } = await fileByForm()
    const agent = await t.createStaff('manager')
    const cookie = await t.signIn(agent.email, agent.password)
    const version = async () =>
      String(
        (
          await t.db
            .selectFrom('tickets')
            .select('version')
            .where('case_number', '=', caseNumber)
            .executeTakeFirstOrThrow()
        ).version,
      )
    const act = async (action: string, fields: Record<string, string>) => {
      const res = await t.postForm(
        `/tickets/${caseNumber}/actions/${action}`,
        { ...fields, version: await version() },
        { cookie },
      )
      expect(res.status, action).toBe(303)
    }
    await act('assign', { assignee: String(agent.id) })
    await act('request_info', { body: 'Please send the receipt.' })
    expect((await t.postForm(`${track}/messages`, { body: 'Sent it.' })).status).toBe(303)
    expect((await t.postForm(`/tickets/${caseNumber}/reveal`, {}, { cookie })).status).toBe(200)
    const evidence = await t.db.selectFrom('evidence').select('id').executeTakeFirstOrThrow()
    expect(
      (
        await t.postForm(
          `/tickets/${caseNumber}/evidence/${evidence.id}/sensitive`,
          { sensitive: '1' },
          { cookie },
        )
      ).status,
    ).toBe(303)
    const dossier = await t.get(`/tickets/${caseNumber}/dossier.zip`, { cookie })
    expect(dossier.status).toBe(200)
    await dossier.arrayBuffer()
    expect(
      (await t.postForm('/track', { case_number: caseNumber, email: 'wang@example.com' })).status,
    ).toBe(200)
    // The lost link's reissue runs once the answer is out.
    await afterReplySettled()

    expect(seen.map((s) => [s.kind, s.type])).toEqual([
      ['filed', 'filed'],
      ['acted', 'assigned'],
      ['acted', 'info_requested'],
      ['acted', 'complainant_message'],
      ['recorded', 'revealed'],
      ['recorded', 'evidence_restricted'],
      ['recorded', 'dossier_generated'],
      ['recorded', 'tracking_link_reissued'],
    ])
    for (const s of seen)
      expect(s, s.type).toMatchObject({ inTransaction: true, visibleOutside: false })
  })

  it('hear nothing of a refused, stale or empty change', async () => {
    const { caseNumber } = await fileByForm()
    seen = []
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    // Refused by the lifecycle: a new ticket cannot be reopened.
    expect(
      (
        await t.postForm(
          `/tickets/${caseNumber}/actions/reopen`,
          { note: '', version: '1' },
          { cookie },
        )
      ).status,
    ).toBe(409)
    // Stale: the version the agent saw is not the ticket's.
    expect(
      (
        await t.postForm(
          `/tickets/${caseNumber}/actions/note`,
          { body: 'x', version: '7' },
          { cookie },
        )
      ).status,
    ).toBe(409)
    // Nothing to change: priority is already normal.
    expect(
      (
        await t.postForm(
          `/tickets/${caseNumber}/actions/set_priority`,
          { priority: 'normal', version: '1' },
          { cookie },
        )
      ).status,
    ).toBe(409)
    // A lost-link request whose email does not match records nothing.
    expect(
      (await t.postForm('/track', { case_number: caseNumber, email: 'someone@example.com' }))
        .status,
    ).toBe(200)
    expect(seen).toEqual([])
  })

  it('undo the whole change when one of them fails', async () => {
    const { caseNumber } = await fileByForm()
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const before = await t.db
      .selectFrom('tickets')
      .selectAll()
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow()
    const counters = await t.db.selectFrom('counters').selectAll().orderBy('name').execute()
    failNext = 'noted'
    const res = await t.postForm(
      `/tickets/${caseNumber}/actions/note`,
      { body: 'x', version: '1' },
      { cookie },
    )
    expect(res.status).toBe(500)
    expect(
      await t.db
        .selectFrom('tickets')
        .selectAll()
        .where('case_number', '=', caseNumber)
        .executeTakeFirstOrThrow(),
    ).toEqual(before)
    expect(
      await t.db.selectFrom('events').select('type').where('ticket_id', '=', before.id).execute(),
    ).toEqual([{ type: 'filed' }])
    expect(await t.db.selectFrom('counters').selectAll().orderBy('name').execute()).toEqual(
      counters,
    )
  })
})
