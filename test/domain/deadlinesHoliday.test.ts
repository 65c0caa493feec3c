import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clockDue } from '../../src/domain/clocks.js'
import { stageDue } from '../../src/domain/deadlines.js'
import { localDate, startOfLocalDay } from '../../src/domain/zoneTime.js'
import { loadDeadlineContext, type DeadlineContext } from '../../src/deadlines/context.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'

// The calendar comes from the migrations' CN data (2026 holidays and 调休 make-up days).
let t: TestApp
let ctx: DeadlineContext
beforeAll(async () => {
  t = await createTestApp()
  ctx = await loadDeadlineContext(t.db)
})
afterAll(async () => {
  await t.close()
})

const TZ = 'Asia/Shanghai'
const at = (date: string, hour = 10) => startOfLocalDay(date, TZ) + hour * 3_600_000
const endOf = (date: string) => startOfLocalDay(date, TZ) + 86_400_000 - 1

describe('working-day deadlines across National Day 2026', () => {
  it('counts the 2026-10-10 make-up Saturday and skips the Golden Week holidays', () => {
    // Entered Tuesday 29 Sep. Working days: 30 Sep (1); 1–7 Oct holidays; 8 (2), 9 (3),
    // Sat 10 Oct make-up day (4), Sun 11 off, 12 (5), 13 (6), 14 (7).
    const rule = ctx.policy.levels.consumer_association.accept!
    expect(rule).toEqual({ unit: 'business_days', days: 7 })
    const due = clockDue(at('2026-09-29'), rule, false, ctx.calendar)
    expect(due).toBe(endOf('2026-10-14'))
  })

  it('would land a day later without the make-up Saturday', () => {
    const calendar = {
      ...ctx.calendar,
      workdays: new Set([...ctx.calendar.workdays].filter((d) => d !== '2026-10-10')),
    }
    const due = clockDue(
      at('2026-09-29'),
      ctx.policy.levels.consumer_association.accept!,
      false,
      calendar,
    )
    expect(localDate(due!, TZ)).toBe('2026-10-15')
  })

  it('gives the consumer association stage its accept clock first, then its answer clock', () => {
    const entered = at('2026-09-29')
    const accept = stageDue(
      {
        level: 'consumer_association',
        enteredAt: entered,
        acceptedAt: null,
        complex: false,
        pauses: [],
        reminderAt: null,
      },
      ctx.policy,
      ctx.calendar,
    )
    expect(accept).toMatchObject({ phase: 'accept', dueAt: endOf('2026-10-14') })
    const answer = stageDue(
      {
        level: 'consumer_association',
        enteredAt: entered,
        acceptedAt: at('2026-10-09'),
        complex: false,
        pauses: [],
        reminderAt: null,
      },
      ctx.policy,
      ctx.calendar,
    )
    expect(answer.phase).toBe('answer')
    expect(answer.dueAt).toBeGreaterThan(endOf('2026-12-01'))
  })

  it('moves a working-day deadline by the working time spent paused', () => {
    const rule = ctx.policy.levels.consumer_association.accept!
    // Paused from Thursday 8 Oct 00:00 to Monday 12 Oct 00:00: three working days (8, 9, 10).
    const pauses = [
      { start: startOfLocalDay('2026-10-08', TZ), end: startOfLocalDay('2026-10-12', TZ) },
    ]
    const due = clockDue(at('2026-09-29'), rule, false, ctx.calendar, pauses)
    expect(localDate(due!, TZ)).toBe('2026-10-19')
    // While the pause is still open there is no due date.
    expect(
      clockDue(at('2026-09-29'), rule, false, ctx.calendar, [
        { start: at('2026-10-08'), end: null },
      ]),
    ).toBeNull()
  })

  it('extends the platform clock from 15 to 60 calendar days when the case is complex', () => {
    const rule = ctx.policy.levels.platform.answer!
    expect(localDate(clockDue(at('2026-09-29'), rule, false, ctx.calendar)!, TZ)).toBe('2026-10-14')
    expect(localDate(clockDue(at('2026-09-29'), rule, true, ctx.calendar)!, TZ)).toBe('2026-11-28')
  })
})
