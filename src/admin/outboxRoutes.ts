// The admin's view of outgoing mail: what failed for good (with the last error) and what is
// still waiting, and a retry for a failed message. Bodies are not shown: they may carry a case's
// private link.
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { DB } from '../db/connection.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { render } from '../http/render.js'
import { retryFailed } from '../mail/outbox.js'
import { recordAdminChange } from './audit.js'
import { auditOf, doneNotice } from './page.js'
import { parseId } from './schemas.js'

export const FAILED_SHOWN = 200
export const PENDING_SHOWN = 50

function outboxRows(db: DB, status: 'failed' | 'pending', limit: number) {
  let q = db
    .selectFrom('outbox')
    .leftJoin('tickets', 'tickets.id', 'outbox.ticket_id')
    .select([
      'outbox.id',
      'outbox.kind',
      'outbox.to_address',
      'outbox.subject',
      'outbox.attempts',
      'outbox.last_error',
      'outbox.created_at',
      'outbox.next_attempt_at',
      'tickets.case_number',
    ])
    .where('outbox.status', '=', status)
  q =
    status === 'failed'
      ? q.orderBy('outbox.id', 'desc')
      : q.orderBy('outbox.next_attempt_at').orderBy('outbox.id')
  return q.limit(limit).execute()
}

export const outboxRoutes = new Hono<AppEnv>()

async function outboxPage(
  c: Context<AppEnv>,
  alert: string | null = null,
  status: ContentfulStatusCode = 200,
) {
  const { db } = c.get('deps')
  const [failed, pending] = await Promise.all([
    outboxRows(db, 'failed', FAILED_SHOWN),
    outboxRows(db, 'pending', PENDING_SHOWN),
  ])
  const notice = doneNotice(c, { retried: 'outbox.done.retried' })
  return render(c, 'admin/outbox', { failed, pending, notice, alert }, { status })
}

outboxRoutes.get('/', (c) => outboxPage(c))

outboxRoutes.post('/:id/retry', async (c) => {
  const id = parseId(c.req.param('id'))
  if (id === null) throw notFound()
  const { db, logger } = c.get('deps')
  const row = await db
    .selectFrom('outbox')
    .select(['id', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw notFound()
  const audit = auditOf(c)
  const retried = await db.transaction().execute(async (trx) => {
    if (!(await retryFailed(trx, id, audit.at))) return false
    await recordAdminChange(trx, audit, {
      action: 'mail_retried',
      subject: `#${id}`,
      detail: { kind: row.kind },
    })
    return true
  })
  if (!retried) return outboxPage(c, c.get('t')('outbox.notFailed'), 409)
  logger.info('admin: mail retried', { by: c.get('user')?.id, outboxId: id })
  return c.redirect('/admin/outbox?done=retried', 303)
})
