// CSV for spreadsheets: UTF-8 with a byte-order mark so Excel reads Chinese correctly, CRLF
// line ends (RFC 4180), and cells that a spreadsheet would run as a formula made inert.

export const BOM = '\uFEFF'

/** Characters that make Excel, LibreOffice or Sheets treat a cell as a formula (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','))
  return BOM + lines.join('\r\n') + '\r\n'
}

/** A download name that needs no quoting or encoding: letters, digits, dashes and dots. */
export function csvFilename(name: string, from: string, to: string): string {
  return `ladder-${name}-${from}-to-${to}.csv`.replace(/[^A-Za-z0-9.-]/g, '-')
}
