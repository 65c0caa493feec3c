// The complainant hears about what an agent sends them: one email per public message, queued
// in the action's own transaction so it goes out exactly when the change commits.
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import type { Locale } from '../i18n/locale.js'
import { translate } from '../i18n/translate.js'
import { enqueueMail } from '../mail/outbox.js'

const MAILED = ['replied', 'info_requested', 'resolution_proposed'] as const
type Mailed = (typeof MAILED)[number]

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

export async function mailComplainant(
  trx: DB,
  m: { ticket: Ticket; eventId: number; eventType: Mailed; body: string; baseUrl: string; now: number },
): Promise<void> {
  if (!m.ticket.complainant_email) return
  const locale: Locale = m.ticket.locale === 'en' ? 'en' : 'zh-CN'
  const params = { case: m.ticket.case_number, message: m.body, url: `${m.baseUrl.replace(/\/$/, '')}/track` }
  const text = translate(locale, 'tickets.mail.body', params)
  const html = `<!doctype html><html lang="${locale}"><body>${text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')}</body></html>`
  await enqueueMail(
    trx,
    {
      kind: `agent_${m.eventType}`,
      to: m.ticket.complainant_email,
      locale,
      subject: translate(locale, `tickets.mail.subject.${m.eventType}`, params),
      text,
      html,
      ticketId: m.ticket.id,
      eventId: m.eventId,
    },
    m.now,
  )
}
