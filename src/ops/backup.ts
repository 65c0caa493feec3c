import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import type { Config } from '../config.js'

// A backup is a directory: ladder.db (a consistent copy taken with SQLite's online backup API),
// evidence/xx/<sha256> (every file the copy's rows point at, checked against its name) and
// manifest.json (what was copied, to check a restore against). A directory rather than an
// archive: nothing to install, every file can be checked by hand with sha256sum, and rsync or
// tar can move it elsewhere.

export const MANIFEST = 'manifest.json'
const TWO_FACTOR_KEY = 'two-factor.key'
const FORMAT = 'ladder-backup/1'
/** Tables whose row counts the manifest records and a restore checks. */
const COUNTED = [
  'tickets',
  'events',
  'evidence',
  'ladder_stages',
  'users',
  'outbox',
  'contact_attempts',
] as const

export interface Manifest {
  format: typeof FORMAT
  createdAt: string
  database: { file: 'ladder.db'; sha256: string; bytes: number }
  counts: Record<(typeof COUNTED)[number], number>
  evidence: { files: number; bytes: number }
  /**
   * The key file that encrypts two-factor secrets (src/auth/secretBox.ts), when the office uses one
   * rather than LADDER_2FA_KEY: without it, every enrolled phone would have to enrol again.
   */
  twoFactorKey?: { file: string; sha256: string }
}

export class OpsError extends Error {
  override name = 'OpsError'
}

/**
 * Copies the live database and its evidence into `dest` (a new or empty directory) while the
 * server keeps running. The database is copied first, in one step, so the copy is one moment's
 * state (a reader in WAL mode does not stop writers); evidence files are written before the
 * rows that point at them and never change, so every file the copy needs is already there.
 */
export async function backup(config: Config, dest: string): Promise<Manifest> {
  if (!fs.existsSync(config.databaseFile))
    throw new OpsError(`no database at ${config.databaseFile}`)
  ensureEmptyDir(dest, 'backup target')
  const dbCopy = path.join(dest, 'ladder.db')
  const source = new SQLite(config.databaseFile, { readonly: true, fileMustExist: true })
  try {
    source.pragma('busy_timeout = 5000')
    // All pages in one step: a step that is interrupted by a write would start over.
    await source.backup(dbCopy, { progress: () => 1 << 30 })
  } finally {
    source.close()
  }

  const copy = new SQLite(dbCopy)
  let manifest: Manifest
  try {
    // A standalone file, not a WAL pair: the backup is one self-contained database.
    copy.pragma('journal_mode = DELETE')
    const integrity = copy.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok')
      throw new OpsError(`the copied database fails its integrity check: ${String(integrity)}`)
    const counts = countRows(copy)
    const hashes = copy.prepare('select distinct sha256 from evidence').pluck().all() as string[]
    let bytes = 0
    for (const sha256 of hashes) {
      bytes += copyEvidence(
        path.join(config.evidenceDir, ...shardOf(sha256)),
        path.join(dest, 'evidence', ...shardOf(sha256)),
        sha256,
      )
    }
    copy.close()
    fsyncFile(dbCopy)
    manifest = {
      format: FORMAT,
      createdAt: new Date().toISOString(),
      database: { file: 'ladder.db', sha256: hashFile(dbCopy), bytes: fs.statSync(dbCopy).size },
      counts,
      evidence: { files: hashes.length, bytes },
    }
    if (fs.existsSync(config.twoFactorKeyFile)) {
      const keyCopy = path.join(dest, TWO_FACTOR_KEY)
      fs.copyFileSync(config.twoFactorKeyFile, keyCopy, fs.constants.COPYFILE_EXCL)
      fsyncFile(keyCopy)
      manifest.twoFactorKey = { file: TWO_FACTOR_KEY, sha256: hashFile(keyCopy) }
    }
  } finally {
    if (copy.open) copy.close()
  }
  writeDurably(path.join(dest, MANIFEST), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}

/**
 * Restores a backup into an empty DATA_DIR (refusing one that holds anything), checking every
 * file against the manifest. The database lands under its real name last, so an interrupted
 * restore never looks like a working data directory.
 */
export async function restore(config: Config, from: string): Promise<Manifest> {
  const manifestFile = path.join(from, MANIFEST)
  if (!fs.existsSync(manifestFile))
    throw new OpsError(`${from} is not a Ladder backup (no ${MANIFEST})`)
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest
  if (manifest.format !== FORMAT)
    throw new OpsError(`unknown backup format ${String(manifest.format)}`)
  ensureEmptyDir(config.dataDir, 'DATA_DIR')
  if (fs.existsSync(config.databaseFile))
    throw new OpsError(`${config.databaseFile} exists already; restore needs an empty place`)

  const dbSource = path.join(from, 'ladder.db')
  if (hashFile(dbSource) !== manifest.database.sha256)
    throw new OpsError('ladder.db in the backup does not match its manifest')
  const check = new SQLite(dbSource, { readonly: true, fileMustExist: true })
  let hashes: string[]
  try {
    const counts = countRows(check)
    for (const table of COUNTED) {
      if (counts[table] !== manifest.counts[table])
        throw new OpsError(`the backup's ${table} count differs from its manifest`)
    }
    hashes = check.prepare('select distinct sha256 from evidence').pluck().all() as string[]
  } finally {
    check.close()
  }

  for (const sha256 of hashes) {
    copyEvidence(
      path.join(from, 'evidence', ...shardOf(sha256)),
      path.join(config.evidenceDir, ...shardOf(sha256)),
      sha256,
    )
  }
  fs.mkdirSync(path.dirname(config.databaseFile), { recursive: true })
  if (manifest.twoFactorKey) {
    const keySource = path.join(from, TWO_FACTOR_KEY)
    if (!fs.existsSync(keySource) || hashFile(keySource) !== manifest.twoFactorKey.sha256) {
      throw new OpsError(`${TWO_FACTOR_KEY} in the backup does not match its manifest`)
    }
    fs.mkdirSync(path.dirname(config.twoFactorKeyFile), { recursive: true })
    fs.copyFileSync(keySource, config.twoFactorKeyFile, fs.constants.COPYFILE_EXCL)
    fs.chmodSync(config.twoFactorKeyFile, 0o600)
    fsyncFile(config.twoFactorKeyFile)
  }
  const partial = `${config.databaseFile}.restoring`
  fs.copyFileSync(dbSource, partial, fs.constants.COPYFILE_EXCL)
  fsyncFile(partial)
  fs.renameSync(partial, config.databaseFile)
  fsyncDir(path.dirname(config.databaseFile))
  return manifest
}

function countRows(db: SQLite.Database): Manifest['counts'] {
  const counts = {} as Manifest['counts']
  for (const table of COUNTED)
    counts[table] = db.prepare(`select count(*) from ${table}`).pluck().get() as number
  return counts
}

function shardOf(sha256: string): [string, string] {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new OpsError(`not an evidence hash: ${sha256}`)
  return [sha256.slice(0, 2), sha256]
}

/** Copies one content-addressed file, refusing it unless its bytes hash to its name. */
function copyEvidence(from: string, to: string, sha256: string): number {
  if (!fs.existsSync(from))
    throw new OpsError(
      `evidence file ${sha256} is missing from ${path.dirname(path.dirname(from))}`,
    )
  const bytes = fs.readFileSync(from)
  if (createHash('sha256').update(bytes).digest('hex') !== sha256)
    throw new OpsError(`evidence file ${sha256} is damaged`)
  fs.mkdirSync(path.dirname(to), { recursive: true })
  if (!fs.existsSync(to)) {
    const fd = fs.openSync(to, 'wx', 0o600)
    try {
      fs.writeFileSync(fd, bytes)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  }
  return bytes.length
}

function ensureEmptyDir(dir: string, what: string) {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new OpsError(`${what} ${dir} is not a directory`)
    if (fs.readdirSync(dir).length) throw new OpsError(`${what} ${dir} is not empty`)
  }
  fs.mkdirSync(dir, { recursive: true })
}

function hashFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

function fsyncFile(file: string) {
  const fd = fs.openSync(file, 'r+')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function fsyncDir(dir: string) {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function writeDurably(file: string, text: string) {
  fs.writeFileSync(file, text)
  fsyncFile(file)
}
