import type { Config } from '../config.js'
import type { DB } from '../db/connection.js'
import { groupedWrite } from '../db/groupCommit.js'
import type { AcceptedFile } from '../evidence/upload.js'
import { storeUploads } from '../evidence/upload.js'
import type { EvidenceStore } from '../evidence/store.js'
import { loadDeadlineContext } from '../tickets/deadlineContext.js'
import { fileComplaint, type ComplaintInput } from './fileComplaint.js'
import { claimKey, completeKey, COMPLAINT_SCOPE, earlierResponse } from './idempotency.js'
import { queueTrackingLinkMail } from './mail.js'

export interface Submitted {
  /** `/track/{token}`: where the browser goes next. */
  location: string
  /** True when this key had already filed a case and nothing new was written. */
  replay: boolean
}

export function trackingPath(token: string): string {
  return `/track/${token}`
}

/**
 * Files a complaint once per idempotency key: the evidence files are written (and fsynced)
 * first, then one transaction writes the ticket, its evidence rows, the key's outcome and the
 * link email. A lost race with the same key writes nothing and answers with the winner's case.
 */
export async function submitComplaint(
  deps: { db: DB; config: Config; store: EvidenceStore },
  input: ComplaintInput,
  files: readonly AcceptedFile[],
  idempotencyKey: string | null,
  now: number,
): Promise<Submitted> {
  const { db, config, store } = deps
  if (idempotencyKey) {
    const earlier = await earlierResponse(db, idempotencyKey, COMPLAINT_SCOPE, now)
    if (earlier) return { location: earlier, replay: true }
  }
  const stored = await storeUploads(store, files)
  const deadlines = await loadDeadlineContext(db)
  return groupedWrite(db, async (trx) => {
    if (idempotencyKey) {
      const earlier = await claimKey(trx, idempotencyKey, COMPLAINT_SCOPE, now)
      if (earlier) return { location: earlier, replay: true }
    }
    const filed = await fileComplaint(trx, input, stored, now, deadlines)
    const location = trackingPath(filed.trackingToken)
    if (idempotencyKey) await completeKey(trx, idempotencyKey, filed.ticket.id, location)
    if (input.email) {
      await queueTrackingLinkMail(trx, {
        kind: 'filed',
        ticketId: filed.ticket.id,
        eventId: filed.eventId,
        to: input.email,
        locale: input.locale,
        caseNumber: filed.ticket.case_number,
        url: config.baseUrl + location,
        now,
      })
    }
    return { location, replay: false }
  })
}
