// Text for the search index and the query that matches it. SQLite's tokenizers do not split
// Chinese, so each run of CJK characters becomes overlapping bigrams (plus its last character,
// so that every single character starts some token); other words are kept whole. A two-character
// term is then exactly one token, and a longer term is a phrase of consecutive bigrams.

const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}'
const RUNS = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+)`, 'gu')

type Run = { cjk: true; chars: string[] } | { cjk: false; word: string }

function runs(text: string): Run[] {
  const out: Run[] = []
  for (const m of text.normalize('NFKC').matchAll(RUNS)) {
    if (m[1]) out.push({ cjk: true, chars: [...m[1]] })
    else if (m[2]) out.push({ cjk: false, word: m[2].toLowerCase() })
  }
  return out
}

function bigrams(chars: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!)
  return out
}

/** The derived text stored in the index. */
export function bigramText(text: string): string {
  const out: string[] = []
  for (const r of runs(text)) {
    if (!r.cjk) out.push(r.word)
    else if (r.chars.length === 1) out.push(r.chars[0]!)
    else out.push(...bigrams(r.chars), r.chars[r.chars.length - 1]!)
  }
  return out.join(' ')
}

/**
 * An FTS5 query for what a person typed: every term must occur (AND); a Chinese term longer
 * than two characters is a phrase of its bigrams; a single character matches any token it
 * starts. Every term is quoted, so nothing the user types is read as query syntax.
 * null when nothing searchable remains.
 */
export function matchQuery(input: string): string | null {
  const terms: string[] = []
  for (const r of runs(input.slice(0, 200))) {
    if (!r.cjk) terms.push(quote(r.word))
    else if (r.chars.length === 1) terms.push(`${quote(r.chars[0]!)}*`)
    else terms.push(quote(bigrams(r.chars).join(' ')))
    if (terms.length >= 12) break
  }
  return terms.length ? terms.join(' ') : null
}

function quote(s: string): string {
  return `"${s.replaceAll('"', '""')}"`
}
