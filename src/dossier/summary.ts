// summary.html: the printable account of a case for the body it is escalated to. A file that is
// downloaded and opened locally, so its A4 print styles sit inside it. Every interpolated value
// is escaped by the `h` template tag; only `h` results pass through unescaped.
import { getCategory } from '../domain/categories.js'
import { redact } from '../domain/redaction.js'
import { escapeHtml } from '../mail/compose.js'
import { formatBytes, formatDateTime, formatMoney } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import { hasMessage, translate, type MessageKey, type Params } from '../i18n/translate.js'
import { maskPhone, providerName } from '../tickets/present.js'
import type { EvidenceEntry } from './entries.js'
import { resolutionFacts } from './resolutionFacts.js'
import type { DossierData } from './load.js'

class Html {
  constructor(readonly value: string) {}
}

function piece(v: unknown): string {
  if (v instanceof Html) return v.value
  if (Array.isArray(v)) return v.map(piece).join('')
  if (v === null || v === undefined || v === false) return ''
  return escapeHtml(String(v))
}

function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1]!
  })
  return new Html(out)
}

const STYLE = `
@page { size: A4; margin: 18mm 16mm 20mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color: #111; margin: 0 auto; max-width: 180mm; padding: 12mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 0.4mm solid #444; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2mm; }
.meta { color: #444; }
.notice { border: 0.3mm solid #999; padding: 2mm 3mm; margin: 3mm 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.2mm solid #bbb; }
thead th { border-bottom: 0.4mm solid #444; font-size: 9.5pt; }
tr { break-inside: avoid; }
table.facts th { width: 38%; font-weight: 600; }
.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
code { font: 8pt/1.3 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.stage { break-inside: avoid; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`

export interface SummaryInput {
  data: DossierData
  entries: EvidenceEntry[]
  locale: Locale
  masked: boolean
  generatedAt: number
  generatedBy: string
}

export function renderSummary(input: SummaryInput): string {
  const { data, entries, locale, masked } = input
  const { ticket } = data
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const tk = (key: string, fallback: string) => (hasMessage(key) ? t(key) : fallback)
  const mask = (s: string | null) => (s === null || s === '' ? '' : masked ? redact(s) : s)
  const when = (ms: number | null) => formatDateTime(ms, locale)
  const staffName = (id: number | null) =>
    id === null ? '' : (data.staffNames.get(id) ?? `#${id}`)
  const actor = (type: string, userId: number | null) =>
    type === 'staff'
      ? staffName(userId) || t('dossier.actor.staff')
      : type === 'complainant'
        ? t('dossier.actor.complainant')
        : t('dossier.actor.system')
  const facts = (rows: [string, unknown][]) =>
    h`<table class="facts"><tbody>${rows
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => h`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table>`

  const category = getCategory(ticket.category)
  const selfHelp = (JSON.parse(ticket.self_help) as unknown[])
    .filter((k): k is string => typeof k === 'string')
    .map((key) => category?.selfHelp.find((i) => i.key === key)?.text[locale] ?? key)

  const parties = h`
<h2 id="parties">${t('dossier.parties')}</h2>
<h3>${t('dossier.complainant')}</h3>
${facts([
  [t('dossier.name'), ticket.complainant_name],
  [t('dossier.email'), ticket.complainant_email ?? ''],
  [
    t('dossier.phone'),
    ticket.complainant_phone === null
      ? ''
      : masked
        ? maskPhone(ticket.complainant_phone)
        : ticket.complainant_phone,
  ],
  [t('dossier.language'), tk(`lang.${ticket.locale}`, ticket.locale)],
])}
<h3>${t('dossier.otherSide')}</h3>
${facts([
  [t('dossier.provider'), providerName(ticket, locale)],
  [t('dossier.merchant'), mask(ticket.merchant)],
  [t('dossier.assignee'), ticket.assignee_name ?? ''],
])}`

  const factsSection = h`
<h2 id="facts">${t('dossier.facts')}</h2>
${facts([
  [t('dossier.category'), category?.title[locale] ?? ticket.category],
  [t('dossier.occurredAt'), when(ticket.occurred_at)],
  [t('dossier.amount'), formatMoney(ticket.amount_minor, ticket.currency, locale)],
  [t('dossier.transactionRef'), mask(ticket.transaction_ref)],
  [t('dossier.desired'), tk(`desired.${ticket.desired_outcome}`, ticket.desired_outcome)],
  [t('dossier.filedAt'), when(ticket.created_at)],
  [t('dossier.status'), tk(`staffStatus.${ticket.status}`, ticket.status)],
  [t('dossier.level'), tk(`level.${ticket.level}`, ticket.level)],
  ...resolutionFacts(ticket, locale),
  [
    t('dossier.outcome'),
    ticket.outcome ? tk(`closeOutcome.${ticket.outcome}`, ticket.outcome) : '',
  ],
  [t('dossier.closedAt'), when(ticket.closed_at)],
])}
<h3>${t('dossier.description')}</h3>
<p class="pre" id="description">${mask(ticket.description)}</p>
<h3>${t('dossier.selfHelp')}</h3>
${selfHelp.length ? h`<ul id="self-help">${selfHelp.map((s) => h`<li>${s}</li>`)}</ul>` : h`<p>${t('dossier.selfHelp.none')}</p>`}`

  const contacts = h`
<h2 id="contacts">${t('dossier.contacts')}</h2>
${
  data.contacts.length
    ? h`<table><thead><tr><th>${t('dossier.contact.when')}</th><th>${t('dossier.contact.channel')}</th><th>${t('dossier.contact.summary')}</th><th>${t('dossier.contact.ref')}</th><th>${t('dossier.contact.by')}</th></tr></thead><tbody>${data.contacts.map(
        (k) =>
          h`<tr><td>${when(k.contacted_at)}</td><td>${tk(`channel.${k.channel}`, k.channel)}</td><td class="pre">${mask(k.summary)}</td><td>${mask(k.external_ref)}</td><td>${actor(k.recorded_by_type, k.recorded_by_user_id)}</td></tr>`,
      )}</tbody></table>`
    : h`<p>${t('dossier.contacts.none')}</p>`
}`

  const stages = h`
<h2 id="stages">${t('dossier.stages')}</h2>
${data.stages.map(
  (s) =>
    h`<section class="stage" data-level="${s.level}"><h3>${tk(`level.${s.level}`, s.level)}</h3>${facts(
      [
        [t('dossier.stage.entered'), when(s.entered_at)],
        [
          t('dossier.stage.reason'),
          s.escalation_reason ? tk(`reason.${s.escalation_reason}`, s.escalation_reason) : '',
        ],
        [t('dossier.stage.externalRef'), mask(s.external_ref)],
        [t('dossier.stage.accepted'), when(s.accepted_at)],
        [t('dossier.stage.firstResponse'), when(s.first_response_at)],
        [t('dossier.stage.answered'), when(s.answered_at)],
        [t('dossier.stage.due'), when(s.due_at)],
        [t('dossier.stage.outcome'), s.outcome ? tk(`bodyOutcome.${s.outcome}`, s.outcome) : ''],
        [t('dossier.stage.left'), when(s.left_at)],
      ],
    )}${s.answer ? h`<p><strong>${t('dossier.stage.answer')}:</strong></p><p class="pre">${mask(s.answer)}</p>` : ''}</section>`,
)}`

  const timeline = h`
<h2 id="timeline">${t('dossier.timeline')}</h2>
<table><thead><tr><th>${t('dossier.timeline.when')}</th><th>${t('dossier.timeline.what')}</th><th>${t('dossier.timeline.who')}</th></tr></thead><tbody>${data.events.map(
    (e) =>
      h`<tr class="event-${e.type}"><td>${when(e.created_at)}</td><td><strong>${eventTitle(e.type, tk)}</strong>${eventNotes(e.payload, e.type, tk, ticket.currency, locale).map((n) => h` · ${mask(n)}`)}${e.body ? h`<div class="pre">${mask(e.body)}</div>` : ''}</td><td>${actor(e.actor_type, e.actor_user_id)}</td></tr>`,
  )}</tbody></table>`

  const evidence = h`
<h2 id="evidence">${t('dossier.evidence')}</h2>
${
  entries.length
    ? h`<table id="evidence-index"><thead><tr><th>${t('dossier.evidence.file')}</th><th>${t('dossier.evidence.type')}</th><th>${t('dossier.evidence.size')}</th><th>${t('dossier.evidence.uploaded')}</th><th>${t('dossier.evidence.by')}</th></tr></thead><tbody>${entries.map(
        (e) =>
          h`<tr><td>${e.present ? e.path : h`<s>${e.path}</s> (${t('dossier.evidence.missing')})`}<br><small>${t('dossier.evidence.original')}: ${e.shownName}</small>${e.row.sensitive ? h` <strong>[${t('dossier.evidence.sensitive')}]</strong>` : ''}<br><code>SHA-256 ${e.row.sha256}</code></td><td>${e.row.mime}</td><td>${formatBytes(e.row.size)} (${e.row.size} B)</td><td>${when(e.row.created_at)}</td><td>${actor(e.row.uploaded_by_type, e.row.uploaded_by_user_id)}</td></tr>`,
      )}</tbody></table>`
    : h`<p>${t('dossier.evidence.none')}</p>`
}
${data.hiddenEvidence ? h`<p class="notice" id="evidence-hidden">${t('dossier.evidence.hidden', { n: data.hiddenEvidence })}</p>` : ''}`

  const title = t('dossier.title', { case: ticket.case_number })
  const doc = h`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta">${t('dossier.generated', { when: when(input.generatedAt), by: input.generatedBy })}</p>
<p class="notice" id="masking" data-masked="${masked ? '1' : '0'}">${masked ? t('dossier.masked') : t('dossier.unmasked')}</p>
<p class="meta">${t('dossier.verify')}</p>
</header>
${parties}
${factsSection}
${contacts}
${stages}
${timeline}
${evidence}
</body>
</html>
`
  return doc.value
}

function eventTitle(type: string, tk: (key: string, fallback: string) => string): string {
  return tk(`event.${type}`, tk(`track.event.${type}`, type))
}

/** The facts an event carried (reason, outcome, remedy, amount, reference), translated. */
function eventNotes(
  payloadJson: string,
  type: string,
  tk: (key: string, fallback: string) => string,
  currency: string,
  locale: Locale,
): string[] {
  let p: Record<string, unknown> = {}
  try {
    p = JSON.parse(payloadJson) as Record<string, unknown>
  } catch {
    return []
  }
  const out: string[] = []
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : null)
  const to = p['to'] as { level?: unknown } | undefined
  if (type === 'escalated' && typeof to?.level === 'string')
    out.push(tk(`level.${to.level}`, to.level))
  if (str('reason')) out.push(tk(`reason.${str('reason')}`, str('reason')!))
  if (str('outcome'))
    out.push(
      tk(
        type === 'closed' ? `closeOutcome.${str('outcome')}` : `bodyOutcome.${str('outcome')}`,
        str('outcome')!,
      ),
    )
  if (str('relief')) out.push(tk(`relief.${str('relief')}`, str('relief')!))
  if (typeof p['amountRecoveredMinor'] === 'number' && p['amountRecoveredMinor'] > 0) {
    out.push(formatMoney(p['amountRecoveredMinor'], currency, locale))
  }
  if (str('externalRef')) out.push(str('externalRef')!)
  if (typeof p['fileCount'] === 'number') out.push(`${p['fileCount']} ×`)
  return out
}
