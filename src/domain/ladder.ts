// The escalation ladder and the vocabulary every other module shares.

export const LEVELS = ['platform', 'consumer_association', 'regulator', 'legal'] as const
export type Level = (typeof LEVELS)[number]

export const STATUSES = [
  'new',
  'open',
  'waiting_complainant',
  'waiting_body',
  'resolution_proposed',
  'resolved',
  'closed',
  'withdrawn',
] as const
export type Status = (typeof STATUSES)[number]

/** Statuses in which nothing more happens until someone reopens the ticket. */
export const TERMINAL_STATUSES: readonly Status[] = ['closed', 'withdrawn']
/** Statuses that count as work still to do (queues, backlog, overdue). */
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s) && s !== 'resolved',
)

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

export const ESCALATION_REASONS = ['refused', 'no_answer', 'disputed', 'other'] as const
export type EscalationReason = (typeof ESCALATION_REASONS)[number]

export const BODY_OUTCOMES = ['accepted', 'answered', 'refused', 'no_answer', 'resolved'] as const
export type BodyOutcome = (typeof BODY_OUTCOMES)[number]

export const CLOSE_OUTCOMES = ['resolved', 'unresolved', 'withdrawn', 'duplicate'] as const
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number]

export const RELIEF_TYPES = ['monetary', 'non_monetary', 'explanation'] as const
export type Relief = (typeof RELIEF_TYPES)[number]

export const CONTACT_CHANNELS = ['phone', 'in_app', 'email', 'chat', 'in_person', 'other'] as const
export type ContactChannel = (typeof CONTACT_CHANNELS)[number]

export const DESIRED_OUTCOMES = [
  'refund',
  'close_account',
  'unblock',
  'explanation',
  'compensation',
  'other',
] as const
export type DesiredOutcome = (typeof DESIRED_OUTCOMES)[number]

export function isLevel(v: string): v is Level {
  return (LEVELS as readonly string[]).includes(v)
}
export function isStatus(v: string): v is Status {
  return (STATUSES as readonly string[]).includes(v)
}

export function nextLevel(level: Level): Level | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null
}

export function levelIndex(level: Level): number {
  return LEVELS.indexOf(level)
}
