import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** Secrets are stored only as their SHA-256, so a copy of the database opens nothing. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
