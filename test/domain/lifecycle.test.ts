import { describe, expect, it } from 'vitest'
import { LEVELS, STATUSES, type Level, type Status } from '../../src/domain/ladder.js'
import {
  DISPUTE_WINDOW_DAYS,
  availableActions,
  decide,
  type Actor,
  type TicketState,
} from '../../src/domain/lifecycle.js'
import {
  ACTION_TYPES,
  COMPLAINANT_ACTIONS,
  STAFF_ACTIONS,
  type ActionInput,
  type ActionType,
} from '../../src/domain/actions.js'

const LINK_END = { id: 2, caseNumber: 'LD-2026-000002', self: false, mirror: false }
const NOW = Date.UTC(2026, 10, 23, 2, 0)
const DAY = 86_400_000
const agent: Actor = { kind: 'staff', role: 'agent', userId: 7 }
const complainant: Actor = { kind: 'complainant' }

// Which statuses each action may start from: Y allowed, - refused. Written out by hand, apart
// from the module's own table, so a change to the rules has to change this picture too.
//                         new open wc  wb  rp  res clo wd
const MATRIX: Record<ActionType, string> = {
  assign: '   Y   Y   Y   Y   Y   Y   -   -',
  reply: '   Y   Y   Y   Y   Y   Y   -   -',
  note: '   Y   Y   Y   Y   Y   Y   -   -',
  request_info: '   Y   Y   -   Y   -   -   -   -',
  record_contact: '   Y   Y   -   Y   -   -   -   -',
  propose_resolution: '   Y   Y   -   Y   -   -   -   -',
  escalate: '   Y   Y   -   Y   -   -   -   -',
  close: '   Y   Y   Y   Y   Y   Y   -   -',
  reopen: '   -   -   -   -   -   Y   Y   Y',
  set_priority: '   Y   Y   Y   Y   Y   Y   -   -',
  mark_complex: '   Y   Y   Y   Y   Y   Y   -   -',
  set_reminder: '   Y   Y   Y   Y   Y   Y   -   -',
  add_evidence: '   Y   Y   Y   Y   Y   Y   -   -',
  accept: '   -   -   -   -   Y   -   -   -',
  dispute: '   -   -   -   -   Y   Y   -   -',
  withdraw: '   Y   Y   Y   Y   Y   Y   -   -',
  comment: '   Y   Y   Y   Y   Y   Y   -   -',
  log_contact: '   Y   Y   Y   Y   Y   Y   -   -',
  add_tag: '   Y   Y   Y   Y   Y   Y   -   -',
  remove_tag: '   Y   Y   Y   Y   Y   Y   -   -',
  link: '   Y   Y   Y   Y   Y   Y   Y   Y',
  unlink: '   Y   Y   Y   Y   Y   Y   Y   Y',
}
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

function allowedFrom(action: ActionType): Set<Status> {
  const marks = MATRIX[action].trim().split(/\s+/)
  return new Set(COLUMNS.filter((_, i) => marks[i] === 'Y'))
}

/** A complete, valid input for each action, so only status, level and actor decide. */
function validInput(action: ActionType): ActionInput {
  switch (action) {
    case 'assign':
      return { type: 'assign', assigneeId: 99 }
    case 'reply':
      return { type: 'reply', body: 'We are on it.' }
    case 'note':
      return { type: 'note', body: 'Called the provider.' }
    case 'request_info':
      return { type: 'request_info', body: 'Please send the receipt.' }
    case 'record_contact':
      return {
        type: 'record_contact',
        body: 'They accepted.',
        externalRef: 'R-1',
        outcome: 'accepted',
      }
    case 'propose_resolution':
      return {
        type: 'propose_resolution',
        body: 'Refund of 20.00',
        relief: 'monetary',
        amountRecoveredMinor: 2000,
      }
    case 'accept':
      return { type: 'accept', reason: null }
    case 'dispute':
      return { type: 'dispute', reason: 'Only half came back.' }
    case 'escalate':
      return { type: 'escalate', reason: 'refused', note: null }
    case 'close':
      return { type: 'close', outcome: 'resolved', note: null, duplicateOfId: null }
    case 'reopen':
      return { type: 'reopen', note: null }
    case 'set_priority':
      return { type: 'set_priority', priority: 'urgent' }
    case 'mark_complex':
      return { type: 'mark_complex', complex: true }
    case 'set_reminder':
      return { type: 'set_reminder', reminderAt: NOW + 30 * DAY }
    case 'withdraw':
      return { type: 'withdraw', reason: null }
    case 'comment':
      return { type: 'comment', body: 'Here is the screenshot.' }
    case 'add_evidence':
      return { type: 'add_evidence', fileCount: 1 }
    case 'log_contact':
      return { type: 'log_contact', summary: 'Phoned support on Monday.' }
    case 'add_tag':
      return { type: 'add_tag', tag: 'vip' }
    case 'remove_tag':
      return { type: 'remove_tag', tag: 'seen' }
    case 'link':
      return { type: 'link', relation: 'related', other: LINK_END, existing: null }
    case 'unlink':
      return { type: 'unlink', other: LINK_END, existing: 'related' }
  }
}

function state(status: Status, level: Level, extra: Partial<TicketState> = {}): TicketState {
  return {
    status,
    level,
    priority: 'normal',
    assigneeId: null,
    disputedAt: null,
    proposedAt: NOW - DAY,
    tags: ['seen'],
    ...extra,
  }
}

const actorFor = (action: ActionType): Actor =>
  (STAFF_ACTIONS as readonly string[]).includes(action) ? agent : complainant

describe('the lifecycle, every (status, level, action) pair', () => {
  it('has a row in the matrix for every action the module knows', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTION_TYPES].sort())
  })

  const cases = STATUSES.flatMap((status) =>
    LEVELS.flatMap((level) => ACTION_TYPES.map((action) => ({ status, level, action }))),
  )

  it.each(cases)('$action from $status at $level', ({ status, level, action }) => {
    const result = decide(state(status, level), validInput(action), actorFor(action), NOW)
    const allowed = allowedFrom(action).has(status) && !(action === 'escalate' && level === 'legal')
    if (allowed) {
      expect(result.ok, JSON.stringify(result)).toBe(true)
      return
    }
    expect(result.ok).toBe(false)
    if (result.ok) return
    if (status === 'closed' || status === 'withdrawn')
      expect(result.code).toBe('closed_only_reopen')
    else if (action === 'escalate' && level === 'legal' && allowedFrom(action).has(status))
      expect(result.code).toBe('top_of_ladder')
    else expect(result.code).toBe('not_in_this_status')
    expect(result.httpStatus).toBe(409)
  })

  it.each(ACTION_TYPES)('%s is refused to the wrong kind of actor', (action) => {
    const staffMay = (STAFF_ACTIONS as readonly string[]).includes(action)
    const complainantMay = (COMPLAINANT_ACTIONS as readonly string[]).includes(action)
    for (const [actor, may] of [
      [agent, staffMay],
      [complainant, complainantMay],
    ] as const) {
      if (may) continue
      const result = decide(state('open', 'platform'), validInput(action), actor, NOW)
      expect(result).toMatchObject({ ok: false, code: 'not_for_this_actor', httpStatus: 403 })
    }
  })

  it('offers exactly the allowed actions for each status and actor', () => {
    for (const status of STATUSES) {
      for (const actor of [agent, complainant]) {
        const mayAct = (a: ActionType) =>
          (actor.kind === 'staff' ? STAFF_ACTIONS : COMPLAINANT_ACTIONS).some((x) => x === a)
        const expected = ACTION_TYPES.filter((a) => allowedFrom(a).has(status) && mayAct(a))
        expect(availableActions(state(status, 'platform'), actor).sort()).toEqual(
          [...expected].sort(),
        )
        expect(availableActions(state(status, 'legal'), actor).sort()).toEqual(
          expected.filter((a) => a !== 'escalate').sort(),
        )
      }
    }
  })
})

describe('what each action leads to', () => {
  const ok = (s: TicketState, input: ActionInput, actor: Actor = actorFor(input.type)) => {
    const r = decide(s, input, actor, NOW)
    if (!r.ok) throw new Error(`refused: ${r.code}`)
    return r
  }

  it('escalates one rung at a time, waiting on the next body, with a new stage', () => {
    let s = state('open', 'platform')
    for (const [from, to] of [
      ['platform', 'consumer_association'],
      ['consumer_association', 'regulator'],
      ['regulator', 'legal'],
    ] as const) {
      expect(s.level).toBe(from)
      const r = ok(s, { type: 'escalate', reason: 'no_answer', note: null, externalRef: 'X-1' })
      expect(r).toMatchObject({
        level: to,
        status: 'waiting_body',
        stage: { kind: 'enter', level: to, reason: 'no_answer', externalRef: 'X-1' },
      })
      expect(r.event).toMatchObject({ type: 'escalated', visibility: 'public' })
      expect(r.event.payload).toMatchObject({ from: { level: from }, to: { level: to } })
      s = { ...s, level: r.level, status: 'open' }
    }
    expect(decide(s, validInput('escalate'), agent, NOW)).toMatchObject({
      ok: false,
      code: 'top_of_ladder',
    })
  })

  it('needs a note to escalate for another reason, and a prior dispute to escalate as disputed', () => {
    const s = state('open', 'platform')
    expect(decide(s, { type: 'escalate', reason: 'other', note: '  ' }, agent, NOW)).toMatchObject({
      ok: false,
      code: 'note_required_for_other',
      httpStatus: 422,
    })
    expect(
      ok(s, { type: 'escalate', reason: 'other', note: 'Provider went bankrupt' }).event.body,
    ).toBe('Provider went bankrupt')
    expect(
      decide(s, { type: 'escalate', reason: 'disputed', note: null }, agent, NOW),
    ).toMatchObject({ ok: false, code: 'dispute_required' })
    const disputed = ok(
      state('resolution_proposed', 'platform'),
      { type: 'dispute', reason: 'Not enough' },
      complainant,
    )
    expect(disputed).toMatchObject({ status: 'open', disputedAt: NOW })
    const after = ok(
      { ...s, disputedAt: disputed.disputedAt },
      { type: 'escalate', reason: 'disputed', note: null },
    )
    expect(after.disputedAt).toBeNull()
  })

  it('lets the complainant dispute only within 60 days of the proposal', () => {
    const proposedAt = NOW - (DISPUTE_WINDOW_DAYS + 1) * DAY
    expect(
      decide(
        state('resolved', 'platform', { proposedAt }),
        { type: 'dispute', reason: 'late' },
        complainant,
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'dispute_window_over' })
    expect(
      decide(
        state('resolved', 'platform', { proposedAt: NOW - 59 * DAY }),
        { type: 'dispute', reason: 'in time' },
        complainant,
        NOW,
      ).ok,
    ).toBe(true)
    expect(
      decide(
        state('resolution_proposed', 'platform'),
        { type: 'dispute', reason: ' ' },
        complainant,
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'reason_required' })
  })

  it('maps what an outside body said to the next status', () => {
    const s = state('waiting_body', 'consumer_association')
    const expected = {
      accepted: 'waiting_body',
      answered: 'open',
      refused: 'open',
      no_answer: 'open',
      resolved: 'resolved',
    } as const
    for (const [outcome, status] of Object.entries(expected)) {
      const r = ok(s, {
        type: 'record_contact',
        body: 'said so',
        externalRef: null,
        outcome: outcome as keyof typeof expected,
      })
      expect(r.status, outcome).toBe(status)
      expect(r.stage).toMatchObject({ kind: 'body_said', outcome })
      expect(r.event.visibility).toBe('internal')
    }
  })

  it('requires an amount for a monetary resolution and refuses one otherwise', () => {
    const s = state('open', 'platform')
    expect(
      decide(
        s,
        { type: 'propose_resolution', body: 'x', relief: 'monetary', amountRecoveredMinor: null },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'amount_required' })
    expect(
      decide(
        s,
        { type: 'propose_resolution', body: 'x', relief: 'monetary', amountRecoveredMinor: 0 },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'amount_required' })
    expect(
      decide(
        s,
        { type: 'propose_resolution', body: 'x', relief: 'explanation', amountRecoveredMinor: 500 },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'amount_not_allowed' })
    const r = ok(s, {
      type: 'propose_resolution',
      body: 'Refund',
      relief: 'monetary',
      amountRecoveredMinor: 500,
    })
    expect(r).toMatchObject({
      status: 'resolution_proposed',
      proposedAt: NOW,
      stage: { kind: 'answered' },
    })
    expect(r.event.payload['disputeUntil']).toBe(NOW + 60 * DAY)
  })

  it('closes with an outcome, needs the duplicate for a duplicate, and reopens', () => {
    const s = state('open', 'regulator')
    expect(
      decide(
        s,
        { type: 'close', outcome: 'duplicate', note: null, duplicateOfId: null },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'duplicate_of_required', httpStatus: 422 })
    const closed = ok(s, { type: 'close', outcome: 'duplicate', note: null, duplicateOfId: 12 })
    expect(closed.status).toBe('closed')
    expect(closed.event.payload).toMatchObject({ outcome: 'duplicate', duplicateOfId: 12 })
    expect(ok(state('closed', 'regulator'), { type: 'reopen', note: 'New facts' })).toMatchObject({
      status: 'open',
      level: 'regulator',
    })
  })

  it('moves a new ticket to open on first handling and back from waiting when the complainant answers', () => {
    expect(ok(state('new', 'platform'), { type: 'assign', assigneeId: 3 })).toMatchObject({
      status: 'open',
      assigneeId: 3,
    })
    expect(ok(state('new', 'platform'), { type: 'reply', body: 'Hi' })).toMatchObject({
      status: 'open',
      stage: { kind: 'first_response' },
    })
    expect(ok(state('open', 'platform'), { type: 'request_info', body: 'Receipt?' }).status).toBe(
      'waiting_complainant',
    )
    expect(
      ok(state('waiting_complainant', 'platform'), { type: 'comment', body: 'Attached' }).status,
    ).toBe('open')
    expect(
      ok(
        state('waiting_complainant', 'platform'),
        { type: 'add_evidence', fileCount: 2 },
        complainant,
      ).status,
    ).toBe('open')
    expect(
      ok(state('waiting_complainant', 'platform'), { type: 'add_evidence', fileCount: 2 }, agent)
        .status,
    ).toBe('waiting_complainant')
    expect(
      ok(state('waiting_body', 'platform'), { type: 'comment', body: 'Any news?' }).status,
    ).toBe('waiting_body')
  })

  it('keeps internal notes, assignment and priority out of the public timeline', () => {
    expect(ok(state('open', 'platform'), validInput('note')).event.visibility).toBe('internal')
    expect(ok(state('open', 'platform'), validInput('assign')).event.visibility).toBe('internal')
    expect(ok(state('open', 'platform'), validInput('set_priority')).event.visibility).toBe(
      'internal',
    )
    expect(ok(state('open', 'platform'), validInput('mark_complex'))).toMatchObject({
      complex: true,
      event: { type: 'complex_marked', visibility: 'internal' },
    })
    expect(ok(state('open', 'legal'), validInput('set_reminder'))).toMatchObject({
      reminderAt: NOW + 30 * DAY,
      event: { type: 'reminder_set' },
    })
    expect(ok(state('open', 'platform'), validInput('reply')).event.visibility).toBe('public')
  })

  it('refuses empty bodies and changes that change nothing', () => {
    for (const type of ['reply', 'note', 'request_info', 'comment'] as const) {
      expect(
        decide(
          state('open', 'platform'),
          { type, body: ' \n ' } as ActionInput,
          actorFor(type),
          NOW,
        ),
      ).toMatchObject({ code: 'body_required', httpStatus: 422 })
    }
    expect(
      decide(
        state('open', 'platform', { assigneeId: 5 }),
        { type: 'assign', assigneeId: 5 },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'nothing_to_change' })
    expect(
      decide(state('open', 'platform'), { type: 'set_priority', priority: 'normal' }, agent, NOW),
    ).toMatchObject({ code: 'nothing_to_change' })
    expect(
      decide(
        state('open', 'platform', { complex: true }),
        { type: 'mark_complex', complex: true },
        agent,
        NOW,
      ),
    ).toMatchObject({ code: 'nothing_to_change' })
    expect(
      decide(state('open', 'legal'), { type: 'set_reminder', reminderAt: null }, agent, NOW),
    ).toMatchObject({ code: 'nothing_to_change' })
  })

  it('records before and after in every event for the audit trail', () => {
    const manager: Actor = { kind: 'staff', role: 'manager', userId: 8 }
    const r = ok(
      state('open', 'platform', { assigneeId: 1 }),
      { type: 'assign', assigneeId: 2 },
      manager,
    )
    expect(r.event.payload).toMatchObject({
      from: { assigneeId: 1, status: 'open' },
      to: { assigneeId: 2, status: 'open' },
    })
  })
})

describe('who may take a case', () => {
  const manager: Actor = { kind: 'staff', role: 'manager', userId: 8 }
  const holder: Actor = { kind: 'staff', role: 'agent', userId: 1 }
  // held by, actor, assign to → allowed (true) or the refusal code
  const TABLE: [number | null, Actor, number | null, true | string][] = [
    [null, agent, 7, true], // claiming a free case
    [null, agent, 3, true], // giving a free case to a colleague
    [1, agent, 7, 'held_by_colleague'], // taking it from the holder
    [1, agent, null, 'held_by_colleague'], // nor unassigning it
    [1, holder, 7, true], // the holder hands it over
    [1, holder, null, true], // or lets it go
    [1, manager, 7, true], // a manager reassigns
    [1, manager, null, true],
  ]
  it.each(TABLE)('held by %s, asked by %o, to %s: %s', (heldBy, actor, to, expected) => {
    const r = decide(
      state('open', 'platform', { assigneeId: heldBy }),
      { type: 'assign', assigneeId: to },
      actor,
      NOW,
    )
    if (expected === true) expect(r.ok).toBe(true)
    else expect(r).toMatchObject({ ok: false, code: expected, httpStatus: 403 })
  })
})

describe('escalating for no answer in time (issue 21)', () => {
  const DUE = 1_000_000
  const staff: Actor = { kind: 'staff', role: 'agent', userId: 1 }
  const at = (dueAt: number | null) =>
    ({
      status: 'open',
      level: 'platform',
      priority: 'normal',
      assigneeId: null,
      disputedAt: null,
      proposedAt: null,
      dueAt,
    }) as TicketState
  it.each([
    [DUE - 15 * 86_400_000, DUE, 'deadline_not_passed'],
    [DUE, DUE, 'deadline_not_passed'],
    [DUE + 1, DUE, null],
    [DUE, null, null],
  ])('at %d with the deadline %s: refusal %s', (now, dueAt, code) => {
    const r = decide(at(dueAt), { type: 'escalate', reason: 'no_answer', note: null }, staff, now)
    expect(r.ok ? null : r.code).toBe(code)
    if (!r.ok) expect(r.httpStatus).toBe(409)
  })
})

describe('tags', () => {
  const many = Array.from({ length: 20 }, (_, i) => `t${i}`)
  // tags on the case, action → the tag change decided (true) or the refusal code and status
  const TABLE: [string[], ActionInput, { add: string } | { remove: string } | [string, number]][] =
    [
      [[], { type: 'add_tag', tag: 'vip' }, { add: 'vip' }],
      [['fraud'], { type: 'add_tag', tag: 'vip' }, { add: 'vip' }],
      [['vip'], { type: 'add_tag', tag: 'vip' }, ['nothing_to_change', 409]],
      [[], { type: 'add_tag', tag: ' ' }, ['tag_required', 422]],
      [many, { type: 'add_tag', tag: 'vip' }, ['too_many_tags', 409]],
      [['vip'], { type: 'remove_tag', tag: 'vip' }, { remove: 'vip' }],
      [['fraud'], { type: 'remove_tag', tag: 'vip' }, ['nothing_to_change', 409]],
      [[], { type: 'remove_tag', tag: 'vip' }, ['nothing_to_change', 409]],
    ]
  it.each(TABLE)('with %o, %o: %o', (tags, input, expected) => {
    const r = decide(state('open', 'platform', { tags }), input, agent, NOW)
    if (Array.isArray(expected)) {
      expect(r).toMatchObject({ ok: false, code: expected[0], httpStatus: expected[1] })
      return
    }
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.tag).toEqual(expected)
    expect(r.status).toBe('open')
    expect(r.event).toMatchObject({
      type: input.type === 'add_tag' ? 'tag_added' : 'tag_removed',
      visibility: 'internal',
      payload: { tag: (input as { tag: string }).tag },
    })
  })

  it('are refused to the complainant and on closed cases', () => {
    expect(
      decide(state('open', 'platform'), { type: 'add_tag', tag: 'x' }, complainant, NOW),
    ).toMatchObject({ ok: false, code: 'not_for_this_actor' })
    expect(
      decide(state('closed', 'platform'), { type: 'add_tag', tag: 'x' }, agent, NOW),
    ).toMatchObject({ ok: false, code: 'closed_only_reopen' })
  })
})
