import { describe, expect, it } from 'vitest'
import { proposalState, recoveredMinor, type ProposalState } from '../../src/domain/resolution.js'

const AT = Date.UTC(2026, 11, 1)

// status, outcome, proposed_at, disputed_at → state; recovered counts only when accepted.
// prettier-ignore
const TABLE: [string, string | null, number | null, number | null, ProposalState][] = [
  ['open',                null,         null, null, 'none'],
  ['resolution_proposed', null,         AT,   null, 'pending'],
  ['resolved',            null,         AT,   null, 'accepted'],
  ['closed',              'resolved',   AT,   null, 'accepted'],
  ['open',                null,         AT,   AT,   'disputed'],
  ['closed',              'resolved',   AT,   AT,   'disputed'],
  ['closed',              'unresolved', AT,   AT,   'disputed'],
  ['closed',              'unresolved', AT,   null, 'lapsed'],
  ['withdrawn',           'withdrawn',  AT,   null, 'lapsed'],
  // Escalated: the proposal of the level left is void (proposed_at cleared).
  ['waiting_body',        null,         null, null, 'none'],
  ['resolved',            null,         null, null, 'none'],
]

describe('where a proposed resolution stands', () => {
  it.each(TABLE)('%s / %s / %s / %s → %s', (status, outcome, proposed, disputed, state) => {
    const t = { status, outcome, proposed_at: proposed, disputed_at: disputed }
    expect(proposalState(t)).toBe(state)
    expect(recoveredMinor({ ...t, amount_recovered_minor: 500 })).toBe(
      state === 'accepted' ? 500 : null,
    )
  })
})
