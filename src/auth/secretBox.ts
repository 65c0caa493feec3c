import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'

// TOTP secrets must be readable by the server (it computes the codes), so they cannot be hashed
// like passwords. They are sealed with AES-256-GCM under a key kept outside the database: a dump
// of the database alone opens no second factor. The user's id is bound in as associated data, so
// a sealed secret copied onto another user's row does not open either.

const VERSION = 'v1'
const keys = new Map<string, Buffer>()

/** The key from LADDER_2FA_KEY, or else from DATA_DIR/two-factor.key, made on first use. */
export function twoFactorKey(config: Pick<Config, 'twoFactorKey' | 'twoFactorKeyFile'>): Buffer {
  if (config.twoFactorKey) return Buffer.from(config.twoFactorKey, 'base64')
  const cached = keys.get(config.twoFactorKeyFile)
  if (cached) return cached
  const key = readOrCreateKeyFile(config.twoFactorKeyFile)
  keys.set(config.twoFactorKeyFile, key)
  return key
}

function readOrCreateKeyFile(file: string): Buffer {
  try {
    return parseKeyFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const partial = `${file}.${process.pid}.new`
  fs.writeFileSync(partial, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
  try {
    // A link fails when another process made the file first: then both use that one.
    fs.linkSync(partial, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    fs.rmSync(partial, { force: true })
  }
  return parseKeyFile(file)
}

function parseKeyFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key in base64`)
  return key
}

export function seal(key: Buffer, userId: number, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(`user:${userId}`))
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join(':')
}

/** The secret, or null when it was sealed under another key or for another user, or is damaged. */
export function open(key: Buffer, userId: number, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(':')
  if (version !== VERSION || !iv || !tag || body === undefined) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(`user:${userId}`))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    return null
  }
}
