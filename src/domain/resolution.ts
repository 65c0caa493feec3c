// Where a ticket's proposed resolution stands, and what of it counts as the outcome. Pure.
//
// A proposal is the outcome only once accepted: the complainant accepted it (status resolved) or
// the case was closed as resolved while it stood undisputed. A disputed proposal is shown as
// proposed and disputed; its amount is never counted as recovered. An escalation voids the
// proposal of the level it leaves (proposed_at is cleared), so its amount stops counting too.

export type ProposalState = 'none' | 'pending' | 'disputed' | 'accepted' | 'lapsed'

export interface ProposalFacts {
  status: string
  outcome: string | null
  proposed_at: number | null
  disputed_at: number | null
}

export function proposalState(t: ProposalFacts): ProposalState {
  if (t.proposed_at === null) return 'none'
  if (t.disputed_at !== null) return 'disputed'
  if (t.status === 'resolution_proposed') return 'pending'
  if (t.status === 'resolved' || t.outcome === 'resolved') return 'accepted'
  // Closed otherwise (unresolved, withdrawn) or reopened without a dispute: not the outcome.
  return 'lapsed'
}

/** The amount recovered as the reports and dossiers count it: only from an accepted resolution. */
export function recoveredMinor(
  t: ProposalFacts & { amount_recovered_minor: number | null },
): number | null {
  return proposalState(t) === 'accepted' ? t.amount_recovered_minor : null
}

/** The same rule in SQL over a tickets row aliased `t`, for the reports' full rebuild. */
export const ACCEPTED_SQL = `(t.proposed_at is not null and t.disputed_at is null and (t.status = 'resolved' or t.outcome = 'resolved'))`
