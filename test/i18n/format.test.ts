import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime } from '../../src/i18n/format.js'
import { LOCALES } from '../../src/i18n/locale.js'

// formatDateTime and formatDate build their text from the zone's offset instead of asking Intl
// each time; whatever they print must be exactly what Intl prints.
const intl = (ms: number, locale: string, timeZone: string, time: boolean) =>
  new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(time ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  }).format(ms)

// The office's zone, zones with summer time either side of the equator, half-hour and
// quarter-hour offsets, a half-hour summer time (Lord Howe) and one that skipped a whole day.
const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Apia',
]

describe('date and time formatting', () => {
  it('prints what Intl prints, in every locale and zone, across the years tickets live in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...LOCALES),
        fc.constantFrom(...ZONES),
        (ms, locale, zone) => {
          expect(formatDateTime(ms, locale, zone)).toBe(intl(ms, locale, zone, true))
          expect(formatDate(ms, locale, zone)).toBe(intl(ms, locale, zone, false))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('is exact around summer-time changes, minute by minute', () => {
    // 2026-03-08 America/New_York springs forward at 07:00 UTC; Lord Howe moves half an hour on 2026-10-04 (15:30 UTC the day before).
    for (const [zone, at] of [
      ['America/New_York', Date.UTC(2026, 2, 8, 7, 0)],
      ['America/New_York', Date.UTC(2026, 10, 1, 6, 0)],
      ['Europe/Berlin', Date.UTC(2026, 2, 29, 1, 0)],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30)],
      ['Pacific/Apia', Date.UTC(2011, 11, 30, 10, 0)],
    ] as const) {
      for (let m = -90; m <= 90; m++) {
        const ms = at + m * 60_000 + 17_123
        for (const locale of LOCALES)
          expect(formatDateTime(ms, locale, zone), `${zone} ${new Date(ms).toISOString()}`).toBe(
            intl(ms, locale, zone, true),
          )
      }
    }
  })

  it('shows the office time in each language, and nothing for no time', () => {
    const at = Date.UTC(2026, 10, 23, 6, 5, 59)
    expect(formatDateTime(at, 'zh-CN')).toBe('2026/11/23 14:05')
    expect(formatDateTime(at, 'en')).toBe('11/23/2026, 14:05')
    expect(formatDate(at, 'zh-CN')).toBe('2026/11/23')
    expect(formatDateTime(null, 'en')).toBe('')
    expect(formatDate(null, 'en')).toBe('')
  })

  it('leaves years outside 1000–9999 to Intl', () => {
    const far = Date.UTC(12000, 0, 1)
    expect(formatDateTime(far, 'en', 'UTC')).toBe(intl(far, 'en', 'UTC', true))
    const early = Date.UTC(900, 5, 1)
    expect(formatDate(early, 'zh-CN', 'Asia/Shanghai')).toBe(
      intl(early, 'zh-CN', 'Asia/Shanghai', false),
    )
  })
})
