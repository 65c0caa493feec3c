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
  /** Starts receiving a file under a temporary name, hashing it as it is written. */
  stage(): Promise<StagingFile>
  /** Moves a finished staged file into place under its hash; nothing points at it before. */
  commit(staged: StagedFile): Promise<{ sha256: string; size: number }>
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

/** A file being received: written and hashed piece by piece, never held whole in memory. */
export interface StagingFile {
  write(bytes: Uint8Array): Promise<void>
  /** Written and fsynced; ready for commit(). */
  finish(): Promise<StagedFile>
  /** Drops the file (a refused or abandoned upload). Safe to call more than once. */
  discard(): Promise<void>
}

export interface StagedFile {
  tempPath: string
  sha256: string
  size: number
}

/** Where uploads are received before they are checked; the startup sweep removes leftovers. */
const INCOMING_DIR = 'incoming'

const SHA256_HEX = /^[0-9a-f]{64}$/

export function localEvidenceStore(root: string): EvidenceStore {
  const pathFor = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a sha256 hex digest')
    return path.join(root, sha256.slice(0, 2), sha256)
  }
  // Staged files commit() moved into place (or removed as already stored): discarding them later,
  // as every upload's clean-up does, has nothing left to remove on disk.
  const settled = new WeakSet<StagedFile>()
  const stage = async (): Promise<StagingFile> => {
    const dir = path.join(root, INCOMING_DIR)
    const tempPath = path.join(dir, `${randomBytes(9).toString('hex')}.tmp`)
    // The directory is made on first need only: one system call less per upload.
    const handle = await fs.promises
      .open(tempPath, 'wx', 0o600)
      .catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err
        await fs.promises.mkdir(dir, { recursive: true })
        return fs.promises.open(tempPath, 'wx', 0o600)
      })
    const hash = createHash('sha256')
    let size = 0
    let open = true
    let finished: StagedFile | null = null
    const close = async () => {
      if (!open) return
      open = false
      await handle.close()
    }
    return {
      async write(bytes) {
        hash.update(bytes)
        size += bytes.byteLength
        await handle.write(bytes)
      },
      async finish() {
        await handle.sync()
        await close()
        finished = { tempPath, sha256: hash.digest('hex'), size }
        return finished
      },
      async discard() {
        await close().catch(() => undefined)
        if (finished && settled.has(finished)) return
        await fs.promises.rm(tempPath, { force: true })
      },
    }
  }
  const commit = async (staged: StagedFile) => {
    const { tempPath, sha256, size } = staged
    const target = pathFor(sha256)
    if (fs.existsSync(target)) {
      // A re-put counts as fresh, so the orphan sweep's grace period also covers an upload
      // of content that is already stored but whose row is not committed yet.
      const at = new Date()
      await fs.promises.utimes(target, at, at).catch(() => undefined)
      if (fs.existsSync(target)) {
        await fs.promises.rm(tempPath, { force: true })
        settled.add(staged)
        return { sha256, size }
      }
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true })
    await fs.promises.rename(tempPath, target)
    settled.add(staged)
    await fsyncDir(path.dirname(target))
    return { sha256, size }
  }
  return {
    pathFor,
    async put(bytes) {
      const staging = await stage()
      try {
        await staging.write(bytes)
        return await commit(await staging.finish())
      } finally {
        await staging.discard()
      }
    },
    stage,
    commit,
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
