import { describe, expect, it } from 'vitest'
import { headerClock, type ClockLine, type ClockLineInput } from '../../src/domain/headerClock.js'
import { DISPUTE_WINDOW_DAYS } from '../../src/domain/lifecycle.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 11, 7, 12)
const DUE = NOW + 3 * DAY
const PASSED = NOW - DAY
const PROPOSED = NOW - 10 * DAY
const WINDOW_END = PROPOSED + DISPUTE_WINDOW_DAYS * DAY

type Row = [
  string,
  Partial<ClockLineInput>,
  ClockLine['kind'],
  ClockLine['clock'],
  ClockLine['waitingFor'],
  null | { at: number; whose: 'body' | 'complainant' | 'agent'; passed: boolean },
]

// Each row: the ticket's state → what the header says. Written out by hand.
// prettier-ignore
const TABLE: Row[] = [
  ['new, answer clock', { status: 'new', phase: 'answer', dueAt: DUE }, 'body_answer', 'running', 'agent', { at: DUE, whose: 'body', passed: false }],
  ['open, overdue', { status: 'open', phase: 'answer', dueAt: PASSED }, 'body_answer', 'running', 'agent', { at: PASSED, whose: 'body', passed: true }],
  ['with the body, accept phase', { status: 'waiting_body', phase: 'accept', dueAt: DUE }, 'body_accept', 'running', 'body', { at: DUE, whose: 'body', passed: false }],
  ['with the body, answer phase', { status: 'waiting_body', phase: 'answer', dueAt: DUE }, 'body_answer', 'running', 'body', { at: DUE, whose: 'body', passed: false }],
  ['legal, reminder', { status: 'waiting_body', phase: 'reminder', dueAt: DUE }, 'reminder', 'none', 'body', { at: DUE, whose: 'agent', passed: false }],
  ['legal, no reminder', { status: 'open', phase: 'none', dueAt: null }, 'no_clock', 'none', 'agent', null],
  ['asked the complainant', { status: 'waiting_complainant', phase: 'answer', dueAt: null, pausedAt: PASSED }, 'complainant_answer', 'paused', 'complainant', null],
  // The defect: a pending proposal said "paused" and "waiting for the body" with no deadline.
  ['proposal pending', { status: 'resolution_proposed', phase: 'answer', dueAt: null, pausedAt: PROPOSED, proposedAt: PROPOSED }, 'complainant_decision', 'paused', 'complainant', { at: WINDOW_END, whose: 'complainant', passed: false }],
  ['proposal pending, window over', { status: 'resolution_proposed', phase: 'answer', dueAt: null, pausedAt: PROPOSED, proposedAt: NOW - 61 * DAY }, 'complainant_decision', 'paused', 'complainant', { at: NOW - DAY, whose: 'complainant', passed: true }],
  ['proposal without a date', { status: 'resolution_proposed', phase: 'answer', proposedAt: null }, 'complainant_decision', 'paused', 'complainant', null],
  ['resolved', { status: 'resolved', phase: 'none', pausedAt: PASSED, proposedAt: PROPOSED }, 'stopped', 'stopped', 'nobody', null],
  ['closed', { status: 'closed', phase: 'answer', pausedAt: PASSED }, 'stopped', 'stopped', 'nobody', null],
  ['withdrawn', { status: 'withdrawn', phase: 'none' }, 'stopped', 'stopped', 'nobody', null],
]

describe('the header clock line', () => {
  it.each(TABLE)('%s', (_name, input, kind, clock, waitingFor, deadline) => {
    const line = headerClock({
      status: 'open',
      phase: 'none',
      dueAt: null,
      pausedAt: null,
      proposedAt: null,
      disputeWindowDays: DISPUTE_WINDOW_DAYS,
      now: NOW,
      ...input,
    })
    expect(line).toEqual({ kind, clock, waitingFor, deadline })
  })

  it('never says the clock runs for the body while the complainant is the one we wait for', () => {
    for (const [, input] of TABLE) {
      const line = headerClock({
        status: 'open',
        phase: 'answer',
        dueAt: DUE,
        pausedAt: null,
        proposedAt: null,
        disputeWindowDays: DISPUTE_WINDOW_DAYS,
        now: NOW,
        ...input,
      })
      if (line.waitingFor === 'complainant') {
        expect(line.clock).toBe('paused')
        expect(line.deadline?.whose ?? 'complainant').toBe('complainant')
      }
    }
  })
})
