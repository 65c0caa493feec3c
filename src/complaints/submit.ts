import type { ComplaintInput } from '../change/filing.js'
import { changeTransaction } from '../change/ticketChanges.js'
import type { ChangeWriter } from '../change/types.js'
import type { Config } from '../config.js'
import type { AcceptedFile } from '../evidence/upload.js'
import { storeUploads } from '../evidence/upload.js'
import type { EvidenceStore } from '../evidence/store.js'
import { trackingPath } from '../mail/trackingLink.js'
import { claimKey, completeKey, COMPLAINT_SCOPE, earlierResponse } from './idempotency.js'

export interface Submitted {
  /** `/track/{token}`: where the browser goes next. */
  location: string
  /** True when this key had already filed a case and nothing new was written. */
  replay: boolean
}

/**
 * Files a complaint once per idempotency key: the evidence files are written (and fsynced)
 * first, then one transaction writes the ticket, its evidence rows, the key's outcome and the
 * link email. A lost race with the same key writes nothing and answers with the winner's case.
 */
export async function submitComplaint(
  deps: ChangeWriter & { config: Config; store: EvidenceStore },
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
  return changeTransaction(deps, async (tx) => {
    if (idempotencyKey) {
      const earlier = await claimKey(tx.trx, idempotencyKey, COMPLAINT_SCOPE, now)
      if (earlier) return { location: earlier, replay: true }
    }
    const notify = { baseUrl: config.baseUrl }
    const filed = await tx.file({ input, evidence: stored, now, notify })
    const location = trackingPath(filed.trackingToken)
    if (idempotencyKey) await completeKey(tx.trx, idempotencyKey, filed.ticket.id, location)
    return { location, replay: false }
  })
}
