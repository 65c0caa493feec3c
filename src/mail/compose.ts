// Every notification email is built here: a list of blocks, rendered once as plain text and once
// as HTML, with all text from the message tables in the recipient's language. Free text (an
// agent's reply) enters only as a block and is escaped in the HTML part.
import type { CloseOutcome, EscalationReason, Level, Relief } from '../domain/ladder.js'
import type { Locale } from '../i18n/locale.js'
import { translate, type MessageKey, type Params } from '../i18n/translate.js'

export interface ComposedMail {
  subject: string
  text: string
  html: string
}

export type Block =
  | { kind: 'p'; text: string }
  /** Someone's own words, kept apart from ours. */
  | { kind: 'quote'; text: string }
  | { kind: 'link'; intro: string; url: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'list'; title: string; items: string[] }
  /** A list whose every item links somewhere (the files sent with a message). */
  | { kind: 'links'; title: string; items: { text: string; url: string }[] }

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )

const withBreaks = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>')

export function renderText(locale: Locale, blocks: readonly Block[]): string {
  const colon = locale === 'zh-CN' ? '：' : ': '
  return blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return b.text
        case 'quote':
          return b.text
            .split(/\r?\n/)
            .map((l) => `> ${l}`.trimEnd())
            .join('\n')
        case 'link':
          return `${b.intro}\n${b.url}`
        case 'facts':
          return b.rows.map(([k, v]) => `${k}${colon}${v}`).join('\n')
        case 'list':
          return [b.title, ...b.items.map((i) => `- ${i}`)].join('\n')
        case 'links':
          return [b.title, ...b.items.map((i) => `- ${i.text}\n  ${i.url}`)].join('\n')
      }
    })
    .join('\n\n')
}

export function renderHtml(locale: Locale, subject: string, blocks: readonly Block[]): string {
  const body = blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${withBreaks(b.text)}</p>`
        case 'quote':
          return `<blockquote style="margin:0 0 1em;padding:0 0 0 1em;border-left:3px solid #ccc">${withBreaks(b.text)}</blockquote>`
        case 'link':
          return `<p>${withBreaks(b.intro)}<br><a href="${escapeHtml(b.url)}">${escapeHtml(b.url)}</a></p>`
        case 'facts':
          return `<table role="presentation">${b.rows
            .map(
              ([k, v]) =>
                `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${withBreaks(v)}</td></tr>`,
            )
            .join('')}</table>`
        case 'list':
          return `<p><strong>${escapeHtml(b.title)}</strong></p><ul>${b.items.map((i) => `<li>${withBreaks(i)}</li>`).join('')}</ul>`
        case 'links':
          return `<p><strong>${escapeHtml(b.title)}</strong></p><ul>${b.items.map((i) => `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.text)}</a></li>`).join('')}</ul>`
      }
    })
    .join('\n')
  return `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${body}\n</body></html>`
}

export function renderMail(
  locale: Locale,
  subject: string,
  blocks: readonly Block[],
): ComposedMail {
  return { subject, text: renderText(locale, blocks), html: renderHtml(locale, subject, blocks) }
}

// ---------------------------------------------------------------------------------------------
// To the complainant

/** What changed on the case, as far as the complainant may know; bodies are already redacted. */
export type ComplainantNotice =
  | { kind: 'reply'; body: string }
  | { kind: 'info_requested'; body: string }
  | {
      kind: 'resolution_proposed'
      body: string
      relief: Relief | null
      amount: string | null
      disputeUntil: string
    }
  | { kind: 'escalated'; level: Level; reason: EscalationReason | null; note: string | null }
  | { kind: 'closed'; outcome: CloseOutcome | null; note: string | null }

export interface ComplainantContext {
  caseNumber: string
  /** This email's own access link to the case page. */
  url: string
  /** When that link stops working, already formatted for the locale. */
  linkExpires: string
  /** Files staff sent with the message, each linked through the same access link. */
  files?: readonly SentFile[]
}

/** A file named in a mail: its redacted name, its size for the locale, its download link. */
export interface SentFile {
  name: string
  size: string
  url: string
}

export function complainantMail(
  locale: Locale,
  notice: ComplainantNotice,
  ctx: ComplainantContext,
): ComposedMail {
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const p = { case: ctx.caseNumber }
  const blocks: Block[] = [{ kind: 'p', text: t('mail.greeting') }]
  let subject: string
  switch (notice.kind) {
    case 'reply':
      subject = t('mail.reply.subject', p)
      blocks.push(
        { kind: 'p', text: t('mail.reply.intro', p) },
        { kind: 'quote', text: notice.body },
      )
      break
    case 'info_requested':
      subject = t('mail.info_requested.subject', p)
      blocks.push(
        { kind: 'p', text: t('mail.info_requested.intro', p) },
        { kind: 'quote', text: notice.body },
        { kind: 'p', text: t('mail.info_requested.after') },
      )
      break
    case 'resolution_proposed': {
      subject = t('mail.resolution_proposed.subject', p)
      const rows: [string, string][] = []
      if (notice.relief)
        rows.push([t('mail.resolution_proposed.relief'), t(`relief.${notice.relief}`)])
      if (notice.amount) rows.push([t('mail.resolution_proposed.amount'), notice.amount])
      blocks.push(
        { kind: 'p', text: t('mail.resolution_proposed.intro', p) },
        { kind: 'quote', text: notice.body },
      )
      if (rows.length) blocks.push({ kind: 'facts', rows })
      blocks.push({
        kind: 'p',
        text: t('mail.resolution_proposed.window', { date: notice.disputeUntil }),
      })
      break
    }
    case 'escalated': {
      const body = t(`mail.body.${notice.level}`)
      subject = t('mail.escalated.subject', { ...p, body })
      blocks.push({ kind: 'p', text: t('mail.escalated.intro', { ...p, body }) })
      if (notice.reason)
        blocks.push({
          kind: 'p',
          text: t('mail.escalated.reason', { reason: t(`reason.${notice.reason}`) }),
        })
      if (notice.note)
        blocks.push(
          { kind: 'p', text: t('mail.escalated.note') },
          { kind: 'quote', text: notice.note },
        )
      break
    }
    case 'closed': {
      subject = t('mail.closed.subject', p)
      const outcome = notice.outcome ? t(`closeOutcome.${notice.outcome}`) : t('status.closed')
      blocks.push({ kind: 'p', text: t('mail.closed.intro', { ...p, outcome }) })
      if (notice.note)
        blocks.push(
          { kind: 'p', text: t('mail.closed.note') },
          { kind: 'quote', text: notice.note },
        )
      blocks.push({ kind: 'p', text: t('mail.closed.after') })
      break
    }
  }
  if (ctx.files?.length)
    blocks.push({
      kind: 'links',
      title: t('attachments.mail.title'),
      items: ctx.files.map((f) => ({
        text: t('attachments.mail.item', { name: f.name, size: f.size }),
        url: f.url,
      })),
    })
  blocks.push(
    { kind: 'facts', rows: [[t('mail.caseNumber'), ctx.caseNumber]] },
    { kind: 'link', intro: t('mail.link.intro', { date: ctx.linkExpires }), url: ctx.url },
    { kind: 'p', text: t('mail.link.keep') },
    { kind: 'p', text: t('mail.answerOnPage') },
    { kind: 'p', text: t('mail.signature') },
  )
  return renderMail(locale, subject, blocks)
}

// ---------------------------------------------------------------------------------------------
// To staff

export const COMPLAINANT_ACTIVITIES = [
  'complainant_message',
  'evidence_added',
  'contact_logged',
  'accepted',
  'disputed',
  'withdrawn',
] as const
export type ComplainantActivity = (typeof COMPLAINANT_ACTIVITIES)[number]

export type StaffNotice =
  { kind: 'assigned'; by: string } | { kind: 'complainant_activity'; activity: ComplainantActivity }

export function staffMail(
  locale: Locale,
  notice: StaffNotice,
  ctx: { caseNumber: string; name: string; url: string },
): ComposedMail {
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const p = { case: ctx.caseNumber }
  let subject: string
  let line: string
  if (notice.kind === 'assigned') {
    subject = t('mail.staff.assigned.subject', p)
    line = t('mail.staff.assigned.body', { ...p, by: notice.by })
  } else {
    const activity = t(`mail.activity.${notice.activity}`)
    subject = t('mail.staff.activity.subject', { ...p, activity })
    line = t('mail.staff.activity.body', { ...p, activity })
  }
  return renderMail(locale, subject, [
    { kind: 'p', text: t('mail.greetingName', { name: ctx.name }) },
    { kind: 'p', text: line },
    { kind: 'link', intro: t('mail.staff.open'), url: ctx.url },
    { kind: 'p', text: t('mail.signature') },
  ])
}

export interface DigestItem {
  caseNumber: string
  category: string
  /** The due time, formatted for the locale. */
  due: string
}

/** Lists are cut so a neglected queue still makes a readable email. */
export const DIGEST_MAX_ITEMS = 30

export function digestMail(
  locale: Locale,
  d: { name: string; date: string; missed: DigestItem[]; dueSoon: DigestItem[]; queueUrl: string },
): ComposedMail {
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const items = (list: DigestItem[]) => {
    const shown = list
      .slice(0, DIGEST_MAX_ITEMS)
      .map((i) => t('mail.digest.item', { case: i.caseNumber, category: i.category, when: i.due }))
    if (list.length > DIGEST_MAX_ITEMS)
      shown.push(t('mail.digest.more', { n: list.length - DIGEST_MAX_ITEMS }))
    return shown
  }
  const blocks: Block[] = [
    { kind: 'p', text: t('mail.greetingName', { name: d.name }) },
    { kind: 'p', text: t('mail.digest.intro') },
  ]
  if (d.missed.length)
    blocks.push({
      kind: 'list',
      title: t('mail.digest.missed', { n: d.missed.length }),
      items: items(d.missed),
    })
  if (d.dueSoon.length)
    blocks.push({
      kind: 'list',
      title: t('mail.digest.due', { n: d.dueSoon.length }),
      items: items(d.dueSoon),
    })
  blocks.push(
    { kind: 'link', intro: t('mail.digest.queue'), url: d.queueUrl },
    { kind: 'p', text: t('mail.signature') },
  )
  const subject = t('mail.digest.subject', {
    date: d.date,
    missed: d.missed.length,
    due: d.dueSoon.length,
  })
  return renderMail(locale, subject, blocks)
}
