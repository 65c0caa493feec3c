// Money typed by people, turned into integer minor units with string arithmetic only: no float
// ever sees the amount, so 0.29 stays 29 and 10000000.01 stays exact.

export type AmountProblem = 'format' | 'too_many_decimals' | 'not_positive' | 'too_large'

/** Above this (in major units) an amount is a typo, not a wallet payment. */
export const AMOUNT_CAP_MAJOR = 10_000_000

export type ParsedAmount = { ok: true; minor: number } | { ok: false; problem: AmountProblem }

// Full-width digits and punctuation from Chinese input methods.
function toAscii(s: string): string {
  return s
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\uff0e\u3002]/g, '.')
    .replace(/[\uff0c]/g, ',')
    .replace(/[\uff0d\u2212]/g, '-')
}

/**
 * "1,234.56" → 123456 for a currency with `exponent` decimals. Thousands separators are
 * accepted only in groups of three, so "1,5" is a format error rather than fifteen.
 */
export function parseAmount(
  input: string,
  exponent = 2,
  capMajor = AMOUNT_CAP_MAJOR,
): ParsedAmount {
  let s = toAscii(input)
    .replace(/\s+/g, '')
    .replace(/^[¥￥$]/, '')
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, '')
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { ok: false, problem: 'format' }
  const [, sign, whole = '', fraction = ''] = m
  if (fraction.length > exponent) return { ok: false, problem: 'too_many_decimals' }
  const digits = ((whole || '0') + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '')
  const minor = BigInt(digits)
  if (sign === '-' || minor === 0n) return { ok: false, problem: 'not_positive' }
  if (minor > BigInt(capMajor) * 10n ** BigInt(exponent)) return { ok: false, problem: 'too_large' }
  return { ok: true, minor: Number(minor) }
}

/** Minor units back to the plain decimal a form field shows: 123456 → "1234.56". */
export function formatAmountPlain(minor: number, exponent = 2): string {
  const s = String(minor).padStart(exponent + 1, '0')
  return exponent === 0 ? s : `${s.slice(0, -exponent)}.${s.slice(-exponent)}`
}
