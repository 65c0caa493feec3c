// The emails that carry a complainant's private tracking link: on filing, and when a lost link
// is replaced.
import type { DB } from '../db/connection.js'
import type { Locale } from '../i18n/locale.js'
import { translate } from '../i18n/translate.js'
import { escapeHtml, type ComposedMail } from './compose.js'
import { enqueueMail } from './outbox.js'

export type TrackingMailKind = 'filed' | 'reissued'

/** Where a tracking link leads (the secret is the path). */
export function trackingPath(token: string): string {
  return `/track/${token}`
}

/** The email that carries a private tracking link, in the complainant's language. */
export function trackingLinkMail(
  locale: Locale,
  kind: TrackingMailKind,
  caseNumber: string,
  url: string,
): ComposedMail {
  const params = { case: caseNumber, url }
  const text = translate(locale, `complaints.mail.${kind}.body`, params)
  const paragraphs = text.split(/\n{2,}/).map((p) => {
    const safe = escapeHtml(p).replace(/\n/g, '<br>')
    return p.trim() === url
      ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`
      : `<p>${safe}</p>`
  })
  const html = `<!doctype html><html lang="${locale}"><body>${paragraphs.join('\n')}</body></html>`
  return { subject: translate(locale, `complaints.mail.${kind}.subject`, params), text, html }
}

/**
 * Queues the link email in the caller's transaction, so it goes out exactly when the change
 * that produced the link commits. The sender loop delivers pending rows.
 */
export async function queueTrackingLinkMail(
  trx: DB,
  m: {
    kind: TrackingMailKind
    ticketId: number
    eventId: number | null
    to: string
    locale: Locale
    caseNumber: string
    url: string
    now: number
  },
): Promise<void> {
  const mail = trackingLinkMail(m.locale, m.kind, m.caseNumber, m.url)
  await enqueueMail(
    trx,
    {
      kind: m.kind === 'filed' ? 'tracking_link' : 'tracking_link_reissued',
      to: m.to,
      locale: m.locale,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ticketId: m.ticketId,
      eventId: m.eventId,
    },
    m.now,
  )
}
