// A file shown on the page rather than saved: images in the page's viewer, PDFs in a sandboxed
// frame, text and CSV as escaped text. Only this response is `inline`; the download stays an
// attachment (serve.ts). Whoever calls it has already scoped the row to what the requester may
// see, and recorded the opening of an ID document.
import fs from 'node:fs'
import { Readable } from 'node:stream'
import type { Evidence } from '../db/schema.js'
import { inlineDisposition } from '../http/contentDisposition.js'
import { notFound } from '../http/errors.js'
import type { Locale } from '../i18n/locale.js'
import type { Translate } from '../i18n/translate.js'
import { downloadName } from './serve.js'
import { IMAGE_MIMES, type EvidenceMime } from './sniff.js'
import type { EvidenceStore } from './store.js'

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )

export type PreviewKind = 'image' | 'pdf' | 'text'

/** How much of a text file is shown; the download has the rest. */
export const PREVIEW_TEXT_BYTES = 64 * 1024

/** The types with a preview; any other (a legacy row) is only downloaded. */
export function previewKind(mime: string): PreviewKind | null {
  if ((IMAGE_MIMES as readonly string[]).includes(mime)) return 'image'
  if (mime === 'application/pdf') return 'pdf'
  if (mime === 'text/plain' || mime === 'text/csv') return 'text'
  return null
}

// The file runs no script and loads nothing (sandbox, default-src 'none'), cannot be re-typed
// (nosniff), and may be framed by our own pages only: the ticket page's viewer.
export const PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'"

function previewHeaders(row: Evidence, type: string, length: number): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Length': String(length),
    'Content-Disposition': inlineDisposition(...downloadName(row)),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': PREVIEW_CSP,
    'X-Frame-Options': 'SAMEORIGIN',
    'Cache-Control': 'private, no-store',
  }
}

/** The first PREVIEW_TEXT_BYTES of a stored file, and whether there was more. */
async function head(
  store: EvidenceStore,
  sha256: string,
): Promise<{ bytes: Uint8Array; more: boolean }> {
  const handle = await fs.promises.open(store.pathFor(sha256), 'r')
  try {
    const buf = Buffer.alloc(PREVIEW_TEXT_BYTES + 1)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    return {
      bytes: buf.subarray(0, Math.min(bytesRead, PREVIEW_TEXT_BYTES)),
      more: bytesRead > PREVIEW_TEXT_BYTES,
    }
  } finally {
    await handle.close()
  }
}

/** Text as a small page of our own: escaped in a <pre>, cut at a whole character. */
export async function textPreviewHtml(
  store: EvidenceStore,
  row: Evidence,
  t: Translate,
  locale: Locale,
): Promise<string> {
  const { bytes, more } = await head(store, row.sha256)
  // stream: true leaves out a character cut in half at the end of the first bytes.
  const text = new TextDecoder('utf-8').decode(bytes, { stream: more })
  const note = more
    ? `<p>${escapeHtml(t('preview.textCut', { kb: PREVIEW_TEXT_BYTES / 1024 }))}</p>\n`
    : ''
  return `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(row.original_name)}</title></head><body>\n${note}<pre>${escapeHtml(text)}</pre>\n</body></html>\n`
}

export async function previewResponse(
  store: EvidenceStore,
  row: Evidence,
  t: Translate,
  locale: Locale,
): Promise<Response> {
  const kind = previewKind(row.mime)
  if (!kind || !store.has(row.sha256)) throw notFound()
  if (kind === 'text') {
    const html = Buffer.from(await textPreviewHtml(store, row, t, locale))
    return new Response(html, {
      status: 200,
      headers: previewHeaders(row, 'text/html; charset=utf-8', html.byteLength),
    })
  }
  const body = Readable.toWeb(store.read(row.sha256)) as unknown as ReadableStream<Uint8Array>
  return new Response(body, {
    status: 200,
    headers: previewHeaders(row, row.mime as EvidenceMime, row.size),
  })
}
