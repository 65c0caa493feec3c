// What a file is, decided from its bytes alone. The name and the browser's declared type are
// whatever the uploader wants them to be, so they never decide whether a file is accepted.

export type EvidenceMime =
  | 'image/png'
  | 'image/jpeg'
  | 'image/webp'
  | 'image/gif'
  | 'application/pdf'
  | 'text/plain'
  | 'text/csv'

export const EVIDENCE_EXTENSIONS: Record<EvidenceMime, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
}

/** The extensions a file of each type usually has; a stored name must end with one of them. */
export const USUAL_EXTENSIONS: Record<EvidenceMime, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text'],
  'text/csv': ['csv'],
}

export const IMAGE_MIMES: readonly EvidenceMime[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
]

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) =>
  bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0))

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]
const GIF87 = ascii('GIF87a')
const GIF89 = ascii('GIF89a')
const RIFF = ascii('RIFF')
const WEBP = ascii('WEBP')
const PDF = ascii('%PDF-')

// Text that a browser (or a careless viewer) could run or render as a page.
const ACTIVE_TEXT =
  /<\s*(script|html|svg|\?xml|!doctype|iframe|body|object|embed|meta|link|style|img|a\s|math|xsl)/i
// The end of a piece of text that may be the start of ACTIVE_TEXT completed by the next piece:
// no keyword is longer than eight characters, and any run of spaces matches like one.
const ACTIVE_TEXT_PREFIX = /<\s*[!?]?[a-z]{0,8}$/i
// Tab, line feed, form feed and carriage return are text; every other C0 control (NUL
// included) and DEL mean binary data.
const BINARY_CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/
const SIGNATURE_BYTES = 12

/**
 * Decides a file's evidence type from its bytes as they arrive, so an upload is checked while it
 * streams to disk instead of being held in memory: the signatures need the first 12 bytes, and
 * plain text is checked piece by piece (valid UTF-8 across pieces, no binary controls, no markup
 * even when a tag is split between two pieces). Feeding the bytes in any pieces gives the same
 * answer as feeding them at once.
 */
export class EvidenceSniffer {
  private readonly head = new Uint8Array(SIGNATURE_BYTES)
  private headLength = 0
  private size = 0
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private textSoFar = true
  private decodedAny = false
  /** Until the first two characters after leading space are known: what came so far, trimmed. */
  private start: string | null = ''
  private carry = ''
  private verdict: { text: boolean } | null = null

  push(bytes: Uint8Array): void {
    if (this.verdict) throw new Error('EvidenceSniffer: push after result')
    if (bytes.length === 0) return
    if (this.headLength < SIGNATURE_BYTES) {
      const take = Math.min(SIGNATURE_BYTES - this.headLength, bytes.length)
      this.head.set(bytes.subarray(0, take), this.headLength)
      this.headLength += take
    }
    this.size += bytes.length
    if (!this.textSoFar) return
    let text: string
    try {
      text = this.decoder.decode(bytes, { stream: true })
    } catch {
      this.textSoFar = false
      return
    }
    this.checkText(text)
  }

  private checkText(piece: string): void {
    let text = piece
    if (text === '') return
    if (!this.decodedAny) {
      this.decodedAny = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    if (BINARY_CONTROL.test(text)) {
      this.textSoFar = false
      return
    }
    if (this.start !== null) {
      this.start = (this.start + text).trimStart()
      if (this.start.startsWith('<')) this.textSoFar = false
      else if (this.start.length >= 2) {
        if (this.start.startsWith('#!')) this.textSoFar = false
        this.start = null
      }
    }
    const joined = this.carry + text
    if (ACTIVE_TEXT.test(joined)) {
      this.textSoFar = false
      return
    }
    this.carry = ACTIVE_TEXT_PREFIX.exec(joined)?.[0].replace(/^<\s+/, '< ') ?? ''
  }

  /** The type, once every byte has been pushed; `name` only chooses between text and CSV. */
  result(name = ''): EvidenceMime | null {
    if (!this.verdict) {
      if (this.textSoFar) {
        try {
          this.checkText(this.decoder.decode())
        } catch {
          this.textSoFar = false
        }
      }
      this.verdict = { text: this.textSoFar }
    }
    if (this.size === 0) return null
    const head = this.head.subarray(0, this.headLength)
    if (startsWith(head, PNG)) return 'image/png'
    if (startsWith(head, JPEG)) return 'image/jpeg'
    if (startsWith(head, GIF87) || startsWith(head, GIF89)) return 'image/gif'
    if (startsWith(head, RIFF) && startsWith(head, WEBP, 8)) return 'image/webp'
    if (startsWith(head, PDF)) return 'application/pdf'
    if (this.verdict.text) return /\.csv$/i.test(name.trim()) ? 'text/csv' : 'text/plain'
    return null
  }
}

/**
 * The evidence type of these bytes, or null when they are not one we accept. `name` only
 * chooses between plain text and CSV, which are equally harmless; it never makes bytes acceptable.
 */
export function detectEvidenceType(bytes: Uint8Array, name = ''): EvidenceMime | null {
  const sniffer = new EvidenceSniffer()
  sniffer.push(bytes)
  return sniffer.result(name)
}
