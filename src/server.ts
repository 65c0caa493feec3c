import fs from 'node:fs'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.js'
import { TICKET_LISTENERS } from './listeners.js'
import { issueSetupTokenIfNeeded } from './auth/setup.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { openDatabase, type OpenedDatabase } from './db/connection.js'
import { migrateToLatest } from './db/migrate.js'
import { startBackgroundWork } from './background.js'
import { afterReplySettled } from './http/afterReply.js'
import { createLogger, type Logger } from './http/logger.js'
import { createViews } from './http/views.js'

const SHUTDOWN_GRACE_MS = 10_000

export interface RunningServer {
  url: string
  /** The one-time link that creates the first administrator; null once one exists. */
  setupUrl: string | null
  close(): Promise<void>
}

/**
 * Node's own deadlines, for what the app never sees. A connection that trickles its headers
 * holds a socket before any middleware runs: HTTP_HEADERS_TIMEOUT_S (20 s by default) is far
 * more than any real client needs to send a few hundred bytes of headers, and Node answers 408.
 * HTTP_REQUEST_TIMEOUT_S (15 minutes by default) bounds the whole request, body included, even for
 * a sender just above the minimum upload rate; it leaves room for the largest allowed upload
 * over a slow mobile link. Node checks both deadlines only every connectionsCheckingInterval
 * (30 s by default), which would let a deadline overrun by that much: checked every second.
 */
export function httpServerOptions(config: Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs'>) {
  return {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: 1000,
  }
}

/** Starts Ladder: config is already parsed; opens and migrates the database, then listens. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true })
  fs.mkdirSync(config.evidenceDir, { recursive: true })
  const database: OpenedDatabase = openDatabase(config.databaseFile)
  const applied = await migrateToLatest(database.db)
  if (applied.length) logger.info('migrations applied', { migrations: applied })

  const clock = () => Date.now()
  // The outbox sender and housekeeping (orphan evidence from a crash between write and commit,
  // expired sessions, idempotency keys and rate-limit windows).
  const background = startBackgroundWork({ db: database.db, config, logger, clock })
  const app = createApp({
    db: database.db,
    config,
    clock,
    logger,
    views: createViews(),
    listeners: TICKET_LISTENERS,
  })
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: httpServerOptions(config),
      },
      () => resolve(s),
    )
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  logger.info(`Ladder is listening on ${url}`, { url })

  const setupToken = await issueSetupTokenIfNeeded(database.db, clock())
  let setupUrl: string | null = null
  if (setupToken) {
    const base = process.env['BASE_URL'] ? config.baseUrl : url
    setupUrl = `${base}/setup?token=${setupToken}`
    logger.warn(`No administrator yet. Create one at ${setupUrl}`, { setupUrl })
  }

  let closing: Promise<void> | null = null
  return {
    url,
    setupUrl,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            // Requests still running after the grace period are cut off.
            ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
            resolve()
          }, SHUTDOWN_GRACE_MS)
          timer.unref()
          server.close(() => {
            clearTimeout(timer)
            resolve()
          })
          ;(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()
        })
        await afterReplySettled()
        await background.stop()
        await database.close()
      })()
      return closing
    },
  }
}

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ladder: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const logger = createLogger(config.logLevel)
  const running = await startServer(config, logger)
  // The JSON line above is for log collectors; a person starting Ladder for the first time reads
  // this one, and sees it whatever LOG_LEVEL says.
  if (running.setupUrl) {
    const invitation = 'ladder: no administrator yet. Open this link to create the first one'
    process.stderr.write(`${invitation} (valid 24 hours, single use): ${running.setupUrl}\n`)
  }
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    running.close().then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (err: unknown) => {
        logger.error('shutdown failed', { error: String(err) })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

const isEntryPoint =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntryPoint) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `ladder: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    )
    process.exit(1)
  })
}
