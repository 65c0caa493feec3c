import { randomUUID } from 'node:crypto'
import type { DB } from '../db/connection.js'
import type { Logger } from '../http/logger.js'
import { claimDue, markAttemptFailed, markSent, releaseLeases } from './outbox.js'
import type { MailTransport } from './transport.js'

export interface SenderOptions {
  db: DB
  transport: MailTransport
  logger: Logger
  clock: () => number
  /** How long a claimed row stays ours; longer than any single SMTP exchange. */
  leaseMs?: number
  batchSize?: number
  intervalMs?: number
  owner?: string
}

/**
 * The outbox sender: claims due rows under a lease, sends them, and settles each row. Nothing
 * is sent from a request handler; handlers only write outbox rows in their transactions.
 */
export function createSender(options: SenderOptions) {
  const owner = options.owner ?? `sender-${randomUUID()}`
  const leaseMs = options.leaseMs ?? 120_000
  const batchSize = options.batchSize ?? 20
  let timer: NodeJS.Timeout | null = null
  let running: Promise<number> | null = null
  let stopped = false

  /** One pass: returns how many rows were handled. */
  async function runOnce(): Promise<number> {
    const rows = await claimDue(options.db, owner, options.clock(), leaseMs, batchSize)
    for (const [i, row] of rows.entries()) {
      if (stopped) {
        await releaseLeases(
          options.db,
          owner,
          rows.slice(i).map((r) => r.id),
        )
        break
      }
      try {
        await options.transport.send(row)
        const settled = await markSent(options.db, row.id, owner, options.clock())
        if (!settled)
          options.logger.warn('mail sent after its lease was lost', { outboxId: row.id })
        else options.logger.info('mail sent', { outboxId: row.id, kind: row.kind })
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        const result = await markAttemptFailed(options.db, row, owner, reason, options.clock())
        options.logger.warn('mail not sent', {
          outboxId: row.id,
          kind: row.kind,
          result,
          error: reason,
        })
      }
    }
    return rows.length
  }

  function tick() {
    if (stopped || running) return
    running = runOnce()
      .catch((err: unknown) => {
        options.logger.error('outbox pass failed', {
          error: err instanceof Error ? err.message : String(err),
        })
        return 0
      })
      .finally(() => {
        running = null
      })
  }

  return {
    owner,
    runOnce,
    start() {
      stopped = false
      timer = setInterval(tick, options.intervalMs ?? 2000)
      timer.unref()
      tick()
    },
    /** Stops claiming and waits for the pass in flight, so shutdown loses nothing. */
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
      await running
      options.transport.close()
    },
  }
}
