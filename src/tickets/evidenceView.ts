// How a ticket's files read on the staff pages: the evidence list (who sent each, what can be
// previewed on the page) and the files each timeline event brought.
import type { Config } from '../config.js'
import type { Evidence } from '../db/schema.js'
import { previewKind, type PreviewKind } from '../evidence/preview.js'
import { formatBytes, formatDateTime } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { Translate } from '../i18n/translate.js'

export interface EvidenceItem {
  id: number
  eventId: number | null
  url: string
  /** The inline preview (tickets/routes.ts); null when the type has none. */
  previewUrl: string | null
  preview: PreviewKind | null
  name: string
  mime: string
  image: boolean
  pdf: boolean
  sha256: string
  size: string
  sensitive: boolean
  /** Sent by us to the complainant (attached to a reply, request or proposal). */
  fromStaff: boolean
  /** Who sent it, as the page names them. */
  by: string
  /** Only the complainant's own files; what staff attach is theirs to choose. */
  restrictable: boolean
  when: string
}

export function evidenceItems(
  rows: readonly Evidence[],
  ctx: {
    caseNumber: string
    t: Translate
    locale: Locale
    names: ReadonlyMap<number, string>
  },
): EvidenceItem[] {
  return rows.map((e) => {
    const url = `/tickets/${ctx.caseNumber}/evidence/${e.id}`
    const preview = previewKind(e.mime)
    const fromStaff = e.uploaded_by_type === 'staff'
    return {
      id: e.id,
      eventId: e.event_id,
      url,
      previewUrl: preview ? `${url}/preview` : null,
      preview,
      name: e.original_name,
      mime: e.mime,
      image: preview === 'image',
      pdf: preview === 'pdf',
      sha256: e.sha256,
      size: formatBytes(e.size),
      sensitive: e.sensitive === 1,
      fromStaff,
      by: fromStaff
        ? ctx.t('attachments.sentBy', {
            name: ctx.names.get(e.uploaded_by_user_id ?? 0) ?? ctx.t('tickets.actor.staff'),
          })
        : e.uploaded_by_type === 'complainant'
          ? ctx.t('tickets.actor.complainant')
          : ctx.t('tickets.actor.system'),
      restrictable: e.uploaded_by_type === 'complainant',
      when: formatDateTime(e.created_at, ctx.locale),
    }
  })
}

/** The files each event brought, by event id, in the order they were sent. */
export function filesByEvent<T extends { eventId: number | null }>(
  items: readonly T[],
): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const item of items) {
    if (item.eventId === null) continue
    const list = out.get(item.eventId)
    if (list) list.push(item)
    else out.set(item.eventId, [item])
  }
  return out
}

/** The numbers the file fields' hint names (complaints.evidence.hint). */
export function uploadLimits(config: Pick<Config, 'evidenceMaxFiles' | 'evidenceMaxFileBytes'>) {
  return {
    max: config.evidenceMaxFiles,
    mb: Math.round((config.evidenceMaxFileBytes / 1048576) * 10) / 10,
  }
}
