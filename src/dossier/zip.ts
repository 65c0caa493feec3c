// The dossier as a streamed ZIP: summary.html, every evidence file, manifest.json. Evidence is
// read from disk one file at a time as the client takes the bytes (yazl pipes each entry in
// turn; the web stream pulls only when asked), so memory stays flat whatever the case's size.
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import yazl from 'yazl'
import type { EvidenceStore } from '../evidence/store.js'
import type { EvidenceEntry } from './entries.js'

export interface ManifestFile {
  path: string
  sha256: string
  size: number
}

export interface Manifest {
  caseNumber: string
  generatedAt: string
  masked: boolean
  algorithm: 'SHA-256'
  files: ManifestFile[]
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/**
 * The manifest lists every other file of the ZIP. Evidence hashes come from the database (the
 * hash each file was stored under), so a receiver checks the files against what was filed.
 */
export function buildManifest(m: {
  caseNumber: string
  generatedAt: number
  masked: boolean
  summary: Buffer
  entries: EvidenceEntry[]
}): Manifest {
  return {
    caseNumber: m.caseNumber,
    generatedAt: new Date(m.generatedAt).toISOString(),
    masked: m.masked,
    algorithm: 'SHA-256',
    files: [
      { path: 'summary.html', sha256: sha256Hex(m.summary), size: m.summary.byteLength },
      ...m.entries
        .filter((e) => e.present)
        .map((e) => ({ path: e.path, sha256: e.row.sha256, size: e.row.size })),
    ],
  }
}

export function dossierZipStream(parts: {
  summary: Buffer
  manifest: Buffer
  entries: EvidenceEntry[]
  store: EvidenceStore
  mtime: Date
}): ReadableStream<Uint8Array> {
  const zip = new yazl.ZipFile()
  // A failed entry (a file gone from disk mid-download, a size that does not match) is an
  // 'error' on the ZipFile; unheard, it is an uncaught exception that takes the server down.
  // It ends this download instead.
  zip.on('error', (err: Error) => (zip.outputStream as Readable).destroy(err))
  const open = new Set<Readable>()
  zip.addBuffer(parts.summary, 'summary.html', { mtime: parts.mtime, compress: true })
  for (const e of parts.entries) {
    if (!e.present) continue
    // Evidence is mostly images and PDFs, compressed already: stored as is, no CPU spent.
    zip.addReadStreamLazy(
      e.path,
      { mtime: new Date(e.row.created_at), compress: false, size: e.row.size },
      (cb) => {
        const stream = parts.store.read(e.row.sha256)
        // yazl listens for errors only on streams it opens itself; this one's go to the ZipFile.
        stream.once('error', (err) => zip.emit('error', err))
        open.add(stream)
        stream.once('close', () => open.delete(stream))
        cb(null, stream)
      },
    )
  }
  zip.addBuffer(parts.manifest, 'manifest.json', { mtime: parts.mtime, compress: true })
  zip.end()
  return pullStream(zip.outputStream as Readable, () => {
    for (const s of open) s.destroy()
  })
}

/** A web stream that reads the next chunk only when its consumer asks for one. */
function pullStream(source: Readable, onCancel: () => void): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next()
          if (next.done) controller.close()
          else
            controller.enqueue(
              new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength),
            )
        } catch (err) {
          onCancel()
          controller.error(err)
        }
      },
      async cancel() {
        onCancel()
        source.destroy()
        await chunks.return?.()
      },
    },
    { highWaterMark: 0 },
  )
}
