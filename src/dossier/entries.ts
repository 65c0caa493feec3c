// The evidence files of a dossier: where each goes in the ZIP, under a name that is safe on any
// receiving system and unique by its index.
import type { Evidence } from '../db/schema.js'
import { redact } from '../domain/redaction.js'
import { sanitizeFileName, withTypeExtension } from '../evidence/names.js'
import { EVIDENCE_EXTENSIONS, type EvidenceMime } from '../evidence/sniff.js'

export interface EvidenceEntry {
  row: Evidence
  /** `evidence/NN-name.ext` */
  path: string
  /** The name as the uploader gave it (masked unless the dossier is unmasked). */
  shownName: string
  /** False when the stored file is gone: listed in the index, left out of the ZIP. */
  present: boolean
}

// Characters Windows refuses in file names, and the ZIP path separator.
const UNSAFE = /[<>:"/\\|?*]/g

export function zipFileName(index: number, width: number, original: string, mime: string): string {
  let name = sanitizeFileName(original).replace(UNSAFE, '_').replace(/^\.+/, '_')
  // Names are tied to their type when a file is accepted; older rows may still say `receipt.js`.
  if (EVIDENCE_EXTENSIONS[mime as EvidenceMime])
    name = withTypeExtension(name, mime as EvidenceMime)
  return `${String(index).padStart(width, '0')}-${name}`
}

export function evidenceEntries(
  rows: readonly Evidence[],
  masked: boolean,
  has: (sha256: string) => boolean,
): EvidenceEntry[] {
  const width = Math.max(2, String(rows.length).length)
  return rows.map((row, i) => {
    const shownName = masked ? redact(row.original_name) : row.original_name
    return {
      row,
      path: `evidence/${zipFileName(i + 1, width, shownName, row.mime)}`,
      shownName,
      present: has(row.sha256),
    }
  })
}
