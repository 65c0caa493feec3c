import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ComplaintInput } from '../../src/change/filing.js'
import type { Actor } from '../../src/domain/lifecycle.js'
import type { ActionInput } from '../../src/domain/actions.js'
import { LEVELS } from '../../src/domain/ladder.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { file, writerOf } from '../helpers/tickets.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

// A hand-countable data set. Every time is China Standard Time (UTC+8); "now" is the test app's
// clock, Monday 2026-11-23 10:00. The report range is 2026-10-01 … 2026-11-15. The expected
// figures below are counted by hand from this story, ticket by ticket (see the comments).

const sh = (date: string, time = '10:00') => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [h, min] = time.split(':').map(Number) as [number, number]
  return Date.UTC(y, m - 1, d, h - 8, min)
}

const EVIL_PROVIDER = '=HYPERLINK("http://evil.example","x")'
const EVIL_AGENT = '=SUM(1+1)'
const RANGE = 'from=2026-10-01&to=2026-11-15'
const EN = { 'accept-language': 'en' }

let t: TestApp
let cookie: string
let ids: Record<string, number>
let a1: number
let a2: number

function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  if (cell !== '' || row.length) rows.push([...row, cell])
  return rows
}

async function csv(name: string, query = RANGE, headers: Record<string, string> = EN) {
  const res = await t.get(`/reports/${name}.csv?${query}`, { cookie, headers })
  expect(res.status, name).toBe(200)
  // Response.text() would drop the byte-order mark; decode by hand to see it.
  const bytes = new Uint8Array(await res.arrayBuffer())
  expect([...bytes.slice(0, 3)], name).toEqual([0xef, 0xbb, 0xbf])
  const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1)
  return { res, body, rows: parseCsv(body) }
}

async function build() {
  const m = await t.createStaff('manager')
  cookie = await t.signIn(m.email, m.password)
  a1 = (await t.createStaff('agent')).id
  a2 = (await t.createStaff('agent')).id
  await t.db.updateTable('users').set({ name: 'Agent One' }).where('id', '=', a1).execute()
  await t.db.updateTable('users').set({ name: EVIL_AGENT }).where('id', '=', a2).execute()
  await t.db.updateTable('providers').set({ name_en: EVIL_PROVIDER }).where('id', '=', 3).execute()

  const agent = (id: number): Actor => ({ kind: 'staff', role: 'agent', userId: id })
  const you: Actor = { kind: 'complainant' }
  ids = {}
  const open = async (key: string, at: number, o: Partial<ComplaintInput>) => {
    ids[key] = (await file(t.db, at, o)).ticket.id
  }
  const act = async (key: string, at: number, input: ActionInput, actor: Actor) => {
    const r = await actOnTicket(writerOf(t.db), {
      ticketId: ids[key]!,
      expectedVersion: null,
      input,
      actor,
      now: at,
    })
    if (!r.ok)
      throw new Error(`${key} ${input.type}: ${r.kind === 'refused' ? r.refusal.code : r.kind}`)
  }
  const R = 'refund_not_received' as const
  const F = 'payment_failed' as const

  // T1 Alipay, refund, ¥100: answered in 4 days, accepted, closed resolved (monetary ¥80).
  await open('T1', sh('2026-10-08'), { providerId: 1, category: R, amountMinor: 10_000 })
  await act('T1', sh('2026-10-08', '11:00'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T1', sh('2026-10-09'), { type: 'reply', body: 'On it' }, agent(a1))
  await act(
    'T1',
    sh('2026-10-12'),
    { type: 'propose_resolution', body: 'Refund', relief: 'monetary', amountRecoveredMinor: 8_000 },
    agent(a1),
  )
  await act('T1', sh('2026-10-13'), { type: 'accept', reason: null }, you)
  await act(
    'T1',
    sh('2026-10-14'),
    { type: 'close', outcome: 'resolved', note: null, duplicateOfId: null },
    agent(a1),
  )
  // T2 Alipay, refund, ¥50: replied after 2 days, never answered; overdue since 10-25.
  await open('T2', sh('2026-10-10'), { providerId: 1, category: R, amountMinor: 5_000 })
  await act('T2', sh('2026-10-10', '11:00'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T2', sh('2026-10-12'), { type: 'reply', body: 'Checking' }, agent(a1))
  // T3 Alipay, payment failed, ¥200: refused by the provider, escalated to the consumer
  // association (Wed 10-21), accepted there 3 working days later, resolved 14 working days in.
  await open('T3', sh('2026-10-15'), { providerId: 1, category: F, amountMinor: 20_000 })
  await act('T3', sh('2026-10-15', '11:00'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T3', sh('2026-10-16'), { type: 'reply', body: 'Asked the provider' }, agent(a1))
  await act(
    'T3',
    sh('2026-10-20'),
    { type: 'record_contact', body: 'No', externalRef: null, outcome: 'refused' },
    agent(a1),
  )
  await act('T3', sh('2026-10-21'), { type: 'escalate', reason: 'refused', note: null }, agent(a1))
  await act(
    'T3',
    sh('2026-10-26'),
    { type: 'record_contact', body: 'Taken on', externalRef: 'CA-1', outcome: 'accepted' },
    agent(a1),
  )
  await act(
    'T3',
    sh('2026-11-10'),
    { type: 'record_contact', body: 'Refunded', externalRef: 'CA-1', outcome: 'resolved' },
    agent(a1),
  )
  await act(
    'T3',
    sh('2026-11-11'),
    { type: 'close', outcome: 'resolved', note: null, duplicateOfId: null },
    agent(a1),
  )
  // T4 WeChat Pay, refund, US$30: no answer; escalated on 11-18, after the range ends.
  await open('T4', sh('2026-10-20'), {
    providerId: 2,
    category: R,
    amountMinor: 3_000,
    currency: 'USD',
  })
  await act('T4', sh('2026-10-20', '11:00'), { type: 'assign', assigneeId: a2 }, agent(a2))
  await act('T4', sh('2026-10-21'), { type: 'reply', body: 'Asked' }, agent(a2))
  await act(
    'T4',
    sh('2026-11-18'),
    { type: 'escalate', reason: 'no_answer', note: null },
    agent(a2),
  )
  // T5 WeChat Pay, payment failed, ¥80: info requested (clock paused 4 days), explanation
  // proposed, disputed, escalated (11-03); the association's 7-working-day accept deadline
  // (11-12) passed without a word, so it is overdue now.
  await open('T5', sh('2026-10-22'), { providerId: 2, category: F, amountMinor: 8_000 })
  await act('T5', sh('2026-10-22', '11:00'), { type: 'assign', assigneeId: a2 }, agent(a2))
  await act('T5', sh('2026-10-23'), { type: 'request_info', body: 'Screenshot please' }, agent(a2))
  await act('T5', sh('2026-10-27'), { type: 'comment', body: 'Here' }, you)
  await act(
    'T5',
    sh('2026-10-30'),
    {
      type: 'propose_resolution',
      body: 'It was the bank',
      relief: 'explanation',
      amountRecoveredMinor: null,
    },
    agent(a2),
  )
  await act('T5', sh('2026-11-02'), { type: 'dispute', reason: 'Not true' }, you)
  await act('T5', sh('2026-11-03'), { type: 'escalate', reason: 'disputed', note: null }, agent(a2))
  // T6 Alipay, refund, ¥40: withdrawn by the complainant two days later, unassigned.
  await open('T6', sh('2026-10-25'), { providerId: 1, category: R, amountMinor: 4_000 })
  await act('T6', sh('2026-10-27'), { type: 'withdraw', reason: null }, you)
  // T7 WeChat Pay, refund, US$20: US$15 proposed in 2 days and accepted (resolved, not closed).
  await open('T7', sh('2026-11-03'), {
    providerId: 2,
    category: R,
    amountMinor: 2_000,
    currency: 'USD',
  })
  await act('T7', sh('2026-11-03', '11:00'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T7', sh('2026-11-04'), { type: 'reply', body: 'Asked' }, agent(a1))
  await act(
    'T7',
    sh('2026-11-05'),
    {
      type: 'propose_resolution',
      body: 'Partial',
      relief: 'monetary',
      amountRecoveredMinor: 1_500,
    },
    agent(a1),
  )
  await act('T7', sh('2026-11-06'), { type: 'accept', reason: null }, you)
  // T8 Alipay, payment failed, no amount: a duplicate of T7.
  await open('T8', sh('2026-11-05'), { providerId: 1, category: F, amountMinor: null })
  await act('T8', sh('2026-11-05', '11:00'), { type: 'assign', assigneeId: a2 }, agent(a2))
  await act(
    'T8',
    sh('2026-11-06'),
    { type: 'close', outcome: 'duplicate', note: null, duplicateOfId: ids['T7']! },
    agent(a2),
  )
  // T9 the provider with a formula for a name, refund, ¥60: received late on the range's last day.
  await open('T9', sh('2026-11-15', '23:30'), { providerId: 3, category: R, amountMinor: 6_000 })
  // T10 Alipay, ¥500: received before the range; open and overdue (snapshots count it).
  await open('T10', sh('2026-09-20'), { providerId: 1, category: R, amountMinor: 50_000 })
  await act('T10', sh('2026-09-20', '11:00'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T10', sh('2026-09-21'), { type: 'reply', body: 'Hello' }, agent(a1))
  // T11 WeChat Pay, ¥70: received after the range, new.
  await open('T11', sh('2026-11-20'), { providerId: 2, category: F, amountMinor: 7_000 })
  // T12 Alipay, refund, ¥300, received on the range's first day: no answer from the provider,
  // refused by the association in 4 working days, answered by the regulator a day after its
  // deadline (11-10), accepted and closed.
  await open('T12', sh('2026-10-01', '09:00'), { providerId: 1, category: R, amountMinor: 30_000 })
  await act('T12', sh('2026-10-01'), { type: 'assign', assigneeId: a1 }, agent(a1))
  await act('T12', sh('2026-10-02', '09:00'), { type: 'reply', body: 'Asked' }, agent(a1))
  await act(
    'T12',
    sh('2026-10-19', '09:00'),
    { type: 'escalate', reason: 'no_answer', note: null },
    agent(a1),
  )
  await act(
    'T12',
    sh('2026-10-23', '09:00'),
    { type: 'record_contact', body: 'Refused', externalRef: 'CA-2', outcome: 'refused' },
    agent(a1),
  )
  await act(
    'T12',
    sh('2026-10-26', '09:00'),
    { type: 'escalate', reason: 'refused', note: null },
    agent(a1),
  )
  await act(
    'T12',
    sh('2026-10-28', '09:00'),
    { type: 'reply', body: 'With the regulator' },
    agent(a1),
  )
  await act(
    'T12',
    sh('2026-11-12', '09:00'),
    {
      type: 'propose_resolution',
      body: 'Refund',
      relief: 'monetary',
      amountRecoveredMinor: 25_000,
    },
    agent(a1),
  )
  await act('T12', sh('2026-11-13', '09:00'), { type: 'accept', reason: null }, you)
  await act(
    'T12',
    sh('2026-11-14', '09:00'),
    { type: 'close', outcome: 'resolved', note: null, duplicateOfId: null },
    agent(a1),
  )
  // T13 WeChat Pay, payment failed, ¥90: closed unresolved before its deadline.
  await open('T13', sh('2026-10-28'), { providerId: 2, category: F, amountMinor: 9_000 })
  await act('T13', sh('2026-10-28', '11:00'), { type: 'assign', assigneeId: a2 }, agent(a2))
  await act('T13', sh('2026-10-29'), { type: 'reply', body: 'Asked' }, agent(a2))
  await act(
    'T13',
    sh('2026-11-02'),
    { type: 'close', outcome: 'unresolved', note: null, duplicateOfId: null },
    agent(a2),
  )
}

beforeEach(async () => {
  t = await createTestApp()
  expect(t.now()).toBe(sh('2026-11-23'))
})
afterEach(async () => {
  await t.close()
})

describe('the reports over a hand-counted data set', () => {
  beforeEach(build)

  it('counts the escalation funnel, including an escalation after the range', async () => {
    const { rows } = await csv('funnel')
    expect(rows).toEqual([
      [
        'Level',
        'Reached',
        '% of received',
        'Moved up',
        '% moved up',
        'Resolved here',
        'Open here',
        'Closed otherwise',
      ],
      // 11 received (T1-T9, T12, T13); T3, T4 (escalated 11-18), T5, T12 reached the association.
      ['Wallet provider', '11', '100.0', '4', '36.4', '2', '2', '3'],
      ['Consumer association', '4', '36.4', '1', '25.0', '1', '2', '0'],
      ['Financial regulator', '1', '9.1', '0', '0.0', '1', '0', '0'],
      ['Legal action', '0', '0.0', '', '', '0', '0', '0'],
    ])
  })

  it('counts the funnel by provider and by category', async () => {
    expect((await csv('funnel-by-provider')).rows).toEqual([
      [
        'Provider',
        'Received',
        'Reached Consumer association',
        'Reached Financial regulator',
        'Reached Legal action',
        '% escalated',
        'Resolved',
      ],
      ['Alipay', '6', '2', '1', '0', '33.3', '3'],
      ['WeChat Pay', '4', '2', '0', '0', '50.0', '1'],
      [`'${EVIL_PROVIDER}`, '1', '0', '0', '0', '0.0', '0'],
    ])
    expect((await csv('funnel-by-category')).rows).toEqual([
      [
        'Problem',
        'Received',
        'Reached Consumer association',
        'Reached Financial regulator',
        'Reached Legal action',
        '% escalated',
        'Resolved',
      ],
      ['Payment failed', '4', '2', '0', '0', '50.0', '1'],
      ['Refund or repayment not received', '7', '2', '1', '0', '28.6', '3'],
    ])
  })

  it('measures timely response, durations in each level’s unit, and overdue tickets now', async () => {
    expect((await csv('timeliness')).rows).toEqual([
      [
        'Level',
        'Clock',
        'Stages',
        'Counted',
        'Timely',
        '% timely',
        'First response, median',
        'First response, 90th pct.',
        'Resolution, median',
        'Resolution, 90th pct.',
        'Overdue now',
      ],
      // Counted: T1 T3 T5 T7 answered in time; T2 past its deadline; T4 and T12 escalated for no
      // answer. Not counted: T6 T8 T13 closed early, T9 not yet due. Overdue now: T2 and T10.
      ['Wallet provider', 'Calendar days', '11', '7', '4', '57.1', '1.0', '2.0', '2.0', '4.0', '2'],
      // T3 and T12 answered in time, T5's accept deadline passed; T4's is still running.
      // First responses 3.0 and 4.0 working days; T3 resolved 14.0 working days in.
      [
        'Consumer association',
        'Working days',
        '4',
        '3',
        '2',
        '66.7',
        '3.0',
        '4.0',
        '14.0',
        '14.0',
        '1',
      ],
      [
        'Financial regulator',
        'Calendar days',
        '1',
        '1',
        '0',
        '0.0',
        '2.0',
        '2.0',
        '17.0',
        '17.0',
        '0',
      ],
      ['Legal action', 'No deadline', '0', '', '', '', '', '', '', '', '0'],
      ['All levels', '', '16', '11', '6', '54.5', '', '', '', '', '3'],
    ])
  })

  it('ages the open backlog as of now, whatever the date received', async () => {
    expect((await csv('ageing')).rows).toEqual([
      ['Level', '0-7 days', '8-15 days', '16-30 days', '31-60 days', '61+ days', 'Total'],
      // T9 (7 days) and T11 (3); T2 (44); T10 (64).  T4 (34) and T5 (32).
      ['Wallet provider', '2', '0', '0', '1', '1', '4'],
      ['Consumer association', '0', '0', '0', '2', '0', '2'],
      ['Financial regulator', '0', '0', '0', '0', '0', '0'],
      ['Legal action', '0', '0', '0', '0', '0', '0'],
      ['All levels', '2', '0', '0', '3', '1', '6'],
    ])
  })

  it('breaks closed tickets down by outcome and relief, and proposals by acceptance', async () => {
    expect((await csv('outcomes')).rows).toEqual([
      [
        'Level',
        'Resolved',
        'Not resolved',
        'Withdrawn',
        'Duplicate',
        'Closed in all',
        'Resolved: Money returned',
        'Resolved: Other remedy',
        'Resolved: Explanation only',
        'Resolved: no relief recorded',
      ],
      ['Wallet provider', '1', '1', '1', '1', '4', '1', '0', '0', '0'],
      ['Consumer association', '1', '0', '0', '0', '1', '0', '0', '0', '1'],
      ['Financial regulator', '1', '0', '0', '0', '1', '1', '0', '0', '0'],
      ['Legal action', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
      ['All levels', '3', '1', '1', '1', '6', '2', '0', '0', '1'],
    ])
    expect((await csv('proposals')).rows).toEqual([
      ['Level', 'Proposed', 'Accepted', '% accepted', 'Disputed', '% disputed'],
      ['Wallet provider', '3', '2', '66.7', '1', '33.3'],
      ['Consumer association', '0', '0', '', '0', ''],
      ['Financial regulator', '1', '1', '100.0', '0', '0.0'],
      ['Legal action', '0', '0', '', '0', ''],
      ['All levels', '4', '3', '75.0', '1', '25.0'],
    ])
  })

  it('adds money per currency, never across currencies', async () => {
    expect((await csv('money')).rows).toEqual([
      ['Provider', 'Currency', 'Tickets', 'With an amount', 'Claimed', 'Recovered', '% recovered'],
      ['Alipay', 'CNY', '6', '5', '690.00', '330.00', '47.8'],
      ['WeChat Pay', 'CNY', '2', '2', '170.00', '0.00', '0.0'],
      ['WeChat Pay', 'USD', '2', '2', '50.00', '15.00', '30.0'],
      [`'${EVIL_PROVIDER}`, 'CNY', '1', '1', '60.00', '0.00', '0.0'],
      ['All providers', 'CNY', '9', '8', '920.00', '330.00', '35.9'],
      ['All providers', 'USD', '2', '2', '50.00', '15.00', '30.0'],
    ])
  })

  it('counts received by week and escalations by the week they happened, inside the range', async () => {
    expect((await csv('trend')).rows).toEqual([
      [
        'Week of',
        'Received',
        'Escalated to Consumer association',
        'Escalated to Financial regulator',
        'Escalated to Legal action',
        'Escalated',
      ],
      ['2026-09-28', '1', '0', '0', '0', '0'],
      ['2026-10-05', '2', '0', '0', '0', '0'],
      ['2026-10-12', '1', '0', '0', '0', '0'],
      ['2026-10-19', '3', '2', '0', '0', '2'],
      ['2026-10-26', '1', '0', '1', '0', '1'],
      ['2026-11-02', '2', '1', '0', '0', '1'],
      ['2026-11-09', '1', '0', '0', '0', '0'],
      ['All weeks', '11', '3', '1', '0', '4'],
    ])
  })

  it('lists workload per handler: open and overdue now, closed within the range', async () => {
    expect((await csv('workload')).rows).toEqual([
      ['Handler', 'Open', 'Overdue', 'Closed in period'],
      [`'${EVIL_AGENT}`, '2', '1', '2'],
      ['Agent One', '2', '2', '3'],
      ['Unassigned', '2', '0', '1'],
      ['Everyone', '6', '3', '6'],
    ])
  })

  it('scores providers', async () => {
    expect((await csv('scorecard')).rows).toEqual([
      [
        'Provider',
        'Tickets',
        '% timely',
        'Median days to resolution',
        '% escalated',
        'Recovered (CNY)',
        'Recovered (USD)',
      ],
      // Alipay resolved T1 in 4, T3 in 26 and T12 in 42 days.
      ['Alipay', '6', '57.1', '26.0', '33.3', '330.00', '0.00'],
      ['WeChat Pay', '4', '50.0', '2.0', '50.0', '0.00', '15.00'],
      [`'${EVIL_PROVIDER}`, '1', '', '', '0.0', '0.00', '0.00'],
    ])
  })

  it('finds no systemic alert in this small set', async () => {
    expect((await csv('alerts')).rows).toEqual([
      ['Provider', 'Problem', 'Last 7 days', '8 weeks before', 'Weekly mean before', 'Queue'],
    ])
  })

  it('sends CSV as a UTF-8 attachment with a BOM, headers in the user language, formulas neutralised', async () => {
    const { res, body } = await csv('money')
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="ladder-money-2026-10-01-to-2026-11-15.csv"; filename*=UTF-8''ladder-money-2026-10-01-to-2026-11-15.csv`,
    )
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",CNY`)
    expect(body.endsWith('\r\n')).toBe(true)
    const zh = await csv('funnel', RANGE, { 'accept-language': 'zh-CN' })
    expect(zh.rows[0]).toEqual([
      '层级',
      '到达',
      '占受理 %',
      '继续升级',
      '升级 %',
      '在此解决',
      '在此未结',
      '其他结案',
    ])
    expect(zh.rows[1]![0]).toBe('钱包平台')
  })

  it('renders every report on the page with the same numbers as its CSV', async () => {
    const res = await t.get(`/reports?${RANGE}`, { cookie, headers: EN })
    expect(res.status).toBe(200)
    const { $, $$, text } = await html(res)
    expect(text('#report-scope')).toContain('2026-10-01')
    for (const name of [
      'funnel',
      'funnel-by-provider',
      'funnel-by-category',
      'timeliness',
      'ageing',
      'outcomes',
      'proposals',
      'money',
      'trend',
      'workload',
      'scorecard',
    ]) {
      const table = $(`#table-${name}`)
      expect(table, name).not.toBeNull()
      const { rows } = await csv(name)
      const shown = [...table!.querySelectorAll('tr')].map((tr) =>
        [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim()),
      )
      expect(shown.length, name).toBe(rows.length)
      expect(shown[0], name).toEqual(rows[0])
      // Same row labels; counts match where the CSV cell is a plain count.
      shown.slice(1).forEach((r, i) => {
        expect(r[0], name).toBe(rows[i + 1]![0]!.replace(/^'/, ''))
        r.forEach((cell, j) => {
          const raw = rows[i + 1]![j]!
          if (/^\d+$/.test(raw)) expect(cell.replace(/,/g, ''), `${name} ${i} ${j}`).toBe(raw)
          if (raw === '') expect(cell, `${name} ${i} ${j}`).toMatch(/^(–|)$/)
        })
      })
      const link = $(`#csv-${name}`)
      expect(link?.getAttribute('href')).toBe(`/reports/${name}.csv?${RANGE}`)
      expect($(`#note-${name} p`)?.textContent?.length, name).toBeGreaterThan(40)
    }
    // Percentages and money carry their signs on the page.
    expect(shownCell($$, 'money', 1, 4)).toBe('CN¥690.00')
    expect(shownCell($$, 'money', 3, 5)).toBe('$15.00')
    expect(shownCell($$, 'funnel', 2, 2)).toBe('36.4%')
    expect($('#empty-alerts')).not.toBeNull()
    expect($('#table-alerts')).toBeNull()
    expect($$('[style]')).toHaveLength(0)
    expect($$('script:not([src])')).toHaveLength(0)
  })

  it('draws the funnel and the trend as well-formed SVG with one bar per level and two per week', async () => {
    const res = await t.get(`/reports?${RANGE}`, { cookie, headers: EN })
    const page = await res.text()
    const svgs = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0])
    expect(svgs).toHaveLength(2)
    const funnel = parseXml(svgs[0]!)
    expect(funnel.name).toBe('svg')
    expect(funnel.attrs['xmlns']).toBe('http://www.w3.org/2000/svg')
    expect(funnel.attrs['id']).toBe('funnel-chart')
    expect(funnel.attrs['viewBox']).toMatch(/^0 0 \d+ \d+$/)
    expect(funnel.attrs['width']).toBe('100%')
    expect(child(funnel, 'title').text).toBe('Tickets reaching each level')
    expect(child(funnel, 'desc').text).toContain('Consumer association: 4 · 36%')
    // Each bar links to the queue of the cases at its level.
    const links = funnel.children.filter((c) => c.name === 'a')
    expect(links.map((a) => a.attrs['href'])).toEqual(
      LEVELS.map((level) => `/queue?status=all&level=${level}`),
    )
    const funnelBars = links.flatMap((a) =>
      a.children.filter((c) => c.name === 'rect' && c.attrs['class']!.split(' ').includes('bar')),
    )
    expect(funnelBars).toHaveLength(4)
    // The widest bar is the platform's 11; the association's 4 is 4/11 of it; legal has none.
    const widths = funnelBars.map((r) => Number(r.attrs['width']))
    expect(widths[1]! / widths[0]!).toBeCloseTo(4 / 11, 2)
    expect(widths[3]).toBe(0)
    const trend = parseXml(svgs[1]!)
    expect(trend.attrs['id']).toBe('trend-chart')
    expect(child(trend, 'desc').text).toBe('7 weeks: 11 received, 4 escalated.')
    const bars = trend.children.filter(
      (c) => c.name === 'rect' && c.attrs['class']!.split(' ').includes('bar'),
    )
    expect(bars).toHaveLength(14)
    expect(
      bars
        .filter((r) => r.attrs['class']!.includes('series-escalated'))
        .map((r) => child(r, 'title').text),
    ).toEqual([
      '09-28 · Escalated: 0',
      '10-05 · Escalated: 0',
      '10-12 · Escalated: 0',
      '10-19 · Escalated: 2',
      '10-26 · Escalated: 1',
      '11-02 · Escalated: 1',
      '11-09 · Escalated: 0',
    ])
    expect(() => parseXml('<svg><rect></svg>')).toThrow()
  })

  it('narrows every report with the provider, category and assignee filters', async () => {
    const funnel = await csv('funnel', `${RANGE}&provider=2&category=refund_not_received`)
    // T4 and T7 only; T4 reached the association after the range.
    expect(funnel.rows.slice(1, 3)).toEqual([
      ['Wallet provider', '2', '100.0', '1', '50.0', '1', '0', '0'],
      ['Consumer association', '1', '50.0', '0', '0.0', '0', '1', '0'],
    ])
    const workload = await csv('workload', `${RANGE}&assignee=${a1}`)
    expect(workload.rows).toEqual([
      ['Handler', 'Open', 'Overdue', 'Closed in period'],
      ['Agent One', '2', '2', '3'],
      ['Everyone', '2', '2', '3'],
    ])
    const none = await csv('ageing', `${RANGE}&assignee=none`)
    expect(none.rows.at(-1)).toEqual(['All levels', '2', '0', '0', '0', '0', '2'])
  })

  it('defaults to the last 90 local days up to today', async () => {
    const res = await t.get('/reports', { cookie, headers: EN })
    expect(res.status).toBe(200)
    const { $ } = await html(res)
    expect($('#f-from')?.getAttribute('value')).toBe('2026-08-26')
    expect($('#f-to')?.getAttribute('value')).toBe('2026-11-23')
    // T10 (09-20) and T11 (11-20) are inside the default range: 13 received.
    const { rows } = await csv('funnel', '')
    expect(rows[1]!.slice(0, 2)).toEqual(['Wallet provider', '13'])
    expect((await csv('funnel', '')).res.headers.get('content-disposition')).toContain(
      '2026-08-26-to-2026-11-23',
    )
  })

  it('returns only the report body to an htmx request, and the whole page otherwise', async () => {
    const res = await t.get(`/reports?${RANGE}`, {
      cookie,
      headers: { ...EN, 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toContain('HX-Request-Type')
    const body = await res.text()
    expect(body).not.toContain('<html')
    expect(body.trimStart().startsWith('<div id="report-body"')).toBe(true)
    expect(body).toContain('id="table-funnel"')
    const full = await html(await t.get(`/reports?${RANGE}`, { cookie, headers: EN }))
    const form = full.$('#report-filters')
    expect(form?.getAttribute('method')).toBe('get')
    expect(form?.getAttribute('action')).toBe('/reports')
    expect(form?.getAttribute('hx-target')).toBe('#report-body')
    expect(form?.getAttribute('hx-push-url')).toBe('true')
    expect(full.$('#report-body #table-funnel')).not.toBeNull()
  })
})

interface XmlNode {
  name: string
  attrs: Record<string, string>
  children: XmlNode[]
  text: string
}

/**
 * A strict little XML reader for the charts: balanced tags, quoted and unique attributes, no
 * bare `<` or `&` in text. It throws on anything that is not well-formed.
 */
function parseXml(source: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' }
  const stack = [root]
  const decode = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|#39|#\d+);)/.test(s)) throw new Error(`bare & in ${s}`)
    return s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
  }
  let i = 0
  while (i < source.length) {
    const lt = source.indexOf('<', i)
    const textPart = source.slice(i, lt < 0 ? source.length : lt)
    if (textPart.includes('>')) throw new Error('bare > in text')
    stack.at(-1)!.text += decode(textPart)
    if (lt < 0) break
    const gt = source.indexOf('>', lt)
    if (gt < 0) throw new Error('unclosed tag')
    const tag = source.slice(lt + 1, gt)
    i = gt + 1
    if (tag.startsWith('/')) {
      const open = stack.pop()
      if (!open || open.name !== tag.slice(1).trim())
        throw new Error(`mismatched </${tag.slice(1)}>`)
      continue
    }
    const selfClosing = tag.endsWith('/')
    const m = /^([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*\/?$/.exec(tag)
    if (!m) throw new Error(`malformed tag <${tag}>`)
    const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: '' }
    for (const a of m[2]!.matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) {
      if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]}`)
      node.attrs[a[1]!] = decode(a[2]!)
    }
    stack.at(-1)!.children.push(node)
    if (!selfClosing) stack.push(node)
  }
  if (stack.length !== 1 || root.children.length !== 1)
    throw new Error('not one balanced root element')
  return root.children[0]!
}

function child(node: XmlNode, name: string): XmlNode {
  const found = node.children.find((c) => c.name === name)
  if (!found) throw new Error(`no <${name}> in <${node.name}>`)
  return found
}

function shownCell(
  $$: Awaited<ReturnType<typeof html>>['$$'],
  name: string,
  row: number,
  col: number,
) {
  const tr = $$(`#table-${name} tr`)[row]!
  return [...tr.querySelectorAll('th, td')][col]!.textContent!.trim()
}

describe('the reports with no data', () => {
  it('say there is nothing to report instead of drawing empty charts, and CSVs keep their header', async () => {
    const m = await t.createStaff('manager')
    cookie = await t.signIn(m.email, m.password)
    const res = await t.get('/reports', { cookie, headers: EN })
    expect(res.status).toBe(200)
    const { $, $$ } = await html(res)
    expect($$('svg')).toHaveLength(0)
    for (const name of [
      'funnel',
      'funnel-by-provider',
      'timeliness',
      'ageing',
      'outcomes',
      'proposals',
      'money',
      'trend',
      'alerts',
      'workload',
      'scorecard',
    ]) {
      expect($(`#empty-${name}`), name).not.toBeNull()
      expect($(`#table-${name}`), name).toBeNull()
    }
    const { rows } = await csv('scorecard', '')
    expect(rows).toEqual([
      ['Provider', 'Tickets', '% timely', 'Median days to resolution', '% escalated'],
    ])
    expect((await csv('funnel', '')).rows).toHaveLength(5)
  })
})

describe('who may see the reports', () => {
  it('refuses agents with 403, sends visitors to sign in, and lets admins in', async () => {
    const agent = await t.createStaff('agent')
    const agentCookie = await t.signIn(agent.email, agent.password)
    expect((await t.get('/reports', { cookie: agentCookie })).status).toBe(403)
    expect((await t.get('/reports/funnel.csv', { cookie: agentCookie })).status).toBe(403)
    const anon = await t.get('/reports?from=2026-10-01')
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toBe('/login?next=%2Freports%3Ffrom%3D2026-10-01')
    const admin = await t.createStaff('admin')
    const adminCookie = await t.signIn(admin.email, admin.password)
    expect((await t.get('/reports', { cookie: adminCookie })).status).toBe(200)
  })

  it('shows the Reports link to managers and admins only', async () => {
    const agent = await t.createStaff('agent')
    const manager = await t.createStaff('manager')
    const forAgent = await html(
      await t.get('/', { cookie: await t.signIn(agent.email, agent.password) }),
    )
    expect(forAgent.$('.site-nav a[href="/reports"]')).toBeNull()
    const forManager = await html(
      await t.get('/', { cookie: await t.signIn(manager.email, manager.password) }),
    )
    expect(forManager.$('.site-nav a[href="/reports"]')).not.toBeNull()
  })
})

describe('bad filters', () => {
  beforeEach(async () => {
    const m = await t.createStaff('manager')
    cookie = await t.signIn(m.email, m.password)
  })

  it.each([
    ['from=2026-02-30', 'from'],
    ['from=yesterday', 'from'],
    ['from=2026-11-10&to=2026-11-01', 'to'],
    ['from=2000-01-01&to=2026-01-01', 'from'],
    ['provider=abc', 'provider'],
    ['category=nope', 'category'],
    ['assignee=-1', 'assignee'],
  ])('answers %s with 422 and a message next to the field', async (query, field) => {
    const res = await t.get(`/reports?${query}`, { cookie, headers: EN })
    expect(res.status).toBe(422)
    const { $ } = await html(res)
    expect($(`#f-${field}-error`)?.textContent?.length).toBeGreaterThan(5)
    expect($(`#f-${field}`)?.getAttribute('aria-invalid')).toBe('true')
    expect($('#report-errors')).not.toBeNull()
    const csvRes = await t.get(`/reports/funnel.csv?${query}`, { cookie, headers: EN })
    expect(csvRes.status).toBe(422)
  })

  it('keeps what was typed in the form', async () => {
    const { $ } = await html(
      await t.get('/reports?from=2026-02-30&to=2026-03-01', { cookie, headers: EN }),
    )
    expect($('#f-from')?.getAttribute('value')).toBe('2026-02-30')
    expect($('#f-to')?.getAttribute('value')).toBe('2026-03-01')
  })

  it('answers an unknown report name with 404', async () => {
    expect((await t.get('/reports/nothing.csv', { cookie })).status).toBe(404)
    expect((await t.get('/reports/funnel', { cookie })).status).toBe(404)
    expect((await t.get('/reports/funnel.json', { cookie })).status).toBe(404)
  })
})

describe('systemic alerts', () => {
  it('flag a provider × problem pair at ≥ 10 tickets in 7 days and ≥ 3× its trailing weekly mean', async () => {
    const m = await t.createStaff('manager')
    cookie = await t.signIn(m.email, m.password)
    const now = t.now()
    const DAY = 86_400_000
    const many = async (
      n: number,
      providerId: number,
      category: ComplaintInput['category'],
      daysAgo: (i: number) => number,
    ) => {
      for (let i = 0; i < n; i++)
        await file(t.db, now - daysAgo(i) * DAY - 3_600_000, { providerId, category })
    }
    // Alipay × refund: 10 in the last 7 days, 26 in the 8 weeks before (mean 3.25; 3× = 9.75).
    await many(10, 1, 'refund_not_received', (i) => i % 7)
    await many(26, 1, 'refund_not_received', (i) => 8 + (i % 55))
    // WeChat Pay × refund: 10 in the last 7 days but 27 before (3× mean = 10.125): no alert.
    await many(10, 2, 'refund_not_received', (i) => i % 7)
    await many(27, 2, 'refund_not_received', (i) => 8 + (i % 55))
    // UnionPay × payment failed: 9 in 7 days and nothing before: too few.
    await many(9, 3, 'payment_failed', (i) => i % 7)
    // JD Pay × closure: 12 in 7 days; 40 more 70 days back, before the 8-week window.
    await many(12, 4, 'closure_failed', (i) => i % 7)
    await many(40, 4, 'closure_failed', () => 70)
    const { rows } = await csv('alerts', '')
    expect(rows).toEqual([
      ['Provider', 'Problem', 'Last 7 days', '8 weeks before', 'Weekly mean before', 'Queue'],
      ['JD Pay', 'Could not close the account', '12', '0', '0.00', 'Open in the queue'],
      ['Alipay', 'Refund or repayment not received', '10', '26', '3.25', 'Open in the queue'],
    ])
    const { $$ } = await html(await t.get('/reports', { cookie, headers: EN }))
    expect($$('#table-alerts a').map((a) => a.getAttribute('href'))).toEqual([
      '/queue?provider=4&category=closure_failed',
      '/queue?provider=1&category=refund_not_received',
    ])
  })
})
