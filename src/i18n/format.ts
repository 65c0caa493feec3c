import { steadyWallTime } from '../domain/zoneTime.js'
import type { Locale } from './locale.js'

// Displayed times use the office's zone; stored times are UTC epoch ms.
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai'

// Intl's format() costs ≈ 1 µs a call and a ticket page shows a few dozen times. The fields are
// computed from the zone's offset instead (asked of Intl once per UTC day, Intl kept for the
// days a zone changes its offset), and put in the order and with the separators Intl itself
// uses for the locale, read once from formatToParts. Any shape this cannot reproduce (other
// digits, eras, years outside 1000–9999) goes to Intl; test/i18n/format.test.ts compares both.

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute'
const FIELDS: readonly string[] = ['year', 'month', 'day', 'hour', 'minute']

interface DateShape {
  intl: Intl.DateTimeFormat
  /** Literal text and fields in Intl's order; null when the fast path cannot match Intl. */
  parts: (string | Field)[] | null
}

const shapes = new Map<string, DateShape>()

function shapeOf(kind: 'dt' | 'd', locale: Locale, timeZone: string): DateShape {
  const key = `${kind}:${locale}:${timeZone}`
  let shape = shapes.get(key)
  if (!shape) {
    const time =
      kind === 'dt' ? ({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const) : {}
    const intl = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...time,
    })
    shape = { intl, parts: learnParts(locale, time) }
    shapes.set(key, shape)
  }
  return shape
}

/** Intl's order and separators for this locale, or null when they do not carry over. */
function learnParts(locale: Locale, time: Intl.DateTimeFormatOptions): (string | Field)[] | null {
  const utc = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...time,
  })
  const sample = Date.UTC(2031, 11, 28, 17, 59)
  const parts = utc
    .formatToParts(sample)
    .map((p) =>
      FIELDS.includes(p.type) ? (p.type as Field) : p.type === 'literal' ? p.value : null,
    )
  if (parts.includes(null)) return null
  const learned = parts as (string | Field)[]
  // Only if the rebuilt text is Intl's, at a date whose every field has two digits of its own.
  return assemble(learned, sample) === utc.format(sample) ? learned : null
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** The parts filled from the wall-clock time `local` (milliseconds, read as UTC). */
function assemble(parts: readonly (string | Field)[], local: number): string {
  const d = new Date(local)
  let out = ''
  for (const p of parts) {
    if (p === 'year') out += String(d.getUTCFullYear())
    else if (p === 'month') out += two(d.getUTCMonth() + 1)
    else if (p === 'day') out += two(d.getUTCDate())
    else if (p === 'hour') out += two(d.getUTCHours())
    else if (p === 'minute') out += two(d.getUTCMinutes())
    else out += p
  }
  return out
}

function formatIn(kind: 'dt' | 'd', ms: number, locale: Locale, timeZone: string): string {
  const shape = shapeOf(kind, locale, timeZone)
  const local = shape.parts ? steadyWallTime(ms, timeZone) : null
  return shape.parts && local !== null ? assemble(shape.parts, local) : shape.intl.format(ms)
}

export function formatDateTime(
  ms: number | null,
  locale: Locale,
  timeZone = DISPLAY_TIME_ZONE,
): string {
  if (ms === null) return ''
  return formatIn('dt', ms, locale, timeZone)
}

export function formatDate(
  ms: number | null,
  locale: Locale,
  timeZone = DISPLAY_TIME_ZONE,
): string {
  if (ms === null) return ''
  return formatIn('d', ms, locale, timeZone)
}

/** ISO 4217 minor-unit exponent for the currencies wallets use; 2 when unknown. */
export function currencyExponent(currency: string): number {
  return ['JPY', 'KRW', 'VND', 'CLP', 'ISK'].includes(currency.toUpperCase()) ? 0 : 2
}

// Building an Intl.NumberFormat costs far more than using one (a queue page formats 50 amounts).
const moneyFormats = new Map<string, Intl.NumberFormat>()

export function formatMoney(minor: number | null, currency: string, locale: Locale): string {
  if (minor === null) return ''
  const exp = currencyExponent(currency)
  try {
    const key = `${locale}:${currency}`
    let f = moneyFormats.get(key)
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: exp,
        maximumFractionDigits: exp,
      })
      // Only valid currencies get here (the constructor throws otherwise), so the map stays small.
      moneyFormats.set(key, f)
    }
    return f.format(minor / 10 ** exp)
  } catch {
    return `${(minor / 10 ** exp).toFixed(exp)} ${currency}`
  }
}

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>()

/** "in 3 days", "2 hours ago", in the user's language. */
export function formatRelative(ms: number, now: number, locale: Locale): string {
  let f = relativeFormats.get(locale)
  if (!f)
    relativeFormats.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })))
  const diff = ms - now
  const abs = Math.abs(diff)
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ]
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'minute') return f.format(Math.round(diff / size), unit)
  }
  return f.format(0, 'minute')
}

/** Bytes for people: 1.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
