import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { housekeeping } from '../../src/background.js'
import type { Database } from '../../src/db/schema.js'
import { silentLogger } from '../../src/http/logger.js'
import { digestHourReached, sendDailyDigests } from '../../src/mail/digest.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { file } from '../helpers/tickets.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
// 2026-11-23 10:00 in Shanghai (UTC+8).
const NOW = Date.UTC(2026, 10, 23, 2, 0)
// The end of 2026-11-24 in Shanghai.
const END_OF_TOMORROW = Date.UTC(2026, 10, 24, 16, 0)

let t: TestApp
beforeEach(async () => {
  t = await createTestApp({ now: NOW })
})
afterEach(async () => {
  await t.close()
})

async function ticket(assigneeId: number | null, dueAt: number, status = 'open') {
  const filed = await file(t.db, NOW - 10 * DAY)
  await t.db
    .updateTable('tickets')
    .set({ assignee_id: assigneeId, due_at: dueAt, status })
    .where('id', '=', filed.ticket.id)
    .execute()
  return filed.ticket.case_number
}

const outbox = () => t.db.selectFrom('outbox').selectAll().orderBy('id').execute()
const opts = () => ({ baseUrl: t.config.baseUrl })

describe('the daily digest', () => {
  it('sends one mail per agent with their missed and soon-due open tickets, in their language', async () => {
    const li = await t.createStaff('agent', 'li@ladder.test')
    const jo = await t.createStaff('agent', 'jo@ladder.test')
    const gone = await t.createStaff('agent', 'gone@ladder.test')
    await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', jo.id).execute()
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', gone.id).execute()

    const liMissed = await ticket(li.id, NOW - DAY)
    const liTomorrow = await ticket(li.id, END_OF_TOMORROW - HOUR)
    const liLater = await ticket(li.id, END_OF_TOMORROW + HOUR)
    const liClosed = await ticket(li.id, NOW - DAY, 'closed')
    const joMissed = await ticket(jo.id, NOW - 2 * DAY)
    await ticket(gone.id, NOW - DAY)
    await ticket(null, NOW - DAY)

    expect(await sendDailyDigests(t.db, NOW, opts())).toEqual({ queued: 2, alreadySent: 0 })
    const [first, second] = await outbox()
    const mails = new Map([first!, second!].map((m) => [m.to_address, m]))
    expect([...mails.keys()].sort()).toEqual(['jo@ladder.test', 'li@ladder.test'])

    const liMail = mails.get('li@ladder.test')!
    expect(liMail).toMatchObject({
      kind: 'staff_digest',
      locale: 'zh-CN',
      status: 'pending',
      ticket_id: null,
    })
    expect(liMail.subject).toBe('2026-11-23 的期限提醒：1 件已逾期，1 件即将到期')
    expect(liMail.text_body).toContain(liMissed)
    expect(liMail.text_body).toContain(liTomorrow)
    expect(liMail.text_body).not.toContain(liLater)
    expect(liMail.text_body).not.toContain(liClosed)
    expect(liMail.text_body.indexOf(liMissed)).toBeLessThan(liMail.text_body.indexOf(liTomorrow))
    expect(liMail.text_body).toContain(`${t.config.baseUrl}/queue?assignee=me`)

    const joMail = mails.get('jo@ladder.test')!
    expect(joMail.locale).toBe('en')
    expect(joMail.subject).toBe('Your deadlines on 2026-11-23: 1 missed, 0 due soon')
    expect(joMail.text_body).toContain(joMissed)
  })

  it('is sent once per agent per day, however often and from however many processes it runs', async () => {
    const li = await t.createStaff('agent', 'li@ladder.test')
    await ticket(li.id, NOW - DAY)
    const [a, b] = await Promise.all([
      sendDailyDigests(t.db, NOW, opts()),
      sendDailyDigests(t.db, NOW, opts()),
    ])
    expect(a.queued + b.queued).toBe(1)
    expect(await sendDailyDigests(t.db, NOW + 5 * HOUR, opts())).toEqual({
      queued: 0,
      alreadySent: 1,
    })
    expect(await outbox()).toHaveLength(1)
    const run = await t.db.selectFrom('digest_runs').selectAll().executeTakeFirstOrThrow()
    expect(run).toMatchObject({
      user_id: li.id,
      day: '2026-11-23',
      outbox_id: (await outbox())[0]!.id,
    })
    // The next local day brings the next digest.
    expect((await sendDailyDigests(t.db, NOW + DAY, opts())).queued).toBe(1)
    expect(await outbox()).toHaveLength(2)
  })

  it('sends nothing to an agent with nothing due', async () => {
    const li = await t.createStaff('agent', 'li@ladder.test')
    await ticket(li.id, NOW + 5 * DAY)
    expect(await sendDailyDigests(t.db, NOW, opts())).toEqual({ queued: 0, alreadySent: 0 })
    expect(await outbox()).toHaveLength(0)
  })

  it('goes out from the hourly housekeeping once the local digest hour is reached', async () => {
    const li = await t.createStaff('agent', 'li@ladder.test')
    await ticket(li.id, NOW - DAY)
    const sevenFiftyNine = Date.UTC(2026, 10, 22, 23, 59)
    expect(digestHourReached(sevenFiftyNine)).toBe(false)
    expect(digestHourReached(sevenFiftyNine + 60_000)).toBe(true)
    await housekeeping(t.db, t.config, silentLogger(), sevenFiftyNine)
    expect(await outbox()).toHaveLength(0)
    await housekeeping(t.db, t.config, silentLogger(), sevenFiftyNine + 60_000)
    await housekeeping(t.db, t.config, silentLogger(), sevenFiftyNine + HOUR)
    expect(await outbox()).toHaveLength(1)
  })

  it('reads all agents in one query through an index on the open tickets', async () => {
    const li = await t.createStaff('agent', 'li@ladder.test')
    const jo = await t.createStaff('agent', 'jo@ladder.test')
    await ticket(li.id, NOW - DAY)
    await ticket(jo.id, NOW - DAY)
    const queries: CompiledQuery[] = []
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: t.database.sqlite }),
      log: (e) => {
        if (e.level === 'query') queries.push(e.query)
      },
    })
    await sendDailyDigests(db, NOW, opts())
    const reads = queries.filter((q) => /^select/i.test(q.sql) && /"tickets"/.test(q.sql))
    expect(reads).toHaveLength(1)
    const plan = (
      t.database.sqlite
        .prepare(`explain query plan ${reads[0]!.sql}`)
        .all(...(reads[0]!.parameters as unknown[])) as { detail: string }[]
    )
      .map((p) => p.detail)
      .join('\n')
    expect(plan).toMatch(/SEARCH tickets USING INDEX tickets_open/)
    expect(plan).not.toMatch(/SCAN tickets\b/)
  })
})
