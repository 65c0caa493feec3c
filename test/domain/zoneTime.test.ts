import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { localDate, startOfLocalDay, zoneOffset } from '../../src/domain/zoneTime.js'

// Local dates and offsets come from the zone's offset for the UTC day (asked of Intl twice a
// day) rather than from Intl for every instant; they must be exactly what Intl gives.
function intlWall(ms: number, timeZone: string) {
  const parts: Record<string, number> = {}
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>
}
const intlOffset = (ms: number, timeZone: string) => {
  const p = intlWall(ms, timeZone)
  return (
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000
  )
}
const intlDate = (ms: number, timeZone: string) => {
  const p = intlWall(ms, timeZone)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

// The deadline calendars' zones, zones with summer time either side of the equator, odd offsets,
// a half-hour summer time (Lord Howe) and one that skipped a whole day (Apia, 2011-12-30).
const ZONES = [
  'Asia/Shanghai',
  'Europe/London',
  'UTC',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Apia',
]

describe('local time in a zone', () => {
  it('gives the offset and local date Intl gives, across two centuries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          expect(zoneOffset(ms, zone)).toBe(intlOffset(ms, zone))
          expect(localDate(ms, zone)).toBe(intlDate(ms, zone))
        },
      ),
      { numRuns: 5000 },
    )
  })

  it('is exact minute by minute around summer-time changes and a skipped day', () => {
    for (const [zone, at] of [
      ['Europe/London', Date.UTC(2026, 2, 29, 1, 0)],
      ['Europe/London', Date.UTC(2026, 9, 25, 1, 0)],
      ['America/New_York', Date.UTC(2026, 2, 8, 7, 0)],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30)],
      ['Pacific/Apia', Date.UTC(2011, 11, 30, 10, 0)],
    ] as const) {
      for (let m = -120; m <= 120; m++) {
        const ms = at + m * 60_000 + 17_123
        expect(zoneOffset(ms, zone), `${zone} ${new Date(ms).toISOString()}`).toBe(
          intlOffset(ms, zone),
        )
        expect(localDate(ms, zone)).toBe(intlDate(ms, zone))
      }
    }
  })

  it('finds local midnights on days the clocks change', () => {
    // London springs forward at 01:00 UTC on 2026-03-29: that day still begins at 00:00 GMT.
    expect(startOfLocalDay('2026-03-29', 'Europe/London')).toBe(Date.UTC(2026, 2, 29, 0, 0))
    expect(startOfLocalDay('2026-03-30', 'Europe/London')).toBe(Date.UTC(2026, 2, 29, 23, 0))
    // Apia skipped 2011-12-30 entirely: the 31st began right after the 29th ended.
    expect(startOfLocalDay('2011-12-31', 'Pacific/Apia')).toBe(Date.UTC(2011, 11, 30, 10, 0))
    expect(startOfLocalDay('2026-11-23', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 22, 16, 0))
  })
})
