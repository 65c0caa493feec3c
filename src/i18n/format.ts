import type { Locale } from './locale.js'

// Displayed times use the office's zone; stored times are UTC epoch ms.
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai'

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
function cached(key: string, make: () => Intl.DateTimeFormat) {
  let f = dateTimeFormats.get(key)
  if (!f) dateTimeFormats.set(key, (f = make()))
  return f
}

export function formatDateTime(ms: number | null, locale: Locale, timeZone = DISPLAY_TIME_ZONE): string {
  if (ms === null) return ''
  return cached(`dt:${locale}:${timeZone}`, () =>
    new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
  ).format(ms)
}

export function formatDate(ms: number | null, locale: Locale, timeZone = DISPLAY_TIME_ZONE): string {
  if (ms === null) return ''
  return cached(`d:${locale}:${timeZone}`, () =>
    new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(ms)
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
      f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp })
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
  if (!f) relativeFormats.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })))
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
