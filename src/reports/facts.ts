// What the reports measure of one ticket and its stages, as plain data: each stage's fact row
// (report_stages) with its timeliness and measured durations. Pure. The definitions here are the
// reports' definitions (see the "how this is counted" notes); change them only together with
// rebuild.ts.
import type { ReportStagesTable } from '../db/schema.js'
import type { Interval } from '../domain/clocks.js'
import { assigneeKey, providerKey } from './layout.js'
import { reportDay } from './periods.js'

export const PROPOSAL_EVENTS = ['resolution_proposed', 'accepted', 'disputed'] as const

/** The ticket columns the reports read. */
export interface FactTicket {
  id: number
  created_at: number
  provider_id: number | null
  category: string
  assignee_id: number | null
  level: string
  status: string
  outcome: string | null
  relief: string | null
  currency: string
  amount_minor: number | null
  amount_recovered_minor: number | null
  /** With disputed_at, whether the proposal was accepted (domain/resolution.ts). */
  proposed_at: number | null
  disputed_at: number | null
  closed_at: number | null
  due_at: number | null
}

export interface FactStage {
  id: number
  level: string
  entered_at: number
  left_at: number | null
  first_response_at: number | null
  answered_at: number | null
  due_at: number | null
}

/** Timeliness of a stage: not counted, counted late, timely, or waiting (counted once due < now). */
export const T_NONE = 0
export const T_LATE = 1
export const T_TIMELY = 2
export const T_PENDING = 3

/** One row of report_stages: a ladder stage with what the reports measure of it. */
export type StageFact = ReportStagesTable

const CLOSED = ['closed', 'withdrawn']
/** Open as the queues and reports have always counted it: not resolved, closed or withdrawn. */
export const isOpen = (status: string) => status !== 'resolved' && !CLOSED.includes(status)
export const isClosed = (status: string) => CLOSED.includes(status)
export const isResolved = (t: Pick<FactTicket, 'status' | 'outcome'>) =>
  t.status === 'resolved' || t.outcome === 'resolved'

/** Milliseconds of pauses inside [from, to], each clipped on its own (as the SQL always did). */
export function pausedWithin(pauses: readonly Interval[], from: number, to: number): number {
  let sum = 0
  for (const p of pauses) {
    const a = Math.max(p.start, from)
    const b = Math.min(p.end ?? to, to)
    if (b > a) sum += b - a
  }
  return sum
}

export function timeliness(t: FactTicket, s: FactStage): number {
  if (s.due_at === null) return T_NONE
  if (s.answered_at !== null) return s.answered_at <= s.due_at ? T_TIMELY : T_LATE
  // Escalated without a recorded answer: counted, never timely.
  if (s.left_at !== null) return T_LATE
  if (isClosed(t.status) && t.closed_at !== null) return s.due_at < t.closed_at ? T_LATE : T_NONE
  return T_PENDING
}

/** The end of the stage at which a resolved ticket ended: its answer, else the closing. */
export function resolutionEnd(t: FactTicket, s: FactStage): number | null {
  if (s.left_at !== null || !isResolved(t)) return null
  return s.answered_at ?? t.closed_at
}

/** Working-day measuring for stages at working-day levels; null while stored values are stale. */
export interface WorkdayMeasure {
  gen: number
  levels: ReadonlySet<string>
  days(from: number, to: number, pauses: readonly Interval[]): number
}

/** Whether deriving this stage's fact needs its clock pauses (a duration to measure anew). */
export function needsPauses(
  t: FactTicket,
  s: FactStage,
  prev: StageFact | undefined,
  wd: WorkdayMeasure | null,
): boolean {
  const end = resolutionEnd(t, s)
  const fresh = (at: number | null, prevAt: number | null | undefined) =>
    at !== null && at !== prevAt
  if (fresh(s.first_response_at, prev?.fr_at) || fresh(end, prev?.res_end)) return true
  if (!wd || !wd.levels.has(s.level)) return false
  const stale = !prev || prev.wd_gen !== wd.gen
  return stale && (s.first_response_at !== null || end !== null)
}

export function deriveStageFact(
  t: FactTicket,
  s: FactStage,
  prev: StageFact | undefined,
  pauses: readonly Interval[] | undefined,
  wd: WorkdayMeasure | null,
  proposals: { pp: number; pa: number; px: number },
): StageFact {
  const end = resolutionEnd(t, s)
  const fr = s.first_response_at
  const sameFr = prev !== undefined && prev.fr_at === fr
  const sameEnd = prev !== undefined && prev.res_end === end
  const need = () => {
    if (!pauses) throw new Error(`stage ${s.id}: pauses needed but not loaded`)
    return pauses
  }
  const fr_ms =
    fr === null
      ? null
      : sameFr
        ? prev.fr_ms
        : fr - s.entered_at - pausedWithin(need(), s.entered_at, fr)
  const res_ms =
    end === null
      ? null
      : sameEnd
        ? prev.res_ms
        : end - s.entered_at - pausedWithin(need(), s.entered_at, end)
  const rcpt_ms = end === null ? null : end - t.created_at

  let fr_wd: number | null = null
  let res_wd: number | null = null
  let wd_gen = 0
  if (wd && wd.levels.has(s.level)) {
    const valid = prev !== undefined && prev.wd_gen === wd.gen
    fr_wd = fr === null ? null : valid && sameFr ? prev.fr_wd : wd.days(s.entered_at, fr, need())
    res_wd =
      end === null ? null : valid && sameEnd ? prev.res_wd : wd.days(s.entered_at, end, need())
    wd_gen = fr === null && end === null ? 0 : wd.gen
  } else if (!wd && prev && prev.wd_gen > 0 && sameFr && sameEnd) {
    // Measured before and unchanged: keep it (whether it is still current is the reader's check).
    fr_wd = prev.fr_wd
    res_wd = prev.res_wd
    wd_gen = prev.wd_gen
  }
  return {
    created_day: reportDay(t.created_at),
    ticket_id: t.id,
    stage_id: s.id,
    level: s.level,
    entered_at: s.entered_at,
    left_at: s.left_at,
    provider_id: providerKey(t.provider_id),
    category: t.category,
    currency: t.currency,
    assignee_id: assigneeKey(t.assignee_id),
    tstate: timeliness(t, s),
    due_at: s.due_at,
    fr_at: fr,
    fr_ms,
    res_end: end,
    res_ms,
    rcpt_ms,
    fr_wd,
    res_wd,
    wd_gen,
    ...proposals,
  }
}

/** Resolution proposals, acceptances and disputes per stage: each event counts for every stage
 * whose time span [entered, left) holds it, as the reports have always joined them. */
export function attributeProposals(
  stages: readonly Pick<FactStage, 'id' | 'entered_at' | 'left_at'>[],
  events: readonly { type: string; created_at: number }[],
): Map<number, { pp: number; pa: number; px: number }> {
  const out = new Map(stages.map((s) => [s.id, { pp: 0, pa: 0, px: 0 }]))
  for (const e of events) {
    const col =
      e.type === 'resolution_proposed'
        ? 'pp'
        : e.type === 'accepted'
          ? 'pa'
          : e.type === 'disputed'
            ? 'px'
            : null
    if (!col) continue
    for (const s of stages) {
      if (s.entered_at <= e.created_at && (s.left_at === null || e.created_at < s.left_at))
        out.get(s.id)![col]++
    }
  }
  return out
}

const TICKET_FIELDS = [
  'created_at',
  'provider_id',
  'category',
  'assignee_id',
  'level',
  'status',
  'outcome',
  'relief',
  'currency',
  'amount_minor',
  'amount_recovered_minor',
  'proposed_at',
  'disputed_at',
  'closed_at',
  'due_at',
] as const satisfies readonly (keyof FactTicket)[]

/** Whether two ticket rows count for exactly the same rollup rows (most actions change none). */
export function sameTicketFacts(a: FactTicket, b: FactTicket): boolean {
  return TICKET_FIELDS.every((k) => a[k] === b[k])
}

export function sameFact(a: StageFact, b: StageFact): boolean {
  return (Object.keys(a) as (keyof StageFact)[]).every((k) => a[k] === b[k])
}
