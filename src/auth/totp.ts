import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

// RFC 6238 with the parameters every authenticator app understands: SHA-1, 6 digits, 30 s.
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
// A code of the step before or after is taken too, for phones whose clocks are a little off.
const WINDOW = 1
const ISSUER = 'Ladder'

/** A new 160-bit secret (Web Crypto's generator) in base32, as RFC 4226 recommends and apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totp(secret: string, label = '') {
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  })
}

export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS)
}

/** The code of `secret` at `now` (for tests and tools that act as the user's app). */
export function totpCode(secret: string, now: number): string {
  return totp(secret).generate({ timestamp: now })
}

/** A code as people type it: spaces and dashes between the digits are fine. */
export function looksLikeTotpCode(input: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(input.replace(/[\s-]/g, ''))
}

/**
 * The time step whose code `input` is, within one step of `now`, or null. The caller refuses a
 * step at or before the last one it accepted (RFC 6238 §5.2: a code is good once).
 */
export function matchingStep(secret: string, input: string, now: number): number | null {
  const token = input.replace(/[\s-]/g, '')
  if (!looksLikeTotpCode(token)) return null
  const delta = totp(secret).validate({ token, timestamp: now, window: WINDOW })
  return delta === null ? null : totpStep(now) + delta
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString()
}

/** The QR code of the URI as an SVG document, drawn here: the secret never leaves the server. */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim()
}
