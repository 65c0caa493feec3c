// Case numbers people read out on the phone: LD-2026-000123, numbered per year of filing.

const PATTERN = /^LD-(\d{4})-(\d{6,})$/

export function formatCaseNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError('sequence must be a positive integer')
  return `LD-${year}-${String(sequence).padStart(6, '0')}`
}

/** Accepts what people type: lower case, spaces, missing dashes or zeros (ld 2026 123). */
export function normalizeCaseNumber(input: string): string | null {
  const compact = input
    .trim()
    .toUpperCase()
    .replace(/[\s_–—]+/g, '-')
  const m = /^LD-?(\d{4})-?(\d{1,9})$/.exec(compact)
  if (!m) return null
  const sequence = Number(m[2])
  if (sequence < 1) return null
  return formatCaseNumber(Number(m[1]), sequence)
}

export function parseCaseNumber(caseNumber: string): { year: number; sequence: number } | null {
  const m = PATTERN.exec(caseNumber)
  return m ? { year: Number(m[1]), sequence: Number(m[2]) } : null
}

/** The counter that numbers a year's cases. */
export function caseCounterName(year: number): string {
  return `case_seq:${year}`
}
