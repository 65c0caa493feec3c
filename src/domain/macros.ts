// Macros: an administrator's named set of steps (a reply, a status, a priority, a tag) that an
// agent applies to a ticket in one action. Pure: what a macro's steps are, how they are stored,
// and the lifecycle actions they become, in the order the lifecycle can take them.
import type { ActionInput } from './actions.js'
import { CLOSE_OUTCOMES, PRIORITIES, type CloseOutcome, type Priority } from './ladder.js'
import { normalizeTag } from './tags.js'

/**
 * How a macro may change the status: `request_info` sends its reply as a request for
 * information (waiting for the complainant, so it needs a reply); `close` closes the case with
 * the macro's outcome.
 */
export const MACRO_STATUSES = ['request_info', 'close'] as const
export type MacroStatus = (typeof MACRO_STATUSES)[number]
/** A duplicate needs the other case, which a macro cannot know. */
export const MACRO_OUTCOMES = CLOSE_OUTCOMES.filter((o) => o !== 'duplicate')

export interface MacroSteps {
  /** Public reply; may hold the placeholders of MACRO_PLACEHOLDERS. */
  reply: string | null
  status: MacroStatus | null
  /** With status `close`. */
  outcome: CloseOutcome | null
  priority: Priority | null
  /** A tag to add, normalised (domain/tags.ts). */
  tag: string | null
}

export const MACRO_PLACEHOLDERS = ['{case}', '{name}'] as const

/** The reply with {case} and {name} filled in; other braces stay as written. */
export function fillPlaceholders(text: string, values: { caseNumber: string; name: string }) {
  return text.replaceAll('{case}', values.caseNumber).replaceAll('{name}', values.name)
}

/** Why a set of steps cannot be a macro, or null when it can. */
export type MacroProblem = 'no_steps' | 'reply_required' | 'outcome_required'

export function macroProblem(s: MacroSteps): MacroProblem | null {
  if (!s.reply && !s.status && !s.priority && !s.tag) return 'no_steps'
  if (s.status === 'request_info' && !s.reply) return 'reply_required'
  if (s.status === 'close' && !s.outcome) return 'outcome_required'
  return null
}

/** The stored form (macros.steps, JSON); anything unreadable in it is left out. */
export function parseSteps(json: string): MacroSteps {
  let raw: Record<string, unknown> = {}
  try {
    const v = JSON.parse(json) as unknown
    if (v && typeof v === 'object') raw = v as Record<string, unknown>
  } catch {
    // An unreadable row is a macro without steps; applying it is refused.
  }
  const str = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? raw[k] : null)
  const oneOf = <T extends string>(k: string, values: readonly T[]) => {
    const v = str(k)
    return v !== null && (values as readonly string[]).includes(v) ? (v as T) : null
  }
  const tag = str('tag')
  const normal = tag === null ? null : normalizeTag(tag)
  return {
    reply: str('reply'),
    status: oneOf('status', MACRO_STATUSES),
    outcome: oneOf('outcome', MACRO_OUTCOMES),
    priority: oneOf('priority', PRIORITIES),
    tag: normal?.ok ? normal.tag : null,
  }
}

export function stepsJson(s: MacroSteps): string {
  return JSON.stringify({
    reply: s.reply,
    status: s.status,
    outcome: s.status === 'close' ? s.outcome : null,
    priority: s.priority,
    tag: s.tag,
  })
}

/**
 * The lifecycle actions of a macro, in order: the tag and the priority first, then the reply
 * (as a request for information when the macro waits for the complainant), the closing last,
 * since a closed case takes nothing but reopen.
 */
export function macroActions(
  s: MacroSteps,
  ticket: { caseNumber: string; complainantName: string },
): ActionInput[] {
  const out: ActionInput[] = []
  if (s.tag) out.push({ type: 'add_tag', tag: s.tag })
  if (s.priority) out.push({ type: 'set_priority', priority: s.priority })
  const reply = s.reply
    ? fillPlaceholders(s.reply, { caseNumber: ticket.caseNumber, name: ticket.complainantName })
    : null
  if (reply !== null)
    out.push({ type: s.status === 'request_info' ? 'request_info' : 'reply', body: reply })
  if (s.status === 'close' && s.outcome)
    out.push({ type: 'close', outcome: s.outcome, note: null, duplicateOfId: null })
  return out
}
