import { describe, expect, it } from 'vitest'
import { clockDaysBetween } from '../../src/domain/clocks.js'
import { buildCalendar } from '../../src/domain/workCalendar.js'
import { DAY_MS } from '../../src/domain/zoneTime.js'
import {
  escapeXml,
  groupedColumns,
  horizontalBars,
  niceTicks,
  textWidth,
} from '../../src/reports/charts.js'
import { BOM, csvCell, csvFilename, toCsv } from '../../src/reports/csv.js'
import { resolveScope, scopeQuery } from '../../src/reports/filters.js'
import {
  ageBucket,
  isSystemicAlert,
  medianRank,
  nearestRank,
  p90Rank,
} from '../../src/reports/stats.js'
import { csvValue, htmlValue, money, pct } from '../../src/reports/table.js'
import { workIndex } from '../../src/reports/workTime.js'

const cst = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)
const CN = buildCalendar('Asia/Shanghai', [
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
    date: `2026-10-${d}`,
    kind: 'holiday' as const,
  })),
  { date: '2026-10-10', kind: 'workday' },
])
const GB = buildCalendar('Europe/London', [{ date: '2026-12-25', kind: 'holiday' }])

describe('the working-time index', () => {
  it('agrees with clockDaysBetween across holidays, make-up days, weekends and pauses', () => {
    const index = workIndex('business_days', CN, cst(2026, 9, 1), cst(2026, 12, 31))
    let seed = 7
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647
    for (let i = 0; i < 300; i++) {
      const from = cst(2026, 9, 1) + Math.floor(rnd() * 80 * DAY_MS)
      const to = from + Math.floor(rnd() * 30 * DAY_MS)
      const p1 = from + Math.floor(rnd() * (to - from))
      const pauses =
        rnd() < 0.5
          ? [
              { start: p1, end: p1 + Math.floor(rnd() * 5 * DAY_MS) },
              { start: p1 + DAY_MS, end: p1 + 2 * DAY_MS },
            ]
          : []
      expect(index.days(from, to, pauses)).toBeCloseTo(
        clockDaysBetween(from, to, 'business_days', CN, pauses),
        9,
      )
    }
  })

  it('counts the national-day week as holidays and the make-up Saturday as a working day', () => {
    const index = workIndex('business_days', CN, cst(2026, 9, 1), cst(2026, 12, 31))
    // Wed 09-30 10:00 → Mon 10-12 10:00: 14 h on 09-30, nothing 10-01…10-07, Thu 8, Fri 9,
    // Sat 10 (make-up workday), then 10 h on Mon 10-12.
    expect(index.days(cst(2026, 9, 30, 10), cst(2026, 10, 12, 10))).toBeCloseTo(
      14 / 24 + 3 + 10 / 24,
      9,
    )
  })

  it('handles a zone with summer time like the slow path, and falls back outside its span', () => {
    const index = workIndex('business_days', GB, Date.UTC(2026, 2, 1), Date.UTC(2026, 11, 31))
    const from = Date.UTC(2026, 2, 27, 9)
    const to = Date.UTC(2026, 3, 2, 17)
    expect(index.days(from, to)).toBeCloseTo(clockDaysBetween(from, to, 'business_days', GB), 9)
    const outside = Date.UTC(2025, 0, 6, 9)
    expect(index.days(outside, outside + 3 * DAY_MS)).toBeCloseTo(
      clockDaysBetween(outside, outside + 3 * DAY_MS, 'business_days', GB),
      9,
    )
  })
})

describe('statistics', () => {
  it('picks nearest-rank percentiles, the same ranks the SQL uses', () => {
    expect(nearestRank([], 0.5)).toBeNull()
    expect(nearestRank([5], 0.9)).toBe(5)
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2)
    expect(nearestRank([1, 2, 3, 4, 5], 0.5)).toBe(3)
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9)
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10)
    for (let n = 1; n <= 200; n++) {
      const list = Array.from({ length: n }, (_, i) => i + 1)
      expect(nearestRank(list, 0.5)).toBe(medianRank(n))
      expect(nearestRank(list, 0.9)).toBe(p90Rank(n))
    }
  })

  it('buckets ages in whole days', () => {
    const now = cst(2026, 11, 23, 10)
    expect(ageBucket(now - 7 * DAY_MS - 1, now)).toBe('0-7')
    expect(ageBucket(now - 8 * DAY_MS, now)).toBe('8-15')
    expect(ageBucket(now - 30 * DAY_MS - 1, now)).toBe('16-30')
    expect(ageBucket(now - 60 * DAY_MS, now)).toBe('31-60')
    expect(ageBucket(now - 61 * DAY_MS, now)).toBe('61+')
  })

  it('raises a systemic alert at ≥ 10 tickets and ≥ 3× the trailing weekly mean', () => {
    expect(isSystemicAlert(10, 0)).toBe(true)
    expect(isSystemicAlert(9, 0)).toBe(false)
    expect(isSystemicAlert(12, 32)).toBe(true) // mean 4, 3× = 12
    expect(isSystemicAlert(12, 33)).toBe(false)
  })
})

describe('CSV', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(evil).replace(/^"/, '')).toMatch(/^'/)
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('支付宝')).toBe('支付宝')
  })

  it('starts with a BOM and ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe(`${BOM}a,b\r\n1,2\r\n`)
    expect(csvFilename('funnel', '2026-10-01', '2026-11-15')).toBe(
      'ladder-funnel-2026-10-01-to-2026-11-15.csv',
    )
  })

  it('writes shares and money as plain numbers, the page with signs', () => {
    expect(csvValue(pct(1, 3))).toBe('33.3')
    expect(csvValue(pct(1, 0))).toBe('')
    expect(htmlValue(pct(1, 0), 'en')).toBe('–')
    expect(csvValue(money(123_456, 'CNY'))).toBe('1234.56')
    expect(csvValue(money(500, 'JPY'))).toBe('500')
    expect(htmlValue(money(123_456, 'USD'), 'en')).toBe('$1,234.56')
  })
})

describe('charts', () => {
  it('place gridlines 1, 2 or 5 times a power of ten apart, covering the largest value', () => {
    expect(niceTicks(11, 4)).toEqual([0, 5, 10, 15])
    expect(niceTicks(0)).toEqual([0, 1])
    expect(niceTicks(4_321)).toEqual([0, 1000, 2000, 3000, 4000, 5000])
  })

  it('make room for the longest label and value, a Chinese character counted a whole em', () => {
    expect(textWidth('消费者协会', 10)).toBe(50)
    const long = 'Consumer association and then some'
    const svg = horizontalBars({ id: 'c', title: 't', desc: 'd' }, [
      { label: long, value: 123_456, valueText: '123456 · 100%' },
    ])
    const width = Number(/viewBox="0 0 ([\d.]+) /.exec(svg)![1])
    const labelEnd = Number(/class="chart-label" x="([\d.]+)"/.exec(svg)![1])
    expect(labelEnd - textWidth(long, 13)).toBeGreaterThanOrEqual(0)
    const valueStart = Number(/class="chart-value" x="([\d.]+)"/.exec(svg)![1])
    expect(valueStart + textWidth('123456 · 100%', 13)).toBeLessThanOrEqual(width)
  })

  it('escape every label and draw one bar per value', () => {
    const svg = horizontalBars({ id: 'c', title: 'A <b> & "c"', desc: 'd' }, [
      { label: '<script>', value: 2 },
      { label: 'x', value: 0 },
    ])
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;script&gt;')
    expect(svg).toContain('<title id="c-title">A &lt;b&gt; &amp; &quot;c&quot;</title>')
    expect(svg.match(/<rect class="bar /g)).toHaveLength(2)
    expect(svg).not.toContain('style=')
    const cols = groupedColumns(
      { id: 't', title: 't', desc: 'd' },
      [
        { name: 'a', key: 'a', fill: '#000' },
        { name: 'b', key: 'b', fill: '#111' },
      ],
      [
        { label: 'w1', values: [1, 2] },
        { label: 'w2', values: [0, 0] },
        { label: 'w3', values: [3, 1] },
      ],
    )
    expect(cols.match(/<rect class="bar /g)).toHaveLength(6)
    expect(escapeXml(`'`)).toBe('&#39;')
  })
})

describe('filters', () => {
  const now = cst(2026, 11, 23, 10)
  it('default to the last 90 local days and round-trip through the query string', () => {
    const r = resolveScope({}, now)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.scope.fromDate).toBe('2026-08-26')
    expect(r.scope.toDate).toBe('2026-11-23')
    expect(r.scope.fromMs).toBe(cst(2026, 8, 26))
    expect(r.scope.toMs).toBe(cst(2026, 11, 24))
    const again = resolveScope(Object.fromEntries(new URLSearchParams(scopeQuery(r.scope))), now)
    expect(again.ok && again.scope).toEqual(r.scope)
  })

  it('take blanks as "all" and refuse nonsense', () => {
    const r = resolveScope({ from: '', to: '', provider: '', category: '', assignee: 'none' }, now)
    expect(r.ok && r.scope.assignee).toBe('none')
    expect(resolveScope({ assignee: '12' }, now)).toMatchObject({
      ok: true,
      scope: { assignee: 12 },
    })
    expect(resolveScope({ provider: '0' }, now)).toMatchObject({
      ok: false,
      errors: { provider: 'form.invalidChoice' },
    })
    expect(resolveScope({ to: '2026-13-01' }, now)).toMatchObject({
      ok: false,
      errors: { to: 'reports.filter.badDate' },
    })
  })
})
