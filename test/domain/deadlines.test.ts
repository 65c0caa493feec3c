import { describe, expect, it } from 'vitest'
import { clockDaysBetween, clockDue, type ClockRule } from '../../src/domain/clocks.js'
import { DEADLINE_PRESETS, complainantWindows, stageDue } from '../../src/domain/deadlines.js'
import { buildCalendar, isWorkingDay } from '../../src/domain/workCalendar.js'
import { DAY_MS, localDate, localDay, startOfLocalDay } from '../../src/domain/zoneTime.js'

// Shanghai is UTC+8 all year: a local wall time is UTC minus 8 hours.
const cst = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)
const endOfCstDay = (y: number, m: number, d: number) => cst(y, m, d + 1) - 1
const endOfLondonDay = (y: number, m: number, d: number, offsetHours: number) =>
  Date.UTC(y, m - 1, d + 1, -offsetHours) - 1

const CN = buildCalendar('Asia/Shanghai', [
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
    date: `2026-10-${d}`,
    kind: 'holiday' as const,
  })),
  { date: '2026-09-20', kind: 'workday' },
  { date: '2026-10-10', kind: 'workday' },
])
const CN_NO_MAKEUP = buildCalendar('Asia/Shanghai', [
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
    date: `2026-10-${d}`,
    kind: 'holiday' as const,
  })),
])
const GB = buildCalendar('Europe/London', [
  { date: '2026-12-25', kind: 'holiday' },
  { date: '2026-12-28', kind: 'holiday' },
])

const calendar15: ClockRule = { unit: 'calendar_days', days: 15, complexDays: 60 }
const business7: ClockRule = { unit: 'business_days', days: 7 }

describe('local dates', () => {
  it('knows the local date and midnight of an instant in a zone', () => {
    expect(localDate(cst(2026, 11, 23, 0, 30), 'Asia/Shanghai')).toBe('2026-11-23')
    expect(localDate(cst(2026, 11, 23, 0, 30), 'UTC')).toBe('2026-11-22')
    expect(startOfLocalDay('2026-11-23', 'Asia/Shanghai')).toBe(cst(2026, 11, 23))
    // London on the day summer time ends starts at 00:00 BST (UTC+1).
    expect(startOfLocalDay('2026-10-25', 'Europe/London')).toBe(Date.UTC(2026, 9, 24, 23))
    expect(startOfLocalDay('2026-10-26', 'Europe/London')).toBe(Date.UTC(2026, 9, 26, 0))
  })

  it('knows each day of the walk in its own zone, asked in turn of several zones', () => {
    // The same date is a different span in each zone, and 23 hours long where summer time begins.
    for (let round = 0; round < 2; round++) {
      expect(localDay('2026-03-29', 'Europe/London')).toEqual({
        date: '2026-03-29',
        start: Date.UTC(2026, 2, 29, 0),
        end: Date.UTC(2026, 2, 29, 23),
        next: '2026-03-30',
        weekday: 0,
      })
      expect(localDay('2026-03-29', 'Asia/Shanghai')).toEqual({
        date: '2026-03-29',
        start: cst(2026, 3, 29),
        end: cst(2026, 3, 30),
        next: '2026-03-30',
        weekday: 0,
      })
      expect(localDay('2026-12-31', 'UTC')).toMatchObject({
        end: Date.UTC(2027, 0, 1),
        next: '2027-01-01',
        weekday: 4,
      })
    }
    // Walked across summer time's start, the London clock ends an hour earlier in UTC than before it.
    expect(clockDue(Date.UTC(2026, 2, 20, 12), business7, false, GB)).toBe(
      endOfLondonDay(2026, 3, 31, 1),
    )
    expect(clockDue(cst(2026, 3, 20, 12), business7, false, CN)).toBe(endOfCstDay(2026, 3, 31))
  })

  it('treats holidays as days off and make-up Saturdays (调休) as working days', () => {
    expect(isWorkingDay('2026-10-01', CN)).toBe(false)
    expect(isWorkingDay('2026-10-10', CN)).toBe(true)
    expect(isWorkingDay('2026-10-11', CN)).toBe(false)
    expect(isWorkingDay('2026-10-12', CN)).toBe(true)
  })
})

describe('clockDue', () => {
  it('counts calendar days from the day after receipt to the end of the last day', () => {
    expect(clockDue(cst(2026, 11, 23, 10), calendar15, false, CN)).toBe(endOfCstDay(2026, 12, 8))
  })

  it('uses the longer limit once the case is complex', () => {
    expect(clockDue(cst(2026, 11, 23, 10), calendar15, true, CN)).toBe(endOfCstDay(2027, 1, 22))
  })

  it('skips weekends for working days', () => {
    // Friday 20 Nov: Mon 23 … Fri 27 are 1-5, Mon 30 is 6, Tue 1 Dec is 7.
    expect(clockDue(cst(2026, 11, 20, 15), business7, false, CN)).toBe(endOfCstDay(2026, 12, 1))
  })

  it('skips the National Day holidays and counts the make-up Saturday', () => {
    // From Wed 30 Sep: Oct 1-7 off; Thu 8 (1), Fri 9 (2), Sat 10 make-up (3), Mon 12 … Thu 15 (7).
    expect(clockDue(cst(2026, 9, 30, 10), business7, false, CN)).toBe(endOfCstDay(2026, 10, 15))
    expect(clockDue(cst(2026, 9, 30, 10), business7, false, CN_NO_MAKEUP)).toBe(
      endOfCstDay(2026, 10, 16),
    )
  })

  it('moves the deadline by the time the clock was paused', () => {
    const pause = { start: cst(2026, 11, 25, 12), end: cst(2026, 11, 27, 12) }
    expect(clockDue(cst(2026, 11, 23, 10), calendar15, false, CN, [pause])).toBe(
      endOfCstDay(2026, 12, 10),
    )
  })

  it('does not move a working-day deadline for a pause over the weekend', () => {
    const weekend = { start: cst(2026, 11, 21, 10), end: cst(2026, 11, 22, 20) }
    expect(clockDue(cst(2026, 11, 20, 15), business7, false, CN, [weekend])).toBe(
      endOfCstDay(2026, 12, 1),
    )
  })

  it('counts the working part of days a pause starts and ends on', () => {
    // Paused Mon 12:00 to Tue 12:00: half of each day is lost, one working day in all.
    const pause = { start: cst(2026, 11, 23, 12), end: cst(2026, 11, 24, 12) }
    expect(clockDue(cst(2026, 11, 20, 15), business7, false, CN, [pause])).toBe(
      endOfCstDay(2026, 12, 2),
    )
  })

  it('has no deadline while a pause is still open', () => {
    expect(
      clockDue(cst(2026, 11, 23, 10), calendar15, false, CN, [
        { start: cst(2026, 11, 24), end: null },
      ]),
    ).toBeNull()
  })

  it('keeps working days right across the end of summer time in London', () => {
    // Mon 19 Oct 2026 09:00 BST; 15 business days end on Mon 9 Nov (GMT).
    const start = Date.UTC(2026, 9, 19, 8)
    expect(clockDue(start, { unit: 'business_days', days: 15 }, false, GB)).toBe(
      endOfLondonDay(2026, 11, 9, 0),
    )
    // 15 calendar days from Tue 20 Oct cross the 25-hour Sunday and still end at local midnight.
    expect(clockDue(Date.UTC(2026, 9, 20, 8), calendar15, false, GB)).toBe(
      endOfLondonDay(2026, 11, 4, 0),
    )
  })

  it('skips the Christmas bank holidays in the UK preset calendar', () => {
    // From Mon 21 Dec: Tue 22 (1), Wed 23 (2), Thu 24 (3), Fri 25 and Mon 28 off, Tue 29 (4).
    expect(clockDue(Date.UTC(2026, 11, 21, 9), { unit: 'business_days', days: 4 }, false, GB)).toBe(
      endOfLondonDay(2026, 12, 29, 0),
    )
  })
})

describe('stageDue under the presets', () => {
  const cn = DEADLINE_PRESETS.cn
  it('gives the platform 15 calendar days, 60 when complex', () => {
    const base = {
      level: 'platform' as const,
      enteredAt: cst(2026, 11, 23, 10),
      acceptedAt: null,
      pauses: [],
      reminderAt: null,
    }
    expect(stageDue({ ...base, complex: false }, cn, CN)).toEqual({
      dueAt: endOfCstDay(2026, 12, 8),
      phase: 'answer',
      paused: false,
    })
    expect(stageDue({ ...base, complex: true }, cn, CN).dueAt).toBe(endOfCstDay(2027, 1, 22))
  })

  it('gives a consumer association 7 working days to accept, then 45 working days from acceptance', () => {
    const entered = cst(2026, 11, 20, 15)
    const base = {
      level: 'consumer_association' as const,
      enteredAt: entered,
      complex: false,
      pauses: [],
      reminderAt: null,
    }
    expect(stageDue({ ...base, acceptedAt: null }, cn, CN)).toMatchObject({
      phase: 'accept',
      dueAt: endOfCstDay(2026, 12, 1),
    })
    const accepted = stageDue({ ...base, acceptedAt: cst(2026, 11, 24, 9) }, cn, CN)
    expect(accepted.phase).toBe('answer')
    // 45 working days from Wed 25 Nov (no holidays in the test calendar then): Tue 26 Jan 2027.
    expect(accepted.dueAt).toBe(endOfCstDay(2027, 1, 26))
  })

  it('keeps no clock at the legal level, only the agent’s reminder', () => {
    const base = {
      level: 'legal' as const,
      enteredAt: cst(2026, 11, 23),
      acceptedAt: null,
      complex: false,
      pauses: [],
    }
    expect(stageDue({ ...base, reminderAt: null }, cn, CN)).toEqual({
      dueAt: null,
      phase: 'none',
      paused: false,
    })
    expect(stageDue({ ...base, reminderAt: cst(2027, 1, 5) }, cn, CN)).toEqual({
      dueAt: cst(2027, 1, 5),
      phase: 'reminder',
      paused: false,
    })
  })

  it('reports a paused clock', () => {
    const r = stageDue(
      {
        level: 'regulator',
        enteredAt: cst(2026, 11, 1),
        acceptedAt: null,
        complex: false,
        pauses: [{ start: cst(2026, 11, 3), end: null }],
        reminderAt: null,
      },
      cn,
      CN,
    )
    expect(r).toEqual({ dueAt: null, phase: 'answer', paused: true })
  })
})

describe('clockDaysBetween', () => {
  it('measures working days net of weekends and pauses', () => {
    // Fri 12:00 → Tue 12:00 is half of Friday, Monday, half of Tuesday.
    expect(
      clockDaysBetween(cst(2026, 11, 20, 12), cst(2026, 11, 24, 12), 'business_days', CN),
    ).toBeCloseTo(2, 6)
    expect(
      clockDaysBetween(cst(2026, 11, 20, 12), cst(2026, 11, 24, 12), 'calendar_days', CN),
    ).toBeCloseTo(4, 6)
    const pause = { start: cst(2026, 11, 23, 0), end: cst(2026, 11, 24, 0) }
    expect(
      clockDaysBetween(cst(2026, 11, 20, 12), cst(2026, 11, 24, 12), 'business_days', CN, [pause]),
    ).toBeCloseTo(1, 6)
    expect(clockDaysBetween(cst(2026, 11, 24), cst(2026, 11, 20), 'business_days', CN)).toBe(0)
  })
})

describe('the complainant’s own windows', () => {
  const now = cst(2026, 11, 23, 12)
  it('warns in the last two weeks of the 60-day dispute window and after it', () => {
    expect(
      complainantWindows(
        { proposedAt: now - 10 * DAY_MS, occurredAt: null, disputeWindowDays: 60 },
        now,
      ),
    ).toEqual([])
    expect(
      complainantWindows(
        { proposedAt: now - 50 * DAY_MS, occurredAt: null, disputeWindowDays: 60 },
        now,
      ),
    ).toEqual([{ kind: 'dispute_window', endsAt: now + 10 * DAY_MS, expired: false }])
    expect(
      complainantWindows(
        { proposedAt: now - 61 * DAY_MS, occurredAt: null, disputeWindowDays: 60 },
        now,
      )[0],
    ).toMatchObject({ expired: true })
  })

  it('warns as the three-year limitation from the incident approaches', () => {
    const occurredAt = Date.UTC(2023, 11, 1, 4)
    expect(
      complainantWindows({ proposedAt: null, occurredAt, disputeWindowDays: 60 }, now),
    ).toEqual([{ kind: 'limitation', endsAt: Date.UTC(2026, 11, 1, 4), expired: false }])
    expect(
      complainantWindows(
        { proposedAt: null, occurredAt: Date.UTC(2025, 0, 1), disputeWindowDays: 60 },
        now,
      ),
    ).toEqual([])
  })
})
