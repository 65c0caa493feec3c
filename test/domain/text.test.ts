import { describe, expect, it } from 'vitest'
import { cleanText } from '../../src/domain/text.js'

describe('cleanText', () => {
  it.each([
    ['bidi override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['every embedding, override and pop', 'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef', 'abcdef'],
    ['isolates', 'a\u2066b\u2067c\u2068d\u2069e', 'abcde'],
    ['direction marks', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['zero-width space, word joiner, BOM', 'a\u200Bb\u2060c\uFEFFd', 'abcd'],
    ['invisible operators and soft hyphen', 'a\u2061b\u2064c\u00ADd', 'abcd'],
    ['tag characters that spell hidden text', 'ok\u{E0001}\u{E0069}\u{E0067}\u{E006E}', 'ok'],
    ['interlinear annotation', 'a\uFFF9b\uFFFAc\uFFFBd', 'abcd'],
    ['NUL and other C0 controls', 'a\u0000b\u0001c\u0007d\u001Be\u0008f', 'abcdef'],
    ['DEL and C1 controls', 'a\u007Fb\u0080c\u009Bd', 'abcd'],
    ['a lone surrogate half', 'a\uD800b\uDFFFc', 'abc'],
    ['CR LF and a lone CR', 'one\r\ntwo\rthree', 'one\ntwo\nthree'],
    ['NEL and the line and paragraph separators', 'a\u0085b\u2028c\u2029d', 'a\nb\nc\nd'],
  ])('takes out %s', (_, raw, expected) => {
    expect(cleanText(raw)).toBe(expected)
  })

  it.each([
    ['Chinese and punctuation', '退款显示成功已经20天，钱包没有收到。'],
    ['tab and line breaks in text with lines', 'line 1\n\tline 2\n\nline 4'],
    ['the zero-width joiner of an emoji sequence', '👨\u200D👩\u200D👧'],
    ['the zero-width non-joiner Persian needs', 'می\u200Cخواهم'],
    ['emoji and CJK variation selectors', '❤\uFE0F 葛\u{E0100}'],
    ['Arabic and Hebrew letters themselves', 'مرحبا שלום'],
    ['symbols and spaces', '¥128.50 — “quoted” · 中\u3000文'],
  ])('keeps %s', (_, raw) => {
    expect(cleanText(raw)).toBe(raw)
  })

  it('turns tabs and line breaks into spaces in a single-line field', () => {
    expect(cleanText('王\t芳\r\nLi\u2028Na', { singleLine: true })).toBe('王 芳 Li Na')
    expect(cleanText('王\t芳\r\nLi', { singleLine: false })).toBe('王\t芳\nLi')
  })

  it('leaves trimming to the caller', () => {
    expect(cleanText('\u202E hello \u0000')).toBe(' hello ')
  })
})
