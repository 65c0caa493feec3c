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

export const IMAGE_MIMES: readonly EvidenceMime[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']

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
const ACTIVE_TEXT = /<\s*(script|html|svg|\?xml|!doctype|iframe|body|object|embed|meta|link|style|img|a\s|math|xsl)/i
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The evidence type of these bytes, or null when they are not one we accept. `name` only
 * chooses between plain text and CSV, which are equally harmless; it never makes bytes acceptable.
 */
export function detectEvidenceType(bytes: Uint8Array, name = ''): EvidenceMime | null {
  if (bytes.length === 0) return null
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, JPEG)) return 'image/jpeg'
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'image/gif'
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp'
  if (startsWith(bytes, PDF)) return 'application/pdf'
  if (isSafeText(bytes)) return /\.csv$/i.test(name.trim()) ? 'text/csv' : 'text/plain'
  return null
}

/** Valid UTF-8 without NULs or other binary control bytes, and nothing that looks like markup or a script. */
export function isSafeText(bytes: Uint8Array): boolean {
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch {
    return false
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // Tab, line feed, form feed and carriage return are text; every other C0 control (NUL
  // included) and DEL mean binary data.
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false
  const start = text.trimStart()
  if (start.startsWith('#!')) return false
  if (start.startsWith('<')) return false
  if (ACTIVE_TEXT.test(text)) return false
  return true
}
