import type { Config } from './config.js'
import type { DB } from './db/connection.js'
import { localEvidenceStore } from './evidence/store.js'
import { sweepOrphanEvidence } from './evidence/sweep.js'
import type { Logger } from './http/logger.js'
import { pruneRateLimits } from './http/rateLimit.js'
import { pruneAccessLinks } from './mail/accessLinks.js'
import { digestHourReached, pruneDigestRuns, sendDailyDigests } from './mail/digest.js'
import { createSender } from './mail/sender.js'
import { createTransport } from './mail/transport.js'

const HOUR = 3_600_000
// The longest rate-limit window any caller uses; older windows can go.
const LONGEST_RATE_WINDOW_MS = HOUR

/** Housekeeping that keeps tables small; each step is safe to run at any time, in any process. */
export async function housekeeping(db: DB, config: Config, logger: Logger, now: number): Promise<void> {
  const sweep = await sweepOrphanEvidence(db, localEvidenceStore(config.evidenceDir), { now })
  if (sweep.removed.length || sweep.tempRemoved) {
    logger.info('orphan evidence removed', { files: sweep.removed.length, temp: sweep.tempRemoved })
  }
  const limits = await pruneRateLimits(db, now, LONGEST_RATE_WINDOW_MS)
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  const keys = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).executeTakeFirst()
  await pruneAccessLinks(db, now)
  await pruneDigestRuns(db, now)
  // Hourly chores reach the digest hour within the hour; each agent gets one digest a day.
  if (digestHourReached(now)) {
    const digests = await sendDailyDigests(db, now, { baseUrl: config.baseUrl })
    if (digests.queued) logger.info('daily digests queued', { ...digests })
  }
  logger.debug('housekeeping', {
    rateLimits: limits,
    sessions: Number(sessions.numDeletedRows),
    idempotencyKeys: Number(keys.numDeletedRows),
  })
}

/** The server process's background work: the outbox sender and hourly housekeeping. */
export function startBackgroundWork(deps: { db: DB; config: Config; logger: Logger; clock: () => number }) {
  const { db, config, logger, clock } = deps
  const sender = createSender({
    db,
    logger,
    clock,
    transport: createTransport({ smtpUrl: config.smtpUrl, mailDir: config.mailDir, from: config.mailFrom }),
  })
  sender.start()
  let chores: Promise<void> | null = null
  const runChores = () => {
    chores ??= housekeeping(db, config, logger, clock())
      .catch((err: unknown) => logger.warn('housekeeping failed', { error: String(err) }))
      .finally(() => {
        chores = null
      })
  }
  runChores()
  const timer = setInterval(runChores, HOUR)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all([sender.stop(), chores])
    },
  }
}
