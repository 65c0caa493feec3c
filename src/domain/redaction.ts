export type RedactionKind = 'card' | 'id_number' | 'phone'

export interface Finding {
  kind: RedactionKind
  start: number
  end: number
  original: string
  masked: string
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const ID_CHECK_CHARS = '10X98765432'

const ID_RE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g
// Maximal runs of digit groups joined by one space or dash; card candidates are cut from these
// at group boundaries so that a card is never taken out of the middle of a longer number.
const DIGIT_RUN_RE = /\d+(?:[ -]\d+)*/g
const PHONE_RE = /(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9]\d([ -]?)\d{4}\1\d{4}(?![0-9A-Za-z])/g
const PREFIXED_MOBILE_RE = /^861[3-9]\d{9}$/

const CARD_MIN_DIGITS = 13
const CARD_MAX_DIGITS = 19
// Grouped cards use groups of 3+ digits (4-4-4-4-3, 4-6-5, 6-13); shorter groups are dates,
// times or list numbers.
const CARD_MIN_GROUP = 3
const KEEP_LAST = 4

export function luhnValid(digits: string): boolean {
  const d = digits.replace(/[ -]/g, '')
  if (!/^\d+$/.test(d)) return false
  let sum = 0
  let double = false
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48
    if (double) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
    double = !double
  }
  return sum % 10 === 0
}

function plausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4))
  const month = Number(yyyymmdd.slice(4, 6))
  const day = Number(yyyymmdd.slice(6, 8))
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= daysInMonth
}

export function prcIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false
  if (!plausibleBirthDate(id.slice(6, 14))) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11] === id[17]!.toUpperCase()
}

function mask(original: string): string {
  const chars = [...original]
  let kept = 0
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i]!
    if (!/[0-9Xx]/.test(c)) continue
    if (kept < KEEP_LAST) kept++
    else chars[i] = '*'
  }
  return chars.join('')
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[0-9A-Za-z]/.test(c)
}

// A '.' between digits makes the number a decimal amount, not an identifier.
function boundaryBefore(text: string, i: number): boolean {
  const c = text[i - 1]
  if (isWordChar(c)) return false
  return !(c === '.' && /\d/.test(text[i - 2] ?? ''))
}

function boundaryAfter(text: string, i: number): boolean {
  const c = text[i]
  if (isWordChar(c)) return false
  return !(c === '.' && /\d/.test(text[i + 1] ?? ''))
}

type Span = { start: number; end: number }

function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && s.start < end)
}

function finding(kind: RedactionKind, text: string, start: number, end: number): Finding {
  const original = text.slice(start, end)
  return { kind, start, end, original, masked: mask(original) }
}

function findIds(text: string): Finding[] {
  const out: Finding[] = []
  for (const m of text.matchAll(ID_RE)) {
    const start = m.index
    const end = start + m[0].length
    if (!boundaryBefore(text, start) || !boundaryAfter(text, end)) continue
    if (prcIdValid(m[0])) out.push(finding('id_number', text, start, end))
  }
  return out
}

interface Group {
  start: number
  end: number
  sep: string
}

function findCards(text: string, taken: readonly Span[]): Finding[] {
  const out: Finding[] = []
  for (const run of text.matchAll(DIGIT_RUN_RE)) {
    const groups: Group[] = []
    for (const g of run[0].matchAll(/\d+/g)) {
      const start = run.index + g.index
      groups.push({ start, end: start + g[0].length, sep: text[start - 1] ?? '' })
    }
    let i = 0
    while (i < groups.length) {
      const hit = longestCardFrom(text, groups, i, taken)
      if (hit === undefined) {
        i++
        continue
      }
      out.push(finding('card', text, groups[i]!.start, groups[hit]!.end))
      i = hit + 1
    }
  }
  return out
}

function longestCardFrom(
  text: string,
  groups: readonly Group[],
  first: number,
  taken: readonly Span[],
): number | undefined {
  const start = groups[first]!.start
  if (first === 0 && (!boundaryBefore(text, start) || text[start - 1] === '+')) return undefined
  const candidates: number[] = []
  let digits = 0
  for (let j = first; j < groups.length; j++) {
    const g = groups[j]!
    if (j > first && g.sep !== groups[first + 1]!.sep) break
    digits += g.end - g.start
    if (digits > CARD_MAX_DIGITS) break
    if (digits >= CARD_MIN_DIGITS) candidates.push(j)
  }
  const grouped = (j: number) => j > first
  for (let k = candidates.length - 1; k >= 0; k--) {
    const last = candidates[k]!
    const end = groups[last]!.end
    if (last === groups.length - 1 && !boundaryAfter(text, end)) continue
    if (
      grouped(last) &&
      groups.slice(first, last + 1).some((g) => g.end - g.start < CARD_MIN_GROUP)
    ) {
      continue
    }
    const raw = text.slice(start, end)
    const digitsOnly = raw.replace(/[ -]/g, '')
    // 86 + mobile number is 13 digits like a short card; leave it to the phone scanner.
    if (PREFIXED_MOBILE_RE.test(digitsOnly)) continue
    if (overlaps(taken, start, end)) continue
    if (luhnValid(digitsOnly)) return last
  }
  return undefined
}

function findPhones(text: string, taken: readonly Span[]): Finding[] {
  const out: Finding[] = []
  for (const m of text.matchAll(PHONE_RE)) {
    const start = m.index
    const end = start + m[0].length
    if (!boundaryBefore(text, start) || !boundaryAfter(text, end)) continue
    if (overlaps(taken, start, end)) continue
    out.push(finding('phone', text, start, end))
  }
  return out
}

/** The fewest ASCII digits any finding has: a mobile number's 11 (cards 13, ID numbers 17). */
const FEWEST_DIGITS = 11

function hasDigits(text: string, n: number): boolean {
  let seen = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57 && ++seen >= n) return true
  }
  return false
}

export function findSensitive(text: string): Finding[] {
  // Most text (a reply, a note) has no long number at all: one pass instead of three scans.
  if (!hasDigits(text, FEWEST_DIGITS)) return []
  const ids = findIds(text)
  const cards = findCards(text, ids)
  const phones = findPhones(text, [...ids, ...cards])
  return [...ids, ...cards, ...phones].sort((a, b) => a.start - b.start)
}

export function redact(text: string): string {
  let out = ''
  let pos = 0
  for (const f of findSensitive(text)) {
    out += text.slice(pos, f.start) + f.masked
    pos = f.end
  }
  return out + text.slice(pos)
}

export function containsSensitive(text: string): boolean {
  return findSensitive(text).length > 0
}
