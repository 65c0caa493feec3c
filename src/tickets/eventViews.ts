// How a ticket's events read on the timeline and the history page, translated.
import { redact } from '../domain/redaction.js'
import { formatDateTime } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { MessageKey, Translate } from '../i18n/translate.js'
import { staffNames, type EventRow } from './workspace.js'

/** The ticket version an event left (0 for events before versions were recorded). */
export function eventVersion(e: EventRow): number {
  try {
    const v = (JSON.parse(e.payload) as { version?: unknown }).version
    return typeof v === 'number' ? v : 0
  } catch {
    return 0
  }
}

export function actorLabel(e: EventRow, t: Translate): string {
  if (e.actor_type === 'staff') return e.actor_name ?? t('tickets.actor.staff')
  return e.actor_type === 'complainant' ? t('tickets.actor.complainant') : t('tickets.actor.system')
}

const tr = (t: Translate, key: string) => t(key as MessageKey)

/** A short line of what an event carried (reason, outcome, amount…), already translated. */
export function eventDetails(
  e: EventRow,
  t: Translate,
  locale: Locale,
  staffNames: ReadonlyMap<number, string>,
): string[] {
  let p: Record<string, unknown> = {}
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>
  } catch {
    return []
  }
  const out: string[] = []
  const from = p['from'] as Record<string, unknown> | undefined
  const to = p['to'] as Record<string, unknown> | undefined
  if (typeof p['reason'] === 'string') out.push(tr(t, `reason.${p['reason']}`))
  if (typeof p['outcome'] === 'string') {
    out.push(
      tr(t, e.type === 'closed' ? `closeOutcome.${p['outcome']}` : `bodyOutcome.${p['outcome']}`),
    )
  }
  if (typeof p['relief'] === 'string') out.push(tr(t, `relief.${p['relief']}`))
  if (typeof p['externalRef'] === 'string' && p['externalRef'])
    out.push(t('tickets.externalRef', { ref: p['externalRef'] }))
  if (e.type === 'assigned' && to) {
    const id = to['assigneeId']
    out.push(
      typeof id === 'number'
        ? t('tickets.assignedTo', { name: staffNames.get(id) ?? `#${id}` })
        : t('tickets.unassigned'),
    )
  }
  if ((e.type === 'tag_added' || e.type === 'tag_removed') && typeof p['tag'] === 'string')
    out.push(`#${p['tag']}`)
  if (e.type === 'priority_set' && to) out.push(tr(t, `priority.${String(to['priority'])}`))
  if (e.type === 'complex_marked') {
    out.push(
      (p['complex'] as { to?: boolean } | undefined)?.to
        ? t('tickets.complex.on')
        : t('tickets.complex.off'),
    )
  }
  if (e.type === 'reminder_set') {
    const at = (p['reminderAt'] as { to?: number | null } | undefined)?.to
    out.push(typeof at === 'number' ? formatDateTime(at, locale) : t('tickets.reminder.cleared'))
  }
  if (e.type === 'dossier_generated')
    out.push(p['masked'] === false ? t('dossier.auditUnmasked') : t('dossier.auditMasked'))
  if (
    (e.type === 'evidence_restricted' ||
      e.type === 'evidence_unrestricted' ||
      e.type === 'evidence_opened') &&
    typeof p['evidenceId'] === 'number'
  ) {
    out.push(t('tickets.evidence.file', { id: p['evidenceId'] }))
  }
  if ((e.type === 'linked' || e.type === 'unlinked') && typeof p['otherCase'] === 'string') {
    const view =
      e.type === 'unlinked'
        ? 'removed'
        : p['relation'] === 'duplicate_of'
          ? p['mirror'] === true
            ? 'has_duplicate'
            : 'duplicate_of'
          : 'related'
    out.push(t(`links.event.${view}` as MessageKey, { case: p['otherCase'] }))
  }
  const macro = p['macro'] as { name?: unknown } | undefined
  if (macro && typeof macro.name === 'string') out.push(t('macros.event', { name: macro.name }))
  if (e.type === 'revealed' && Array.isArray(p['fields']))
    out.push(t('tickets.revealedFields', { fields: p['fields'].join(', ') }))
  if (from && to && from['status'] !== to['status']) {
    out.push(
      `${tr(t, `staffStatus.${String(from['status'])}`)} → ${tr(t, `staffStatus.${String(to['status'])}`)}`,
    )
  }
  return out
}

export function timelineView(
  e: EventRow,
  t: Translate,
  locale: Locale,
  staffNames: ReadonlyMap<number, string>,
  mask: (s: string | null) => string,
) {
  return {
    id: e.id,
    type: e.type,
    title: tr(t, `event.${e.type}`),
    internal: e.visibility === 'internal',
    actor: actorLabel(e, t),
    when: formatDateTime(e.created_at, locale),
    body: mask(e.body),
    details: eventDetails(e, t, locale, staffNames),
  }
}

export function historyView(
  e: EventRow,
  t: Translate,
  locale: Locale,
  staffNames: ReadonlyMap<number, string>,
) {
  let p: Record<string, unknown> = {}
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>
  } catch {
    // An unreadable payload still lists the event itself.
  }
  const snap = (s: unknown) => {
    if (!s || typeof s !== 'object') return ''
    const o = s as Record<string, unknown>
    const parts: string[] = []
    if (typeof o['status'] === 'string') parts.push(tr(t, `staffStatus.${o['status']}`))
    if (typeof o['level'] === 'string') parts.push(tr(t, `level.${o['level']}`))
    if (typeof o['priority'] === 'string') parts.push(tr(t, `priority.${o['priority']}`))
    if ('assigneeId' in o) {
      const id = o['assigneeId']
      parts.push(
        typeof id === 'number' ? (staffNames.get(id) ?? `#${id}`) : t('tickets.unassigned'),
      )
    }
    return parts.join(' · ')
  }
  return {
    id: e.id,
    type: e.type,
    title: tr(t, `event.${e.type}`),
    internal: e.visibility === 'internal',
    actor: actorLabel(e, t),
    when: formatDateTime(e.created_at, locale),
    before: snap(p['from']),
    after: snap(p['to']),
    details: eventDetails(e, t, locale, staffNames),
    body: e.body === null ? '' : redact(e.body),
  }
}
