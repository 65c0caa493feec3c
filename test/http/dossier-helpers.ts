import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

export interface Unzipped {
  /** Entry names in the order the ZIP holds them. */
  names: string[]
  files: Map<string, Buffer>
}

function open(source: Buffer | string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zip?: yauzl.ZipFile) =>
      err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)
    if (typeof source === 'string')
      yauzl.open(source, { lazyEntries: true, validateEntrySizes: true }, cb)
    else yauzl.fromBuffer(source, { lazyEntries: true, validateEntrySizes: true }, cb)
  })
}

/**
 * Reads every entry with yauzl (CRC and sizes checked). `keep` decides which entries are kept
 * in memory; the others are only hashed, so large archives can be checked from a file.
 */
export async function unzip(
  source: Buffer | string,
  keep: (name: string) => boolean = () => true,
): Promise<Unzipped & { hashes: Map<string, string> }> {
  const zip = await open(source)
  const names: string[] = []
  const files = new Map<string, Buffer>()
  const hashes = new Map<string, string>()
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject)
    zip.on('end', () => resolve())
    zip.on('entry', (entry: yauzl.Entry) => {
      names.push(entry.fileName)
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('no stream'))
        const hash = createHash('sha256')
        const chunks: Buffer[] = []
        ;(stream as Readable).on('data', (c: Buffer) => {
          hash.update(c)
          if (keep(entry.fileName)) chunks.push(c)
        })
        stream.on('error', reject)
        stream.on('end', () => {
          hashes.set(entry.fileName, hash.digest('hex'))
          if (keep(entry.fileName)) files.set(entry.fileName, Buffer.concat(chunks))
          zip.readEntry()
        })
      })
    })
    zip.readEntry()
  })
  return { names, files, hashes }
}
