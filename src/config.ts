import path from 'node:path'
import { z } from 'zod'
import type { TwoFactorPolicy } from './domain/twoFactorPolicy.js'

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535')

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || isUrlWithProtocol(v, protocols), {
      message: `must be a URL like ${example}`,
    })

function isUrlWithProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol)
  } catch {
    return false
  }
}

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: optionalUrl(
    ['file:', 'sqlite:', 'postgres:', 'postgresql:'],
    'file:./data/ladder.db',
  )
    .or(z.string().regex(/^[^:]+\.(db|sqlite3?)$/, 'must be a URL or a .db file path'))
    .optional(),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'smtp://user:pass@host:587'),
  BASE_URL: optionalUrl(['http:', 'https:'], 'https://ladder.example.org'),
  EVIDENCE_MAX_FILE_MB: z.coerce.number().positive('must be above 0').max(100).default(10),
  EVIDENCE_MAX_FILES: z.coerce.number().int().min(1).max(50).default(10),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  MAIL_FROM: z.string().trim().min(3).max(200).default('Ladder <noreply@localhost>'),
  UPLOADS_PER_ADDRESS: z.coerce.number().int('must be a whole number').min(1).max(100).default(3),
  UPLOAD_MIN_RATE_BYTES_PER_S: z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(10_000_000)
    .default(4096),
  UPLOAD_MIN_RATE_WINDOW_S: z.coerce.number().positive('must be above 0').max(600).default(10),
  HTTP_HEADERS_TIMEOUT_S: z.coerce.number().positive('must be above 0').max(600).default(20),
  HTTP_REQUEST_TIMEOUT_S: z.coerce.number().positive('must be above 0').max(86_400).default(900),
  LADDER_REQUIRE_2FA: z
    .enum(['roles', 'all'], { message: 'must be roles or all' })
    .default('roles'),
  LADDER_2FA_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
})

export interface Config {
  port: number
  host: string
  dataDir: string
  /** Where the SQLite file lives; `:memory:` only in tests. */
  databaseFile: string
  smtpUrl: string | undefined
  baseUrl: string
  evidenceDir: string
  mailDir: string
  evidenceMaxFileBytes: number
  evidenceMaxFiles: number
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Believe X-Forwarded-For: only behind a reverse proxy that sets it. */
  trustProxy: boolean
  mailFrom: string
  /**
   * An upload must bring at least this many bytes per second in each window of
   * uploadRateWindowMs spent waiting for it; a slower one is cut off with a 408.
   */
  uploadMinBytesPerSecond: number
  uploadRateWindowMs: number
  /** Uploads one client address may have under way at once (waiting or arriving); more are a 429. */
  uploadsPerAddress: number
  /** Node's headersTimeout: all request headers must have arrived by then. */
  headersTimeoutMs: number
  /** Node's requestTimeout: the whole request, body included, must have arrived by then. */
  requestTimeoutMs: number
  /**
   * Who must sign in with a second factor: `roles` managers, admins and whoever may reveal
   * masked numbers or open ID documents (src/domain/twoFactorPolicy.ts), `all` every staff account.
   */
  require2fa: TwoFactorPolicy
  /** The key that encrypts TOTP secrets: LADDER_2FA_KEY, or else a key file made in DATA_DIR. */
  twoFactorKey: string | undefined
  twoFactorKeyFile: string
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid environment variable ${variable}: ${detail}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const blankToUndefined = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  )
  const parsed = envSchema.safeParse(blankToUndefined)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const variable = String(issue.path[0] ?? 'environment')
    const given = env[variable]
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(given)})`)
  }
  const e = parsed.data
  const dataDir = path.resolve(e.DATA_DIR)
  // Node refuses to start with a header deadline beyond the deadline of the whole request.
  if (e.HTTP_REQUEST_TIMEOUT_S < e.HTTP_HEADERS_TIMEOUT_S) {
    throw new ConfigError(
      'HTTP_REQUEST_TIMEOUT_S',
      `must be at least HTTP_HEADERS_TIMEOUT_S (got ${JSON.stringify(env['HTTP_REQUEST_TIMEOUT_S'])})`,
    )
  }
  if (e.DATABASE_URL?.startsWith('postgres')) {
    throw new ConfigError('DATABASE_URL', 'PostgreSQL is not supported yet; use a SQLite file')
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: e.DATABASE_URL
      ? sqliteFileFromUrl(e.DATABASE_URL)
      : path.join(dataDir, 'ladder.db'),
    smtpUrl: e.SMTP_URL,
    baseUrl: (e.BASE_URL ?? `http://${hostForUrl(e.HOST)}:${e.PORT}`).replace(/\/+$/, ''),
    evidenceDir: path.join(dataDir, 'evidence'),
    mailDir: path.join(dataDir, 'mail'),
    evidenceMaxFileBytes: Math.round(e.EVIDENCE_MAX_FILE_MB * 1024 * 1024),
    evidenceMaxFiles: e.EVIDENCE_MAX_FILES,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    mailFrom: e.MAIL_FROM,
    uploadMinBytesPerSecond: e.UPLOAD_MIN_RATE_BYTES_PER_S,
    uploadRateWindowMs: Math.round(e.UPLOAD_MIN_RATE_WINDOW_S * 1000),
    uploadsPerAddress: e.UPLOADS_PER_ADDRESS,
    headersTimeoutMs: Math.round(e.HTTP_HEADERS_TIMEOUT_S * 1000),
    requestTimeoutMs: Math.round(e.HTTP_REQUEST_TIMEOUT_S * 1000),
    require2fa: e.LADDER_REQUIRE_2FA,
    twoFactorKey: e.LADDER_2FA_KEY,
    twoFactorKeyFile: path.join(dataDir, 'two-factor.key'),
  }
}

function sqliteFileFromUrl(url: string): string {
  const withoutScheme = url.replace(/^(file|sqlite):(\/\/)?/, '')
  return withoutScheme === ':memory:' ? withoutScheme : path.resolve(withoutScheme)
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}
