import { Readable } from 'node:stream'
import type { Evidence } from '../db/schema.js'
import { notFound } from '../http/errors.js'
import { EVIDENCE_EXTENSIONS, type EvidenceMime } from './sniff.js'
import type { EvidenceStore } from './store.js'

// Served evidence is a download, never a page of ours: a file that slipped through the type
// check still cannot run script in our origin (sandbox), be re-typed by the browser (nosniff)
// or be displayed inline (attachment).
const FILE_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"

/** RFC 5987 value: percent-encode everything outside attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function contentDisposition(row: Pick<Evidence, 'id' | 'mime' | 'original_name'>): string {
  const ext = EVIDENCE_EXTENSIONS[row.mime as EvidenceMime] ?? 'bin'
  return `attachment; filename="evidence-${row.id}.${ext}"; filename*=UTF-8''${rfc5987(row.original_name)}`
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
