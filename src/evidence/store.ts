import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Content-addressed evidence files: each file is stored once under its SHA-256, written to a
 * temporary name, fsynced, then renamed into place, so a database row never points at a
 * half-written file. Rows are written after put() returns; orphans are swept, never the reverse.
 */
export interface EvidenceStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>
  has(sha256: string): boolean
  pathFor(sha256: string): string
  read(sha256: string): fs.ReadStream
  remove(sha256: string): Promise<void>
  /** Every stored hash, for the orphan sweep. */
  list(): AsyncGenerator<string>
  /** When the file was last written or re-put (epoch ms), or null when it is missing. */
  modifiedAt(sha256: string): Promise<number | null>
  /** Removes temporary files older than `before` that a crash left half-written. */
  removeStaleTemp(before: number): Promise<number>
}

const SHA256_HEX = /^[0-9a-f]{64}$/

export function localEvidenceStore(root: string): EvidenceStore {
  const pathFor = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a sha256 hex digest')
    return path.join(root, sha256.slice(0, 2), sha256)
  }
  return {
    pathFor,
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const target = pathFor(sha256)
      if (fs.existsSync(target)) {
        // A re-put counts as fresh, so the orphan sweep's grace period also covers an upload
        // of content that is already stored but whose row is not committed yet.
        const at = new Date()
        await fs.promises.utimes(target, at, at).catch(() => undefined)
        if (fs.existsSync(target)) return { sha256, size: bytes.byteLength }
      }
      await fs.promises.mkdir(path.dirname(target), { recursive: true })
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`
      const handle = await fs.promises.open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.promises.rename(temp, target)
      await fsyncDir(path.dirname(target))
      return { sha256, size: bytes.byteLength }
    },
    has: (sha256) => SHA256_HEX.test(sha256) && fs.existsSync(pathFor(sha256)),
    read: (sha256) => fs.createReadStream(pathFor(sha256)),
    async remove(sha256) {
      await fs.promises.rm(pathFor(sha256), { force: true })
    },
    async *list() {
      if (!fs.existsSync(root)) return
      for (const dir of await fs.promises.readdir(root)) {
        const sub = path.join(root, dir)
        if (!(await fs.promises.stat(sub)).isDirectory()) continue
        for (const name of await fs.promises.readdir(sub)) if (SHA256_HEX.test(name)) yield name
      }
    },
    async modifiedAt(sha256) {
      try {
        return (await fs.promises.stat(pathFor(sha256))).mtimeMs
      } catch {
        return null
      }
    },
    async removeStaleTemp(before) {
      if (!fs.existsSync(root)) return 0
      let removed = 0
      for (const dir of await fs.promises.readdir(root)) {
        const sub = path.join(root, dir)
        if (!(await fs.promises.stat(sub)).isDirectory()) continue
        for (const name of await fs.promises.readdir(sub)) {
          if (!name.endsWith('.tmp')) continue
          const file = path.join(sub, name)
          const stat = await fs.promises.stat(file).catch(() => null)
          if (stat && stat.mtimeMs < before) {
            await fs.promises.rm(file, { force: true })
            removed++
          }
        }
      }
      return removed
    },
  }
}

// The rename is durable only once the directory entry itself is on disk.
async function fsyncDir(dir: string) {
  const handle = await fs.promises.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
