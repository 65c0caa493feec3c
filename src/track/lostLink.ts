import { hashSecret, newSecret } from '../auth/tokens.js'
import type { DB } from '../db/connection.js'
import { queueTrackingLinkMail } from '../complaints/mail.js'
import { trackingPath } from '../complaints/submit.js'
import { isLocale } from '../i18n/locale.js'
import { revokeAccessLinks } from '../mail/accessLinks.js'
import { insertEvent } from '../tickets/queries.js'

/**
 * Sends a fresh tracking link when the case number and email belong together. A new token
 * replaces the old hash, so a link that leaked stops working. Returns whether they matched;
 * the caller must not tell the requester.
 */
export async function reissueTrackingLink(
  db: DB,
  req: { caseNumber: string; email: string; now: number; baseUrl: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ticket = await trx
      .selectFrom('tickets')
      .select(['id', 'case_number', 'complainant_email', 'locale'])
      .where('case_number', '=', req.caseNumber)
      .executeTakeFirst()
    const email = ticket?.complainant_email?.trim().toLowerCase()
    if (!ticket || !email || email !== req.email.trim().toLowerCase()) return false
    const token = newSecret()
    await trx
      .updateTable('tickets')
      .set({ tracking_token_hash: hashSecret(token), updated_at: req.now })
      .where('id', '=', ticket.id)
      .execute()
    // Links from earlier notification emails end too: whoever asks may fear a leaked email.
    await revokeAccessLinks(trx, ticket.id)
    // Replayed filing requests would otherwise lead to the old, dead link (and keep a copy of it).
    await trx.deleteFrom('idempotency_keys').where('ticket_id', '=', ticket.id).execute()
    const eventId = await insertEvent(trx, {
      ticketId: ticket.id,
      type: 'tracking_link_reissued',
      visibility: 'public',
      actorType: 'system',
      actorUserId: null,
      body: null,
      payload: {},
      createdAt: req.now,
    })
    await queueTrackingLinkMail(trx, {
      kind: 'reissued',
      ticketId: ticket.id,
      eventId,
      to: ticket.complainant_email!,
      locale: isLocale(ticket.locale) ? ticket.locale : 'zh-CN',
      caseNumber: ticket.case_number,
      url: req.baseUrl + trackingPath(token),
      now: req.now,
    })
    return true
  })
}
