import { Readable } from 'node:stream'
import type { Evidence } from '../db/schema.js'
import { attachmentDisposition } from '../http/contentDisposition.js'
import { notFound } from '../http/errors.js'
import { withTypeExtension } from './names.js'
import { EVIDENCE_EXTENSIONS, type EvidenceMime } from './sniff.js'
import type { EvidenceStore } from './store.js'

// Served evidence is a download, never a page of ours: a file that slipped through the type
// check still cannot run script in our origin (sandbox), be re-typed by the browser (nosniff)
// or be displayed inline (attachment).
const FILE_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"

/**
 * The name a download is saved under. Files accepted before names were tied to their type may
 * still carry `receipt.js`: the type's extension is added here too (it changes nothing for the
 * others).
 */
export function contentDisposition(row: Pick<Evidence, 'id' | 'mime' | 'original_name'>): string {
  return attachmentDisposition(...downloadName(row))
}

/** The name a file is saved under, and its plain-ASCII stand-in (contentDisposition). */
export function downloadName(
  row: Pick<Evidence, 'id' | 'mime' | 'original_name'>,
): [name: string, asciiFallback: string] {
  const mime = row.mime as EvidenceMime
  const ext = EVIDENCE_EXTENSIONS[mime] ?? 'bin'
  const name = EVIDENCE_EXTENSIONS[mime]
    ? withTypeExtension(row.original_name, mime)
    : `${row.original_name}.bin`
  return [name, `evidence-${row.id}.${ext}`]
}

/**
 * The file of an evidence row the caller has already scoped to what the requester may see
 * (the tracking token's ticket, or a signed-in agent's); a missing file is a 404 too.
 */
export function evidenceResponse(store: EvidenceStore, row: Evidence): Response {
  if (!store.has(row.sha256)) throw notFound()
  const type = row.mime.startsWith('text/') ? `${row.mime}; charset=utf-8` : row.mime
  const body = Readable.toWeb(store.read(row.sha256)) as unknown as ReadableStream<Uint8Array>
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': type,
      'Content-Length': String(row.size),
      'Content-Disposition': contentDisposition(row),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': FILE_CSP,
      'Cache-Control': 'private, no-store',
    },
  })
}
