import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backfillStatements } from '../../migrations/0009_report_rollups.js'
import type { ComplaintInput } from '../../src/change/filing.js'
import { CATEGORY_KEYS } from '../../src/domain/categories.js'
import { DAY_MS, localDate } from '../../src/domain/zoneTime.js'
import {
  BODY_OUTCOMES,
  CLOSE_OUTCOMES,
  ESCALATION_REASONS,
  PRIORITIES,
  RELIEF_TYPES,
  type Status,
} from '../../src/domain/ladder.js'
import { availableActions, type Actor } from '../../src/domain/lifecycle.js'
import { type ActionInput, type ActionType } from '../../src/domain/actions.js'
import { translator } from '../../src/i18n/translate.js'
import { DISPLAY_TIME_ZONE } from '../../src/i18n/format.js'
import { resolveScope } from '../../src/reports/filters.js'
import { ROLLUPS } from '../../src/reports/layout.js'
import {
  dayOfDate,
  dayStart,
  firstDayOfWeek,
  fromDayRuns,
  periodRuns,
  reportDay,
  splitInstants,
  weekOfDay,
} from '../../src/reports/periods.js'
import { housekeeping } from '../../src/background.js'
import { silentLogger } from '../../src/http/logger.js'
import { rebuildReportRollups, REPORT_TABLES } from '../../src/reports/rebuild.js'
import { readWorkdayState } from '../../src/reports/rollups.js'
import { buildReport, REPORT_NAMES } from '../../src/reports/service.js'
import { tableCsvRows } from '../../src/reports/table.js'
import { businessLevels, workingDays } from '../../src/reports/units.js'
import { catchUpWorkingDays } from '../../src/reports/workdays.js'
import { ticketState } from '../../src/change/ticketState.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import { loadDeadlineContext } from '../../src/deadlines/context.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { file, writerOf } from '../helpers/tickets.js'
import * as reference from './reference/service.js'

// The rollups are kept by adding each change's difference inside its transaction. These tests
// drive random ticket histories through the real services and check two things: the kept
// rollups equal the ones rebuilt from scratch (and by the migration's backfill), and every
// report built from them equals, cell for cell, the report as first written straight from the
// ticket tables (./reference).

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

function random(seed: number) {
  let s = seed
  const next = () => (s = (s * 48271) % 2147483647) / 2147483647
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  }
}

const STAFF_ONLY: ActionType[] = [
  'assign',
  'reply',
  'note',
  'request_info',
  'record_contact',
  'propose_resolution',
  'escalate',
  'close',
  'reopen',
  'set_priority',
  'mark_complex',
  'set_reminder',
]

/** Files tickets over ~4 months and walks each through random actions, some at the same instant. */
async function randomHistory(seed: number, tickets: number) {
  const rnd = random(seed)
  const agents: number[] = []
  for (let i = 0; i < 3; i++) agents.push((await t.createStaff('agent')).id)
  const ids: number[] = []
  const now = t.now()
  for (let k = 0; k < tickets; k++) {
    let at = now - rnd.int(130) * DAY_MS - rnd.int(DAY_MS)
    const overrides: Partial<ComplaintInput> = {
      providerId: rnd.chance(0.1) ? null : 1 + rnd.int(4),
      providerOther: null,
      category: rnd.pick(CATEGORY_KEYS),
      amountMinor: rnd.chance(0.2) ? null : 100 + rnd.int(100_000),
      currency: rnd.chance(0.2) ? 'USD' : 'CNY',
    }
    const filed = await file(t.db, at, overrides)
    ids.push(filed.ticket.id)
    const steps = rnd.int(14)
    for (let step = 0; step < steps; step++) {
      // Mostly hours to days apart; sometimes the same millisecond; a few land after "now".
      at += rnd.chance(0.15) ? 0 : rnd.chance(0.5) ? rnd.int(6 * 3_600_000) : rnd.int(9 * DAY_MS)
      const row = await t.db
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', filed.ticket.id)
        .executeTakeFirstOrThrow()
      const staff: Actor = { kind: 'staff', role: 'agent', userId: rnd.pick(agents) }
      const complainant: Actor = { kind: 'complainant' }
      const state = ticketState(row)
      const options = [
        ...availableActions(state, staff).map((a) => [a, staff] as const),
        ...availableActions(state, complainant)
          .filter((a) => !STAFF_ONLY.includes(a))
          .map((a) => [a, complainant] as const),
      ]
      if (!options.length) break
      // Lean towards the actions that move the ladder, so escalations and closings are common.
      const weighted = options.flatMap((o) =>
        ['escalate', 'close', 'propose_resolution', 'accept', 'record_contact', 'assign'].includes(
          o[0],
        )
          ? [o, o]
          : [o],
      )
      const [type, actor] = rnd.pick(weighted)
      const input = randomInput(type, rnd, agents, ids, row.status as Status)
      await actOnTicket(writerOf(t.db), {
        ticketId: filed.ticket.id,
        expectedVersion: null,
        input,
        actor,
        now: at,
      })
    }
  }
  return { agents, ids }
}

function randomInput(
  type: ActionType,
  rnd: ReturnType<typeof random>,
  agents: number[],
  ids: number[],
  _status: Status,
): ActionInput {
  switch (type) {
    case 'assign':
      return { type, assigneeId: rnd.chance(0.15) ? null : rnd.pick(agents) }
    case 'reply':
    case 'note':
    case 'request_info':
    case 'comment':
      return { type, body: 'x' }
    case 'record_contact':
      return { type, body: 'said', externalRef: null, outcome: rnd.pick(BODY_OUTCOMES) }
    case 'propose_resolution': {
      const relief = rnd.pick(RELIEF_TYPES)
      return {
        type,
        body: 'offer',
        relief,
        amountRecoveredMinor: relief === 'monetary' ? 1 + rnd.int(50_000) : null,
      }
    }
    case 'accept':
      return { type, reason: null }
    case 'dispute':
      return { type, reason: 'no' }
    case 'escalate':
      // 'no_answer' is refused before the deadline, and these histories move faster than any clock.
      return {
        type,
        reason: rnd.pick(ESCALATION_REASONS.filter((r) => r !== 'no_answer')),
        note: 'why',
      }
    case 'close': {
      const outcome = rnd.pick(CLOSE_OUTCOMES)
      return {
        type,
        outcome,
        note: null,
        duplicateOfId: outcome === 'duplicate' ? rnd.pick(ids) : null,
      }
    }
    case 'reopen':
      return { type, note: null }
    case 'set_priority':
      return { type, priority: rnd.pick(PRIORITIES) }
    case 'mark_complex':
      return { type, complex: rnd.chance(0.5) }
    case 'set_reminder':
      return { type, reminderAt: rnd.chance(0.3) ? null : t.now() + rnd.int(30) * DAY_MS }
    case 'withdraw':
      return { type, reason: null }
    case 'add_evidence':
      return { type, fileCount: 1 }
    case 'log_contact':
      return { type, summary: 'called' }
    case 'add_tag':
    case 'remove_tag':
      return { type, tag: rnd.pick(['vip', 'fraud']) }
    case 'link':
    case 'unlink':
      return { type: 'note', body: 'x' }
  }
}

/** Every report table's rows, without the all-zero counter rows decrements leave behind. */
async function snapshot(opts: { workdays: boolean }) {
  const out: Record<string, string[]> = {}
  for (const table of REPORT_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      t.db,
    )
    out[table] = rows
      .filter((r) => {
        if (table === 'report_durations' || table === 'report_hist') {
          if (!opts.workdays && Number(r['unit']) !== 0) return false
        }
        const spec = Object.values(ROLLUPS).find((x) => x.name === table)
        return !spec || spec.cols.some((c) => Number(r[c]) !== 0)
      })
      .map((r) => {
        const copy = { ...r }
        if (table === 'report_stages' && !opts.workdays) {
          delete copy['fr_wd']
          delete copy['res_wd']
          delete copy['wd_gen']
        }
        return JSON.stringify(Object.entries(copy).sort(([a], [b]) => a.localeCompare(b)))
      })
      .sort()
  }
  return out
}

const SCOPES = [
  '',
  'from=2026-08-01&to=2026-11-30',
  'from=2026-09-10&to=2026-10-20',
  'from=2026-11-02&to=2026-11-23',
  'from=2026-07-15',
  'from=2026-08-01&to=2026-12-31&provider=2',
  'from=2026-08-01&to=2026-12-31&category=refund_not_received',
  'from=2026-08-01&to=2026-12-31&assignee=none',
  'from=2026-08-01&to=2026-12-31&provider=1&category=payment_failed',
]

async function expectSameReports(extraScopes: string[] = []) {
  const deadlines = await loadDeadlineContext(t.db)
  const en = translator('en')
  for (const qs of [...SCOPES, ...extraScopes]) {
    const r = resolveScope(Object.fromEntries(new URLSearchParams(qs)), t.now())
    if (!r.ok) throw new Error(`bad scope ${qs}`)
    const ctx = { db: t.db, scope: r.scope, deadlines, t: en, locale: 'en' as const }
    for (const name of REPORT_NAMES) {
      expect(await buildReport(ctx, name), `${name} ?${qs}`).toEqual(
        await reference.buildReport(ctx, name),
      )
    }
  }
}

describe('the report rollups', () => {
  it('equal a rebuild from scratch and give the reports as first written, after random histories', async () => {
    const { agents } = await randomHistory(20261123, 70)
    // The history reached the paths that move rollup rows (else this test would prove little).
    const seen = await t.db
      .selectFrom('events')
      .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('type')
      .execute()
    const count = (type: string) => Number(seen.find((e) => e.type === type)?.n ?? 0)
    for (const type of [
      'assigned',
      'escalated',
      'closed',
      'reopened',
      'withdrawn',
      'resolution_proposed',
      'accepted',
      'disputed',
      'info_requested',
    ]) {
      expect(count(type), type).toBeGreaterThan(0)
    }
    const levels = await t.db.selectFrom('tickets').select('level').distinct().execute()
    expect(levels.length).toBeGreaterThanOrEqual(3)
    await expectSameReports([
      `from=2026-08-01&to=2026-12-31&assignee=${agents[0]}`,
      `from=2026-07-01&assignee=${agents[1]}&provider=1`,
    ])

    // Working-day durations were measured as the stages were answered, with today's calendar.
    const deadlines = await loadDeadlineContext(t.db)
    const state = await readWorkdayState(t.db)
    const business = businessLevels(deadlines)
    expect(business).toEqual(['consumer_association'])
    const measured = await t.db
      .selectFrom('report_stages')
      .selectAll()
      .where('level', 'in', business)
      .execute()
    expect(measured.some((f) => f.fr_wd !== null)).toBe(true)
    for (const f of measured) {
      const pauses = (
        await t.db
          .selectFrom('clock_pauses')
          .select(['started_at', 'ended_at'])
          .where('stage_id', '=', f.stage_id)
          .orderBy('id')
          .execute()
      ).map((p) => ({ start: p.started_at, end: p.ended_at }))
      expect(f.wd_gen).toBe(f.fr_at === null && f.res_end === null ? 0 : state.gen)
      expect(f.fr_wd).toBe(
        f.fr_at === null ? null : workingDays(deadlines, f.entered_at, f.fr_at, pauses, t.now()),
      )
      expect(f.res_wd).toBe(
        f.res_end === null
          ? null
          : workingDays(deadlines, f.entered_at, f.res_end, pauses, t.now()),
      )
    }

    const kept = await snapshot({ workdays: true })
    expect(kept['report_stages']!.length).toBeGreaterThan(70)
    await rebuildReportRollups(t.db, t.now())
    expect(await snapshot({ workdays: false })).toEqual(stripWorkdays(kept))
    // After a rebuild the working days are measured again (catch-up) and come out the same.
    expect(await catchUpWorkingDays(t.db, deadlines, t.now(), 60_000)).toBe(true)
    const again = await snapshot({ workdays: true })
    expect(normaliseGen(again)).toEqual(normaliseGen(kept))
    await expectSameReports()

    // The migration's frozen backfill fills the same rows.
    await t.db.transaction().execute(async (trx) => {
      for (const table of REPORT_TABLES) await sql`delete from ${sql.table(table)}`.execute(trx)
      for (const statement of backfillStatements()) await sql.raw(statement).execute(trx)
    })
    expect(await snapshot({ workdays: false })).toEqual(stripWorkdays(kept))
  }, 120_000)

  it('stay exact with another seed, and after an escalation happened in the same millisecond as a proposal', async () => {
    await randomHistory(7, 50)
    // Proposed, disputed and escalated at one instant: the proposal now falls in the new
    // level's span [entered, …), as the reports have always joined events to stages.
    const agent: Actor = { kind: 'staff', role: 'agent', userId: (await t.createStaff('agent')).id }
    const at = t.now() - 20 * DAY_MS
    const { ticket } = await file(t.db, at, { providerId: 2 })
    const act = async (input: ActionInput, actor: Actor, when: number) => {
      const r = await actOnTicket(writerOf(t.db), {
        ticketId: ticket.id,
        expectedVersion: null,
        input,
        actor,
        now: when,
      })
      expect(r.ok, input.type).toBe(true)
    }
    await act({ type: 'reply', body: 'x' }, agent, at + DAY_MS)
    await act(
      { type: 'propose_resolution', body: 'x', relief: 'explanation', amountRecoveredMinor: null },
      agent,
      at + 2 * DAY_MS,
    )
    await act({ type: 'dispute', reason: 'no' }, { kind: 'complainant' }, at + 2 * DAY_MS)
    await act({ type: 'escalate', reason: 'disputed', note: null }, agent, at + 2 * DAY_MS)
    await act(
      { type: 'propose_resolution', body: 'x', relief: 'monetary', amountRecoveredMinor: 5 },
      agent,
      at + 3 * DAY_MS,
    )
    const facts = await t.db
      .selectFrom('report_stages')
      .select(['level', 'pp', 'px'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('stage_id')
      .execute()
    expect(facts).toEqual([
      { level: 'platform', pp: 0, px: 0 },
      { level: 'consumer_association', pp: 2, px: 1 },
    ])
    await expectSameReports()
    const kept = await snapshot({ workdays: false })
    await rebuildReportRollups(t.db, t.now())
    expect(await snapshot({ workdays: false })).toEqual(kept)
  }, 120_000)

  it('give the same figures under the UK preset, where the provider level counts working days', async () => {
    await t.db
      .insertInto('settings')
      .values({ key: 'deadline_preset', value: JSON.stringify('gb'), updated_at: t.now() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify('gb') }))
      .execute()
    await t.db
      .insertInto('calendar_days')
      .values({ calendar: 'GB', date: '2026-10-13', kind: 'holiday', name: 'test' })
      .onConflict((oc) => oc.doNothing())
      .execute()
    await randomHistory(4242, 40)
    const deadlines = await loadDeadlineContext(t.db)
    expect(businessLevels(deadlines)).toEqual(['platform'])
    const en = translator('en')
    for (const qs of SCOPES) {
      const r = resolveScope(Object.fromEntries(new URLSearchParams(qs)), t.now())
      if (!r.ok) throw new Error(`bad scope ${qs}`)
      const ctx = { db: t.db, scope: r.scope, deadlines, t: en, locale: 'en' as const }
      for (const name of REPORT_NAMES) {
        // As shown: working days across summer-time changes may differ in the last binary digit
        // depending on where a day index starts, never in the figures.
        const shown = (table: Awaited<ReturnType<typeof buildReport>>) => tableCsvRows(table)
        expect(shown(await buildReport(ctx, name)), `${name} ?${qs}`).toEqual(
          shown(await reference.buildReport(ctx, name)),
        )
      }
    }
  }, 120_000)

  it('measure working days again when the holiday calendar changes, and report with the new calendar', async () => {
    await randomHistory(99, 40)
    const before = await readWorkdayState(t.db)
    // A new public holiday inside the period: every working-day duration across it shrinks.
    await t.db
      .insertInto('calendar_days')
      .values({ calendar: 'CN', date: '2026-10-14', kind: 'holiday', name: 'test' })
      .execute()
    await expectSameReports()
    const after = await readWorkdayState(t.db)
    expect(after.gen).toBe(before.gen + 1)
    const stale = await t.db
      .selectFrom('report_stages')
      .select('stage_id')
      .where('level', '=', 'consumer_association')
      .where('wd_gen', '<', after.gen)
      .where((eb) => eb.or([eb('fr_ms', 'is not', null), eb('res_ms', 'is not', null)]))
      .execute()
    expect(stale).toEqual([])
  }, 120_000)

  it('are measured again by the hourly housekeeping after a calendar change, before anyone opens a report', async () => {
    await randomHistory(99, 40)
    const before = await readWorkdayState(t.db)
    await t.db
      .insertInto('calendar_days')
      .values({ calendar: 'CN', date: '2026-10-14', kind: 'holiday', name: 'test' })
      .execute()
    const staleNow = async () => {
      const gen = (await readWorkdayState(t.db)).gen
      const rows = await t.db
        .selectFrom('report_stages')
        .select('stage_id')
        .where('level', '=', 'consumer_association')
        .where('wd_gen', '<', gen)
        .where((eb) => eb.or([eb('fr_ms', 'is not', null), eb('res_ms', 'is not', null)]))
        .execute()
      return rows.length
    }
    // One stage per batch and no time: the catch-up stops after its first batch, work left over.
    const deadlines = await loadDeadlineContext(t.db)
    expect(await catchUpWorkingDays(t.db, deadlines, t.now(), 0, { batch: 1 })).toBe(false)
    const left = await staleNow()
    expect(left).toBeGreaterThan(0)
    expect((await readWorkdayState(t.db)).gen).toBe(before.gen + 1)
    // Housekeeping finishes it and says nothing is pending.
    expect(await housekeeping(t.db, t.config, silentLogger(), t.now())).toEqual({
      workdaysPending: false,
    })
    expect(await staleNow()).toBe(0)
    await expectSameReports()
  }, 120_000)
})

/** The kept rows without the working-day columns and rows a rebuild leaves to the catch-up. */
function stripWorkdays(s: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [table, rows] of Object.entries(s)) {
    out[table] = rows
      .map((line) => Object.fromEntries(JSON.parse(line) as [string, unknown][]))
      .filter((r) => !('unit' in r) || Number(r['unit']) === 0)
      .map((r) => {
        if (table === 'report_stages') {
          delete r['fr_wd']
          delete r['res_wd']
          delete r['wd_gen']
        }
        return JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))
      })
      .sort()
  }
  return out
}

/** Rows with the working-day generation number replaced by a marker (a rebuild starts a new one). */
function normaliseGen(s: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [table, rows] of Object.entries(s)) {
    out[table] = rows
      .map((line) => Object.fromEntries(JSON.parse(line) as [string, unknown][]))
      .map((r) => {
        if ('unit' in r && Number(r['unit']) > 0) r['unit'] = 'gen'
        if ('wd_gen' in r && Number(r['wd_gen']) > 0) r['wd_gen'] = 'gen'
        return JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))
      })
      .sort()
  }
  return out
}

describe('report days and periods', () => {
  it('number local days in the office zone as migrations do in SQL', () => {
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_599_999) {
      const date = localDate(ms, DISPLAY_TIME_ZONE)
      expect(reportDay(ms), date).toBe(dayOfDate(date))
      expect(dayStart(reportDay(ms))).toBeLessThanOrEqual(ms)
      expect(dayStart(reportDay(ms) + 1)).toBeGreaterThan(ms)
    }
  })

  it('cover a range of days exactly once with day and Monday-to-Sunday week rows', () => {
    const monday = dayOfDate('2026-11-16')
    expect(new Date(firstDayOfWeek(weekOfDay(monday)) * DAY_MS).getUTCDay()).toBe(1)
    const days = (runs: ReturnType<typeof periodRuns>, until: number) => {
      const covered: number[] = []
      for (const run of runs) {
        for (let p = run.from; p <= Math.min(run.to, until); p++) {
          if (run.grain === 0) covered.push(p)
          else for (let d = firstDayOfWeek(p); d < firstDayOfWeek(p) + 7; d++) covered.push(d)
        }
      }
      return covered.filter((d) => d <= until).sort((a, b) => a - b)
    }
    const span = (from: number, to: number) =>
      Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
    for (let from = monday - 20; from < monday + 20; from++) {
      for (let to = from - 1; to < from + 60; to++)
        expect(days(periodRuns(from, to), to)).toEqual(span(from, to))
      expect(days(fromDayRuns(from), from + 100)).toEqual(span(from, from + 100))
    }
    // Two years: a few hundred periods at most, not 730 days.
    const runs = periodRuns(dayOfDate('2024-11-23'), dayOfDate('2026-11-23'))
    expect(runs.reduce((a, r) => a + (r.to - r.from + 1), 0)).toBeLessThan(120)
  })

  it('split an instant window into whole days and the partial days at its ends', () => {
    const d = dayOfDate('2026-11-16')
    expect(splitInstants(dayStart(d), dayStart(d + 3))).toEqual({ days: [d, d + 2], partial: [] })
    expect(splitInstants(dayStart(d) + 5, dayStart(d + 3) + 7)).toEqual({
      days: [d + 1, d + 2],
      partial: [
        [dayStart(d) + 5, dayStart(d + 1)],
        [dayStart(d + 3), dayStart(d + 3) + 7],
      ],
    })
    expect(splitInstants(dayStart(d) + 5, dayStart(d) + 9)).toEqual({
      days: null,
      partial: [[dayStart(d) + 5, dayStart(d) + 9]],
    })
  })
})
