// The ticket header's clock line as the template draws it: one sentence from domain/headerClock,
// its CSS state, and who we wait for.
import { headerClock, type ClockLineInput } from '../domain/headerClock.js'
import type { Status } from '../domain/ladder.js'
import { DISPUTE_WINDOW_DAYS } from '../domain/lifecycle.js'
import { formatDateTime, formatRelative } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { MessageKey, Translate } from '../i18n/translate.js'

export interface ClockLineView {
  kind: string
  /** The class of the line, as the queue's due cells use it: due, overdue, paused, none, stopped. */
  state: 'due' | 'overdue' | 'paused' | 'none' | 'stopped'
  text: string
  /** Whom we wait for, in words; empty when the case is finished. */
  waiting: string
}

export function clockLineView(
  ticket: {
    status: string
    due_at: number | null
    paused_at: number | null
    proposed_at: number | null
  },
  phase: ClockLineInput['phase'],
  now: number,
  t: Translate,
  locale: Locale,
): ClockLineView {
  const input: ClockLineInput = {
    status: ticket.status as Status,
    phase,
    dueAt: ticket.due_at,
    pausedAt: ticket.paused_at,
    proposedAt: ticket.proposed_at,
    disputeWindowDays: DISPUTE_WINDOW_DAYS,
    now,
  }
  const line = headerClock(input)
  const d = line.deadline
  const params = d
    ? { when: formatDateTime(d.at, locale), relative: formatRelative(d.at, input.now, locale) }
    : undefined
  const passed = d?.passed === true
  const key = `clockLine.${line.kind}${passed ? '.passed' : ''}` as MessageKey
  const state =
    line.clock === 'stopped'
      ? 'stopped'
      : line.clock === 'paused'
        ? 'paused'
        : d === null
          ? 'none'
          : passed
            ? 'overdue'
            : 'due'
  return {
    kind: line.kind,
    state,
    text: t(key, params),
    waiting: line.waitingFor === 'nobody' ? '' : t(`clockLine.waiting.${line.waitingFor}`),
  }
}
