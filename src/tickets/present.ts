// Turns rows into what the templates show: translated names, masked text, due states.
import { getCategory } from '../domain/categories.js'
import { OPEN_STATUSES, type Status } from '../domain/ladder.js'
import { redact } from '../domain/redaction.js'
import { formatDateTime, formatMoney, formatRelative } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { Translate } from '../i18n/translate.js'
import type { QueueRow } from './queue.js'

export interface DueView {
  state: 'overdue' | 'due' | 'paused' | 'none' | 'stopped'
  relative: string
  absolute: string
}

export function dueView(
  t: { due_at: number | null; paused_at: number | null; status: string },
  now: number,
  locale: Locale,
): DueView {
  // A resolved or closed case keeps its stopped clock's pause open; it is not waiting for anyone.
  if (!OPEN_STATUSES.includes(t.status as Status))
    return { state: 'stopped', relative: '', absolute: '' }
  if (t.paused_at !== null || t.status === 'waiting_complainant')
    return { state: 'paused', relative: '', absolute: '' }
  if (t.due_at === null) return { state: 'none', relative: '', absolute: '' }
  return {
    state: t.due_at < now ? 'overdue' : 'due',
    relative: formatRelative(t.due_at, now, locale),
    absolute: formatDateTime(t.due_at, locale),
  }
}

export function categoryTitle(key: string, locale: Locale): string {
  return getCategory(key)?.title[locale] ?? key
}

export function providerName(
  r: { provider_zh: string | null; provider_en: string | null; provider_other: string | null },
  locale: Locale,
): string {
  return (locale === 'zh-CN' ? r.provider_zh : r.provider_en) ?? r.provider_other ?? ''
}

/** The first line of a text, masked, short enough for one row. */
export function firstLine(text: string, max = 140): string {
  const line =
    redact(text)
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

export function rowView(r: QueueRow, now: number, locale: Locale, t: Translate) {
  return {
    caseNumber: r.case_number,
    href: `/tickets/${r.case_number}`,
    category: categoryTitle(r.category, locale),
    provider: providerName(r, locale),
    amount: formatMoney(r.amount_minor, r.currency, locale),
    level: r.level,
    levelText: t(`level.${r.level}` as 'level.platform'),
    status: r.status,
    statusText: t(`staffStatus.${r.status}` as 'staffStatus.new'),
    priority: r.priority,
    priorityText: t(`priority.${r.priority}` as 'priority.normal'),
    assignee: r.assignee_name,
    due: dueView(r, now, locale),
    snippet: firstLine(r.description_head),
    // What a bulk action checks against: the version this row was drawn at.
    ticketRef: `${r.case_number}:${r.version}`,
    activity: formatRelative(r.updated_at, now, locale),
    activityAbsolute: formatDateTime(r.updated_at, locale),
    unread: Number(r.unread) === 1,
  }
}

export type RowView = ReturnType<typeof rowView>

/** Masks a phone number even when it is not one redaction recognises (landlines, foreign). */
export function maskPhone(phone: string): string {
  const masked = redact(phone)
  if (masked !== phone) return masked
  const digits = phone.replace(/\D/g, '')
  return digits.length <= 4
    ? '****'
    : `${'*'.repeat(Math.max(3, digits.length - 4))}${digits.slice(-4)}`
}
