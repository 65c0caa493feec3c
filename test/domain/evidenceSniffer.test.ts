import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EvidenceSniffer, detectEvidenceType } from '../../src/evidence/sniff.js'

// The rule as it reads on a whole file: the streaming sniffer must decide exactly like this.
function wholeFileIsText(bytes: Uint8Array): boolean {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return false
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false
  const start = text.trimStart()
  if (start.startsWith('#!') || start.startsWith('<')) return false
  return !/<\s*(script|html|svg|\?xml|!doctype|iframe|body|object|embed|meta|link|style|img|a\s|math|xsl)/i.test(
    text,
  )
}

function inPieces(bytes: Uint8Array, cuts: number[], name = 'a.txt') {
  const sniffer = new EvidenceSniffer()
  let from = 0
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    sniffer.push(bytes.subarray(from, cut))
    from = cut
  }
  sniffer.push(bytes.subarray(from))
  return sniffer.result(name)
}

const encode = (s: string) => new TextEncoder().encode(s)
// Characters that make the rule's edges likely: tags, spaces, a shebang, a BOM, controls, CJK.
const tricky = fc.constantFrom(
  ...'<  \t\n?!#ascriptmlvgbodyxIMG退款\ufeff\u0000\u0085\u3000'.split(''),
  '<a ',
  '<!DOCTYPE',
  '<script',
  '\u{1F4B0}',
)

describe('EvidenceSniffer', () => {
  it('decides text in any pieces as the whole-file rule does', () => {
    fc.assert(
      fc.property(
        fc.array(tricky, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (chars, cuts) => {
          const bytes = encode(chars.join(''))
          const expected = bytes.length === 0 ? null : wholeFileIsText(bytes) ? 'text/plain' : null
          expect(inPieces(bytes, cuts)).toBe(expected)
          expect(detectEvidenceType(bytes, 'a.txt')).toBe(expected)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('gives the same answer for random bytes in any pieces', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (bytes, cuts) => {
          expect(inPieces(bytes, cuts, 'x.csv')).toBe(detectEvidenceType(bytes, 'x.csv'))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('finds a tag split across pieces, however long the space inside it', () => {
    const bytes = encode(`notes\n<${' '.repeat(5000)}script>alert(1)</script>`)
    for (let cut = 0; cut <= bytes.length; cut += 97)
      expect(inPieces(bytes, [cut, cut + 3])).toBeNull()
  })

  it('finds a signature and a multi-byte character split across pieces', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3,
    ])
    for (let cut = 0; cut <= png.length; cut++) expect(inPieces(png, [cut])).toBe('image/png')
    const text = encode('退款未到账，已等待 30 天。')
    for (let cut = 0; cut <= text.length; cut++) expect(inPieces(text, [cut])).toBe('text/plain')
    // A character cut off at the end of the file is not valid UTF-8.
    expect(inPieces(text.subarray(0, 2), [1])).toBeNull()
  })
})
