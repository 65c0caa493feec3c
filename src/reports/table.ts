// One description of a report table, rendered twice: as HTML on the page and as CSV. Keeping the
// cells typed (a share is numerator and denominator, money is minor units and a currency) lets
// each output format them its own way while the numbers stay the same. Pure.
import { currencyExponent, formatMoney } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'

export type Cell =
  | { kind: 'text'; v: string; href?: string }
  | { kind: 'int'; v: number | null }
  /** A share in percent; blank when the denominator is 0. */
  | { kind: 'pct'; num: number; den: number }
  /** Days with one decimal; blank when there is nothing to measure. */
  | { kind: 'days'; v: number | null }
  | { kind: 'dec'; v: number | null; digits: number }
  | { kind: 'money'; minor: number | null; currency: string }

export interface ReportTable {
  name: string
  columns: string[]
  rows: Cell[][]
  /** Totals, shown in <tfoot> and appended to the CSV. */
  totals: Cell[][]
  /** Nothing to report for this scope: the page says so instead of drawing an empty table. */
  empty: boolean
}

export const text = (v: string, href?: string): Cell =>
  href ? { kind: 'text', v, href } : { kind: 'text', v }
export const int = (v: number | null): Cell => ({ kind: 'int', v })
export const pct = (num: number, den: number): Cell => ({ kind: 'pct', num, den })
export const days = (v: number | null): Cell => ({ kind: 'days', v })
export const dec = (v: number | null, digits = 2): Cell => ({ kind: 'dec', v, digits })
export const money = (minor: number | null, currency: string): Cell => ({
  kind: 'money',
  minor,
  currency,
})

function share(num: number, den: number): string {
  return den === 0 ? '' : ((num * 100) / den).toFixed(1)
}

/** Plain values for a spreadsheet: no thousands separators or currency signs. */
export function csvValue(c: Cell): string {
  switch (c.kind) {
    case 'text':
      return c.v
    case 'int':
      return c.v === null ? '' : String(c.v)
    case 'pct':
      return share(c.num, c.den)
    case 'days':
      return c.v === null ? '' : c.v.toFixed(1)
    case 'dec':
      return c.v === null ? '' : c.v.toFixed(c.digits)
    case 'money': {
      if (c.minor === null) return ''
      const exp = currencyExponent(c.currency)
      return (c.minor / 10 ** exp).toFixed(exp)
    }
  }
}

const DASH = '–'

/** What the page shows; numbers right-aligned by the template via `isNumeric`. */
export function htmlValue(c: Cell, locale: Locale): string {
  switch (c.kind) {
    case 'text':
      return c.v
    case 'int':
      return c.v === null ? DASH : c.v.toLocaleString(locale)
    case 'pct':
      return c.den === 0 ? DASH : `${share(c.num, c.den)}%`
    case 'days':
    case 'dec':
      return csvValue(c) || DASH
    case 'money':
      return c.minor === null ? DASH : formatMoney(c.minor, c.currency, locale)
  }
}

export const isNumeric = (c: Cell) => c.kind !== 'text'

export function tableCsvRows(t: ReportTable): string[][] {
  return [...t.rows, ...t.totals].map((r) => r.map(csvValue))
}
