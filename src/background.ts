import { pruneResetTokens } from './auth/passwordReset.js'
import { pruneLoginDevices } from './auth/devices.js'
import type { Config } from './config.js'
import type { DB } from './db/connection.js'
import { localEvidenceStore } from './evidence/store.js'
import { sweepOrphanEvidence } from './evidence/sweep.js'
import { sweepPresence } from './tickets/presence.js'
import type { Logger } from './http/logger.js'
import { pruneRateLimits } from './http/rateLimit.js'
import { pruneAccessLinks } from './mail/accessLinks.js'
import { digestHourReached, pruneDigestRuns, sendDailyDigests } from './mail/digest.js'
import { createSender } from './mail/sender.js'
import { createTransport } from './mail/transport.js'
import { catchUpWorkingDays } from './reports/workdays.js'
import { loadDeadlineContext } from './deadlines/context.js'

const HOUR = 3_600_000
// The longest rate-limit window any caller uses; older windows can go.
const LONGEST_RATE_WINDOW_MS = HOUR
// How long one round of chores may spend measuring working-day durations again after a calendar
// or policy change (or an upgrade that added the report rollups); the rest waits for the next round.
const WORKDAY_CATCH_UP_MS = 20_000
/** When working-day durations are still stale, the next round of chores comes this soon. */
const CATCH_UP_AGAIN_MS = 60_000

export interface HousekeepingResult {
  /** Stale working-day durations remain to be measured. */
  workdaysPending: boolean
}

/** Housekeeping that keeps tables small; each step is safe to run at any time, in any process. */
export async function housekeeping(
  db: DB,
  config: Config,
  logger: Logger,
  now: number,
): Promise<HousekeepingResult> {
  const sweep = await sweepOrphanEvidence(db, localEvidenceStore(config.evidenceDir), { now })
  if (sweep.removed.length || sweep.tempRemoved) {
    logger.info('orphan evidence removed', { files: sweep.removed.length, temp: sweep.tempRemoved })
  }
  const limits = await pruneRateLimits(db, now, LONGEST_RATE_WINDOW_MS)
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  await pruneLoginDevices(db, now)
  const keys = await db
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', now)
    .executeTakeFirst()
  await pruneAccessLinks(db, now)
  await pruneResetTokens(db, now)
  await pruneDigestRuns(db, now)
  const presence = await sweepPresence(db, now)
  // Hourly chores reach the digest hour within the hour; each agent gets one digest a day.
  if (digestHourReached(now)) {
    const digests = await sendDailyDigests(db, now, { baseUrl: config.baseUrl })
    if (digests.queued) logger.info('daily digests queued', { ...digests })
  }
  // Done here rather than by the first manager to open the reports after the change, who would
  // otherwise wait for it.
  const workdaysDone = await catchUpWorkingDays(
    db,
    await loadDeadlineContext(db),
    now,
    WORKDAY_CATCH_UP_MS,
  )
  if (!workdaysDone)
    logger.info('report working days still being measured for the current calendar')
  logger.debug('housekeeping', {
    rateLimits: limits,
    sessions: Number(sessions.numDeletedRows),
    idempotencyKeys: Number(keys.numDeletedRows),
    presence,
  })
  return { workdaysPending: !workdaysDone }
}

/** The server process's background work: the outbox sender and hourly housekeeping. */
export function startBackgroundWork(deps: {
  db: DB
  config: Config
  logger: Logger
  clock: () => number
}) {
  const { db, config, logger, clock } = deps
  const sender = createSender({
    db,
    logger,
    clock,
    transport: createTransport({
      smtpUrl: config.smtpUrl,
      mailDir: config.mailDir,
      from: config.mailFrom,
    }),
  })
  sender.start()
  let chores: Promise<void> | null = null
  let soon: NodeJS.Timeout | null = null
  let stopped = false
  const runChores = () => {
    chores ??= housekeeping(db, config, logger, clock())
      .then((result) => {
        if (result.workdaysPending && !stopped && !soon) {
          soon = setTimeout(() => {
            soon = null
            runChores()
          }, CATCH_UP_AGAIN_MS)
          soon.unref()
        }
      })
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
      stopped = true
      clearInterval(timer)
      if (soon) clearTimeout(soon)
      await Promise.all([sender.stop(), chores])
    },
  }
}
