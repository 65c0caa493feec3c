import { hashSecret, newSecret } from '../secrets.js'
import { recordOnTicket } from '../change/ticketChanges.js'
import type { ChangeWriter } from '../change/types.js'
import { revokeAccessLinks } from '../mail/accessLinks.js'
import { findTicket } from '../tickets/findTicket.js'

/**
 * Sends a fresh tracking link when the case number and email belong together. A new token
 * replaces the old hash, so a link that leaked stops working. Returns whether they matched;
 * the caller must not tell the requester.
 */
export async function reissueTrackingLink(
  w: ChangeWriter,
  req: { caseNumber: string; email: string; now: number; baseUrl: string },
): Promise<boolean> {
  const ticket = await findTicket(w.db, req.caseNumber)
  if (!ticket) return false
  const token = newSecret()
  const result = await recordOnTicket(w, {
    ticketId: ticket.id,
    actor: { kind: 'system' },
    now: req.now,
    trackingToken: token,
    notify: { baseUrl: req.baseUrl },
    input: async (trx, current) => {
      const email = current.complainant_email?.trim().toLowerCase()
      if (!email || email !== req.email.trim().toLowerCase()) return null
      // Links from earlier notification emails end too: whoever asks may fear a leaked email.
      await revokeAccessLinks(trx, current.id)
      // Replayed filing requests would otherwise lead to the old, dead link (and keep a copy of it).
      await trx.deleteFrom('idempotency_keys').where('ticket_id', '=', current.id).execute()
      return { type: 'reissue_link', trackingTokenHash: hashSecret(token) }
    },
  })
  return result.ok
}
