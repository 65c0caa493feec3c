import { describe, expect, it } from 'vitest'
import { STATUSES, type Status } from '../../src/domain/ladder.js'
import { decide, type Actor, type TicketState } from '../../src/domain/lifecycle.js'
import {
  clockChange,
  clockRuns,
  nextStageFacts,
  ticketClock,
  type StageEffect,
  type StageFacts,
} from '../../src/domain/stages.js'

const NOW = Date.UTC(2026, 10, 23, 2)
const EARLIER = NOW - 3_600_000

// Where the clock runs: Y runs, - paused or stopped. Written out by hand.
//                  new open wc  wb  rp  res clo wd
const RUNS = '       Y   Y   -   Y   -   -   -   -'
const COLUMNS: Status[] = [
  'new',
  'open',
  'waiting_complainant',
  'waiting_body',
  'resolution_proposed',
  'resolved',
  'closed',
  'withdrawn',
]

describe('the clock', () => {
  it('runs exactly in new, open and waiting for the body', () => {
    const marks = RUNS.trim().split(/\s+/)
    for (const [i, status] of COLUMNS.entries())
      expect(clockRuns(status), status).toBe(marks[i] === 'Y')
    expect(COLUMNS.slice().sort()).toEqual([...STATUSES].sort())
  })

  // from, to, effect → runs after, pause change
  const TABLE: [Status, Status, StageEffect['kind'], boolean, 'start' | 'end' | 'none'][] = [
    ['open', 'open', 'none', true, 'none'],
    ['open', 'waiting_complainant', 'first_response', false, 'start'],
    ['waiting_complainant', 'open', 'none', true, 'end'],
    ['open', 'resolution_proposed', 'answered', false, 'start'],
    ['resolution_proposed', 'resolved', 'none', false, 'none'],
    ['resolved', 'open', 'none', true, 'end'],
    ['closed', 'open', 'none', true, 'end'],
    ['new', 'closed', 'none', false, 'start'],
    ['waiting_complainant', 'closed', 'none', false, 'none'],
    // Entering a stage ends the old stage's pause; the new stage pauses only if the clock stops.
    ['open', 'waiting_body', 'enter', true, 'none'],
    ['waiting_body', 'waiting_body', 'enter', true, 'none'],
  ]
  it.each(TABLE)('from %s to %s with %s: runs %s, pause %s', (from, to, kind, runs, pause) => {
    const effect = (
      kind === 'enter'
        ? { kind, level: 'consumer_association', reason: 'refused', externalRef: null }
        : kind === 'body_said'
          ? { kind, outcome: 'answered', externalRef: null }
          : { kind }
    ) as StageEffect
    expect(clockChange(from, to, effect)).toEqual({ runs, pause })
  })

  it('gives the ticket its due date while it runs, and when it stopped while it does not', () => {
    expect(ticketClock(true, 123, [{ start: 1, end: 2 }])).toEqual({ dueAt: 123, pausedAt: null })
    expect(
      ticketClock(false, 123, [
        { start: 1, end: 2 },
        { start: 5, end: null },
      ]),
    ).toEqual({ dueAt: null, pausedAt: 5 })
    expect(ticketClock(false, 123, [])).toEqual({ dueAt: null, pausedAt: null })
  })
})

describe('what a stage keeps', () => {
  const fresh: StageFacts = {
    firstResponseAt: null,
    answeredAt: null,
    acceptedAt: null,
    outcome: null,
    answer: null,
    externalRef: null,
  }
  const seen: StageFacts = {
    firstResponseAt: EARLIER,
    answeredAt: EARLIER,
    acceptedAt: EARLIER,
    outcome: 'accepted',
    answer: 'old',
    externalRef: 'R-0',
  }

  // effect → the facts of a fresh stage after it (null: nothing changes)
  const TABLE: [string, StageEffect, Partial<StageFacts> | null][] = [
    ['nothing', { kind: 'none' }, null],
    ['a first response', { kind: 'first_response' }, { firstResponseAt: NOW }],
    ['an answer', { kind: 'answered' }, { firstResponseAt: NOW, answeredAt: NOW }],
    [
      'an acceptance (a receipt, not an answer)',
      { kind: 'body_said', outcome: 'accepted', externalRef: 'R-1' },
      {
        firstResponseAt: NOW,
        acceptedAt: NOW,
        outcome: 'accepted',
        answer: 'said',
        externalRef: 'R-1',
      },
    ],
    [
      'an answer by the body',
      { kind: 'body_said', outcome: 'answered', externalRef: null },
      { firstResponseAt: NOW, answeredAt: NOW, outcome: 'answered', answer: 'said' },
    ],
    [
      'a refusal',
      { kind: 'body_said', outcome: 'refused', externalRef: null },
      { firstResponseAt: NOW, answeredAt: NOW, outcome: 'refused', answer: 'said' },
    ],
    [
      'a resolution',
      { kind: 'body_said', outcome: 'resolved', externalRef: null },
      { firstResponseAt: NOW, answeredAt: NOW, outcome: 'resolved', answer: 'said' },
    ],
    [
      'no answer',
      { kind: 'body_said', outcome: 'no_answer', externalRef: null },
      { firstResponseAt: NOW, outcome: 'no_answer', answer: 'said' },
    ],
    [
      'entering a new stage',
      { kind: 'enter', level: 'regulator', reason: 'refused', externalRef: null },
      null,
    ],
  ]
  it.each(TABLE)('after %s', (_name, effect, expected) => {
    const after = nextStageFacts(fresh, effect, 'said', NOW)
    expect(after).toEqual(expected === null ? null : { ...fresh, ...expected })
  })

  it('keeps each moment from the first time and an earlier reference when none is given', () => {
    expect(
      nextStageFacts(
        seen,
        { kind: 'body_said', outcome: 'accepted', externalRef: null },
        'again',
        NOW,
      ),
    ).toEqual({
      ...seen,
      answer: 'again',
    })
    expect(nextStageFacts(seen, { kind: 'answered' }, null, NOW)).toEqual(seen)
  })
})

describe('decide() returns the clock change as data', () => {
  const agent: Actor = { kind: 'staff', role: 'agent', userId: 1 }
  const state = (status: Status): TicketState => ({
    status,
    level: 'platform',
    priority: 'normal',
    assigneeId: 1,
    disputedAt: null,
    proposedAt: null,
  })
  it('pauses the clock when information is requested and resumes it when the complainant answers', () => {
    const asked = decide(state('open'), { type: 'request_info', body: 'Receipt?' }, agent, NOW)
    expect(asked).toMatchObject({
      ok: true,
      stage: { kind: 'first_response' },
      clock: { runs: false, pause: 'start' },
    })
    const answered = decide(
      state('waiting_complainant'),
      { type: 'comment', body: 'Here.' },
      { kind: 'complainant' },
      NOW,
    )
    expect(answered).toMatchObject({ ok: true, clock: { runs: true, pause: 'end' } })
  })
  it('records the outcome fields of closing, withdrawing, reopening and proposing', () => {
    expect(
      decide(
        state('open'),
        { type: 'close', outcome: 'duplicate', note: null, duplicateOfId: 9 },
        agent,
        NOW,
      ),
    ).toMatchObject({
      fields: { closedAt: NOW, outcome: 'duplicate', duplicateOfId: 9 },
    })
    expect(
      decide(state('open'), { type: 'withdraw', reason: null }, { kind: 'complainant' }, NOW),
    ).toMatchObject({
      fields: { closedAt: NOW, outcome: 'withdrawn' },
    })
    expect(decide(state('closed'), { type: 'reopen', note: null }, agent, NOW)).toMatchObject({
      fields: { closedAt: null, outcome: null },
    })
    expect(
      decide(
        state('open'),
        { type: 'propose_resolution', body: 'x', relief: 'monetary', amountRecoveredMinor: 500 },
        agent,
        NOW,
      ),
    ).toMatchObject({
      fields: { relief: 'monetary', amountRecoveredMinor: 500 },
    })
    expect(decide(state('open'), { type: 'note', body: 'x' }, agent, NOW)).toMatchObject({
      fields: {},
    })
  })
})
