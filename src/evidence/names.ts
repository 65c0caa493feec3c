import { EVIDENCE_EXTENSIONS, USUAL_EXTENSIONS, type EvidenceMime } from './sniff.js'

// Original file names are shown to people, never used as paths: what a name can do on screen
// (reverse the text direction, hide characters, be a path) is taken out here.

const MAX_NAME_CHARS = 120

// Control characters, bidi embeddings/overrides/isolates and marks, zero-width characters and
// every other invisible format character.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu

export function sanitizeFileName(raw: string, fallback = 'file'): string {
  const lastPart = raw.split(/[\\/]/).pop() ?? ''
  let name = lastPart.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim()
  // Names made only of dots ("..") are path tricks, not names.
  if (/^\.+$/.test(name)) name = ''
  const chars = [...name]
  if (chars.length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 ? [...name.slice(dot)] : []
    const keepExt = ext.length > 1 && ext.length <= 10
    const head = chars
      .slice(0, MAX_NAME_CHARS - (keepExt ? ext.length + 1 : 1))
      .join('')
      .trimEnd()
    name = `${head}…${keepExt ? ext.join('') : ''}`
  }
  return name || fallback
}

/**
 * The name a file is kept under: it ends with an extension of the type its bytes are, so a
 * text file named `receipt.js` or `statement.bat` opens as text on whatever machine it lands
 * (`receipt.js.txt`) instead of running; `photo.png` and `scan.jpeg` stay as they are.
 */
export function withTypeExtension(name: string, mime: EvidenceMime): string {
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  return USUAL_EXTENSIONS[mime].includes(ext) ? name : `${name}.${EVIDENCE_EXTENSIONS[mime]}`
}
