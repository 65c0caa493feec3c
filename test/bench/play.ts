// One ticket's journey, played through the real lifecycle (decide()) in memory, so statuses,
// events, stages and pauses are ones the app could have written. Runs in a worker thread
// (playWorker.ts) while the main thread writes the previous batch.
import { randomFillSync } from 'node:crypto'
import type { Insertable, Selectable } from 'kysely'
import { hashSecret } from '../../src/secrets.js'
import type { ClockPausesTable, Database, LadderStage } from '../../src/db/schema.js'
import { formatCaseNumber } from '../../src/domain/caseNumber.js'
import {
  CATEGORIES,
  CATEGORY_KEYS,
  selfHelpKeys,
  type CategoryKey,
} from '../../src/domain/categories.js'
import { stageDue, type StageClockInput, type StageDue } from '../../src/domain/deadlines.js'
import { localDate } from '../../src/domain/zoneTime.js'
import { DESIRED_OUTCOMES, LEVELS, type BodyOutcome, type Level } from '../../src/domain/ladder.js'
import { decide, type Actor, type TicketState } from '../../src/domain/lifecycle.js'
import { type ActionInput } from '../../src/domain/actions.js'
import { clockRuns, nextStageFacts } from '../../src/domain/stages.js'
import { seededRandom } from '../../src/demo/generate.js'
import { AGENT_REPLIES, MERCHANTS, NAMES_EN, NAMES_ZH, NARRATIVES } from '../../src/demo/texts.js'
import { DISPLAY_TIME_ZONE } from '../../src/i18n/format.js'
import { searchableText } from '../../src/search/ticketSearch.js'
import { counterNames } from '../../src/tickets/counters.js'
import type { DeadlineContext } from '../../src/deadlines/context.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const SPAN_DAYS = 730

type Rnd = ReturnType<typeof seededRandom>
export type Row<T extends keyof Database> = Insertable<Database[T]>

// ---------------------------------------------------------------------------------------------
// Texts: the complainants' own narratives, padded with the kind of detail people add, to a
// length between 50 and 500 characters (most are short, a few are long).

const FILLER: Record<'zh' | 'en', string[]> = {
  zh: [
    '我已经多次联系客服，每次都说会尽快处理，但一直没有结果。',
    '希望尽快退款，这笔钱对我很重要。',
    '聊天记录和交易截图我都保存了，可以提供。',
    '客服让我等待三到五个工作日，现在早已超过了时间。',
    '平台的退款进度一直显示处理中，没有任何说明。',
    '我不知道还能找谁，只好来这里投诉。',
    '请帮我核实这笔交易，并给出明确的处理结果。',
    '这件事已经影响了我的正常生活和工作。',
  ],
  en: [
    'I have contacted support several times and each time they promise to look into it.',
    'I would like the refund as soon as possible; this money matters to me.',
    'I kept the chat history and screenshots of the transaction and can send them.',
    'Support told me to wait three to five working days, which passed long ago.',
    'The refund status has shown "processing" for weeks without any explanation.',
    'Please check this transaction and give me a clear answer.',
  ],
}

function descriptionOf(
  rnd: Rnd,
  category: CategoryKey,
  zh: boolean,
  amountMinor: number | null,
): string {
  const lang = zh ? 'zh' : 'en'
  const target = 50 + Math.floor(450 * rnd.next() ** 2)
  const fill = (s: string) =>
    s
      .replace('{amount}', amountMinor === null ? '' : (amountMinor / 100).toFixed(2))
      .replace('{merchant}', rnd.pick(MERCHANTS))
      .replace('{ref}', `2026${String(rnd.int(1, 999999999)).padStart(12, '0')}`)
  const causes = CATEGORIES.find((c) => c.key === category)!.typicalCauses.map((c) =>
    zh ? c['zh-CN'] : c.en,
  )
  let text = fill(rnd.pick(NARRATIVES[category][lang]))
  while (text.length < target) {
    const extra =
      rnd.chance(0.3) && causes.length
        ? rnd.pick(causes) + (zh ? '。' : '.')
        : rnd.pick(FILLER[lang])
    text += (zh ? '' : ' ') + fill(extra)
  }
  return text.length > target ? text.slice(0, Math.max(50, target)) : text
}

// ---------------------------------------------------------------------------------------------
// One ticket's life, played through decide() and mirrored the way actOnTicket() writes it.

/** A ladder stage row as the generator builds it: every column but the defaulted paused_ms. */
export type StageRow = Omit<LadderStage, 'paused_ms' | 'level'> & { level: Level }

export type PauseRow = Selectable<ClockPausesTable>

/**
 * Tracking secrets as newSecret() makes them (32 random bytes, base64url), cut from one buffer
 * filled at a time: a call of randomBytes per ticket took 5 % of the player's time.
 */
function pooledSecrets(): () => string {
  const pool = Buffer.alloc(32 * 4096)
  let at = pool.length
  return () => {
    if (at === pool.length) {
      randomFillSync(pool)
      at = 0
    }
    at += 32
    return pool.toString('base64url', at - 32, at)
  }
}

class Ids {
  stage = 0
  event = 0
  pause = 0
  evidence = 0
}

/**
 * Without pauses a stage's due date depends only on the local days its clock started (entered,
 * accepted), not the time of day: those answers are remembered per day.
 */
function cachedStageDue(deadlines: DeadlineContext) {
  const cache = new Map<string, StageDue>()
  // Zone offsets of the calendars are whole hours, so one UTC hour lies within one local day.
  const days = new Map<number, string>()
  const dayOf = (instant: number) => {
    const hour = Math.floor(instant / HOUR)
    let day = days.get(hour)
    if (day === undefined)
      days.set(hour, (day = localDate(hour * HOUR, deadlines.calendar.timeZone)))
    return day
  }
  return (input: StageClockInput): StageDue => {
    if (input.pauses.length) return stageDue(input, deadlines.policy, deadlines.calendar)
    const key = `${input.level}|${input.complex}|${dayOf(input.enteredAt)}|${input.acceptedAt === null ? '-' : dayOf(input.acceptedAt)}|${input.reminderAt}`
    let hit = cache.get(key)
    if (!hit) {
      hit = stageDue(input, deadlines.policy, deadlines.calendar)
      cache.set(key, hit)
    }
    return hit
  }
}

interface Played {
  ticket: Row<'tickets'>
  stages: StageRow[]
  pauses: PauseRow[]
  events: Row<'events'>[]
  evidence: Row<'evidence'>[]
  search: {
    description: string
    merchant: string | null
    transaction_ref: string | null
    complainant_name: string
  }
}

interface World {
  rnd: Rnd
  now: number
  ids: Ids
  due: (input: StageClockInput) => StageDue
  /** A new tracking secret (newSecret()'s kind). */
  secret: () => string
  providers: { id: number; weight: number }[]
  agents: number[]
  files: { sha256: string; size: number }[]
}

function playTicket(w: World, id: number, filedAt: number, year: number, sequence: number): Played {
  const { rnd, now, ids } = w
  const category = pickCategory(rnd)
  const zh = rnd.chance(0.72)
  const amountMinor = rnd.chance(0.85) ? rnd.int(5, 20000) * 100 + rnd.int(0, 99) : null
  const description = descriptionOf(rnd, category, zh, amountMinor)
  const merchant = rnd.pick(MERCHANTS)
  const transactionRef = `T${rnd.int(100000000, 999999999)}`
  const name = zh ? rnd.pick(NAMES_ZH) : rnd.pick(NAMES_EN)
  const otherProvider = rnd.chance(0.02)
  const evidenceCount = rnd.chance(0.18) ? rnd.int(1, 2) : 0

  let state: TicketState = {
    status: 'new',
    level: 'platform',
    priority: 'normal',
    assigneeId: null,
    disputedAt: null,
    proposedAt: null,
    complex: false,
    reminderAt: null,
  }
  let version = 1
  let updatedAt = filedAt
  const closing: {
    closed_at: number | null
    outcome: string | null
    relief: string | null
    amount_recovered_minor: number | null
  } = {
    closed_at: null,
    outcome: null,
    relief: null,
    amount_recovered_minor: null,
  }
  const stages: StageRow[] = []
  const pauses: PauseRow[] = []
  const events: Row<'events'>[] = []
  const evidence: Row<'evidence'>[] = []
  const newStage = (
    level: Level,
    at: number,
    reason: string | null,
    externalRef: string | null,
    by: number | null,
  ) => {
    const s: StageRow = {
      id: ++ids.stage,
      ticket_id: id,
      level,
      entered_at: at,
      left_at: null,
      accepted_at: null,
      first_response_at: null,
      answered_at: null,
      due_at: null,
      external_ref: externalRef,
      outcome: null,
      answer: null,
      escalation_reason: reason,
      entered_by: by,
    }
    stages.push(s)
    return s
  }
  // A stage's due date as of its last change: stageDue() is asked when a pause would stop the
  // answer changing (leaving the stage, opening a pause) and at the end, not at every action.
  const settle = (s: StageRow) => {
    const due = w.due({
      level: s.level,
      enteredAt: s.entered_at,
      acceptedAt: s.accepted_at,
      complex: state.complex === true,
      pauses: pauses
        .filter((p) => p.stage_id === s.id)
        .map((p) => ({ start: p.started_at, end: p.ended_at })),
      reminderAt: state.reminderAt ?? null,
    })
    if (due.dueAt !== null) s.due_at = due.dueAt
    return due
  }
  const closePauses = (s: StageRow, at: number) => {
    for (const p of pauses) if (p.stage_id === s.id && p.ended_at === null) p.ended_at = at
  }

  let stage = newStage('platform', filedAt, null, null, null)
  const filedEvent = ++ids.event
  events.push({
    id: filedEvent,
    ticket_id: id,
    type: 'filed',
    visibility: 'public',
    actor_type: 'complainant',
    actor_user_id: null,
    body: null,
    payload: JSON.stringify({ evidenceCount, to: { status: 'new', level: 'platform' } }),
    created_at: filedAt,
  })
  for (let e = 0; e < evidenceCount; e++) {
    const file = rnd.pick(w.files)
    evidence.push({
      id: ++ids.evidence,
      ticket_id: id,
      event_id: filedEvent,
      sha256: file.sha256,
      size: file.size,
      mime: 'image/png',
      original_name: zh ? `截图${e + 1}.png` : `screenshot-${e + 1}.png`,
      sensitive: 0,
      uploaded_by_type: 'complainant',
      uploaded_by_user_id: null,
      created_at: filedAt,
    })
  }

  const apply = (input: ActionInput, actor: Actor, at: number): boolean => {
    const d = decide(state, input, actor, at)
    if (!d.ok) return false
    const staffId = actor.kind === 'staff' ? actor.userId : null
    if (d.stage.kind === 'enter') {
      settle(stage)
      closePauses(stage, at)
      stage.left_at = at
      stage = newStage(d.stage.level, at, d.stage.reason, d.stage.externalRef, staffId)
    } else {
      if (d.clock.pause === 'start') settle(stage)
      const facts = nextStageFacts(
        {
          firstResponseAt: stage.first_response_at,
          answeredAt: stage.answered_at,
          acceptedAt: stage.accepted_at,
          outcome: stage.outcome,
          answer: stage.answer,
          externalRef: stage.external_ref,
        },
        d.stage,
        d.event.body,
        at,
      )
      if (facts) {
        stage.first_response_at = facts.firstResponseAt
        stage.answered_at = facts.answeredAt
        stage.accepted_at = facts.acceptedAt
        stage.outcome = facts.outcome
        stage.answer = facts.answer
        stage.external_ref = facts.externalRef
      }
    }
    if (d.clock.pause === 'start')
      pauses.push({
        id: ++ids.pause,
        ticket_id: id,
        stage_id: stage.id,
        started_at: at,
        ended_at: null,
      })
    if (d.clock.pause === 'end') closePauses(stage, at)
    if (input.type === 'close') {
      closing.closed_at = at
      closing.outcome = input.outcome
    } else if (input.type === 'withdraw') {
      closing.closed_at = at
      closing.outcome = 'withdrawn'
    } else if (input.type === 'propose_resolution') {
      closing.relief = input.relief
      closing.amount_recovered_minor = input.amountRecoveredMinor
    }
    state = {
      status: d.status,
      level: d.level,
      priority: d.priority,
      assigneeId: d.assigneeId,
      disputedAt: d.disputedAt,
      proposedAt: d.proposedAt,
      complex: d.complex ?? state.complex,
      reminderAt: d.reminderAt !== undefined ? d.reminderAt : state.reminderAt,
    }
    version++
    updatedAt = at
    events.push({
      id: ++ids.event,
      ticket_id: id,
      type: d.event.type,
      visibility: d.event.visibility,
      actor_type: actor.kind === 'staff' ? 'staff' : 'complainant',
      actor_user_id: staffId,
      body: d.event.body,
      payload: JSON.stringify({ ...d.event.payload, version }),
      created_at: at,
    })
    return true
  }

  walkJourney(w, filedAt, zh, apply)
  // The current stage's due date and the ticket's, as actOnTicket() leaves them after the last action.
  const finalDue = settle(stage)
  const runs = clockRuns(state.status)
  const ticketDue = runs ? finalDue.dueAt : null
  const pausedAt = runs
    ? null
    : (pauses.find((p) => p.stage_id === stage.id && p.ended_at === null)?.started_at ?? null)

  const provider = otherProvider ? null : pickWeighted(rnd, w.providers)
  const ticket: Row<'tickets'> = {
    id,
    case_number: formatCaseNumber(year, sequence),
    tracking_token_hash: hashSecret(w.secret()),
    category,
    provider_id: provider,
    provider_other: otherProvider ? (zh ? '某地方钱包' : 'A local wallet') : null,
    occurred_at: filedAt - rnd.int(1, 20) * DAY,
    amount_minor: amountMinor,
    currency: rnd.chance(0.95) ? 'CNY' : 'USD',
    transaction_ref: transactionRef,
    merchant,
    description,
    desired_outcome: rnd.pick(DESIRED_OUTCOMES),
    self_help: JSON.stringify(selfHelpKeys(category).filter(() => rnd.chance(0.5))),
    complainant_name: name,
    complainant_email: rnd.chance(0.8) ? `c${id}@example.com` : null,
    complainant_phone: rnd.chance(0.5)
      ? `139${String(rnd.int(0, 99999999)).padStart(8, '0')}`
      : null,
    locale: zh ? 'zh-CN' : 'en',
    consent_at: filedAt,
    status: state.status,
    level: state.level,
    priority: state.priority,
    assignee_id: state.assigneeId,
    due_at: ticketDue,
    paused_at: pausedAt,
    reminder_at: state.reminderAt ?? null,
    complex: state.complex ? 1 : 0,
    disputed_at: state.disputedAt,
    proposed_at: state.proposedAt,
    relief: closing.relief,
    amount_recovered_minor: closing.amount_recovered_minor,
    outcome: closing.outcome,
    duplicate_of_id: null,
    closed_at: closing.closed_at,
    version,
    created_at: filedAt,
    updated_at: updatedAt,
  }
  return {
    ticket,
    stages,
    pauses,
    events,
    evidence,
    search: { description, merchant, transaction_ref: transactionRef, complainant_name: name },
  }
}

/** A plausible path, the older the ticket the further along; never past `now`. */
function walkJourney(
  w: World,
  filedAt: number,
  zh: boolean,
  apply: (i: ActionInput, a: Actor, at: number) => boolean,
) {
  const { rnd, now } = w
  const age = now - filedAt
  // Young tickets are often still waiting somewhere; old ones have mostly run their course.
  const stall = age < 30 * DAY ? 0.35 : age < 120 * DAY ? 0.12 : 0.02
  const agentId = rnd.pick(w.agents)
  const agent: Actor = { kind: 'staff', role: 'agent', userId: agentId }
  const complainant: Actor = { kind: 'complainant' }
  const replies = zh ? AGENT_REPLIES.zh : AGENT_REPLIES.en
  let t = filedAt
  const step = (input: ActionInput, actor: Actor, hours: [number, number]) => {
    t += rnd.int(hours[0], hours[1]) * HOUR
    return t < now && apply(input, actor, t)
  }
  if (rnd.chance(age < 7 * DAY ? 0.4 : 0.005)) return // still new
  if (!step({ type: 'assign', assigneeId: agentId }, agent, [1, 30])) return
  if (!step({ type: 'reply', body: rnd.pick(replies) }, agent, [1, 24])) return
  if (rnd.chance(0.3)) {
    if (!step({ type: 'request_info', body: replies[2]! }, agent, [1, 48])) return
    if (rnd.chance(stall)) return
    if (
      !step(
        { type: 'comment', body: zh ? '已补充截图，请查收。' : 'I added the screenshots.' },
        complainant,
        [2, 72],
      )
    )
      return
  }
  if (rnd.chance(0.08)) {
    step(
      { type: 'withdraw', reason: zh ? '问题已自行解决' : 'Sorted it out myself' },
      complainant,
      [24, 200],
    )
    return
  }
  for (let li = 0; li < LEVELS.length; li++) {
    const outcome: BodyOutcome = rnd.pick(['accepted', 'accepted', 'refused', 'no_answer'] as const)
    const contact = {
      type: 'record_contact',
      body: zh ? '已向机构提交材料。' : 'Dossier sent to the body.',
      externalRef: `REF-${rnd.int(1000, 99999)}`,
      outcome,
    } as const
    if (!step(contact, agent, [4, 96])) return
    const last = li === LEVELS.length - 1
    if (rnd.chance(li === 0 ? 0.6 : 0.5) || last) {
      const monetary = rnd.chance(0.6)
      const proposal = {
        type: 'propose_resolution',
        body: zh ? '平台同意退还全部款项。' : 'The provider agreed to return the full amount.',
        relief: monetary ? 'monetary' : 'explanation',
        amountRecoveredMinor: monetary ? rnd.int(1, 5000) * 100 : null,
      } as const
      if (!step(proposal, agent, [24, 24 * 12])) return
      if (rnd.chance(stall)) return // the complainant has not answered yet
      if (rnd.chance(0.75) || last) {
        if (!step({ type: 'accept', reason: null }, complainant, [2, 96])) return
        if (rnd.chance(stall)) return // resolved, not yet closed
        step(
          {
            type: 'close',
            outcome: rnd.chance(0.9) ? 'resolved' : 'unresolved',
            note: null,
            duplicateOfId: null,
          },
          agent,
          [1, 48],
        )
        return
      }
      if (
        !step(
          {
            type: 'dispute',
            reason: zh ? '金额不对，只退了一部分。' : 'Only part of the money came back.',
          },
          complainant,
          [2, 96],
        )
      )
        return
      if (
        !step(
          { type: 'escalate', reason: 'disputed', note: null, externalRef: null },
          agent,
          [2, 72],
        )
      )
        return
      continue
    }
    if (rnd.chance(stall)) return // waiting at this level
    if (
      !step(
        {
          type: 'escalate',
          reason: outcome === 'refused' ? 'refused' : 'no_answer',
          note: null,
          externalRef: null,
        },
        agent,
        [24, 24 * 15],
      )
    )
      return
  }
}

const CATEGORY_WEIGHTS: Record<CategoryKey, number> = {
  payment_failed: 22,
  refund_not_received: 30,
  termination_failed: 10,
  closure_failed: 9,
  activation_failed: 8,
  account_compromised: 14,
  other: 7,
}
const CATEGORY_TABLE = CATEGORY_KEYS.map((key) => ({ id: key, weight: CATEGORY_WEIGHTS[key] }))

function pickCategory(rnd: Rnd): CategoryKey {
  return pickWeighted(rnd, CATEGORY_TABLE)
}

function pickWeighted<T>(rnd: Rnd, table: readonly { id: T; weight: number }[]): T {
  const total = table.reduce((s, x) => s + x.weight, 0)
  let r = rnd.next() * total
  for (const x of table) if ((r -= x.weight) < 0) return x.id
  return table[table.length - 1]!.id
}

// ---------------------------------------------------------------------------------------------
// Batches

/** What the player needs from the database, sent once to the worker. */
export interface PlayInit {
  tickets: number
  now: number
  seed: number
  deadlines: DeadlineContext
  providers: { id: number; weight: number }[]
  agents: number[]
  files: { sha256: string; size: number }[]
  /** The working-day generation the report facts are measured under (rollups.ts). */
  workdayGeneration: number
}

/** The rows of a run of tickets, ready to insert, with what the app keeps beside them. */
export interface PlayedBatch {
  tickets: Row<'tickets'>[]
  stages: StageRow[]
  pauses: PauseRow[]
  events: Row<'events'>[]
  evidence: Row<'evidence'>[]
  /** [ticket id, searchableText()] for the search index. */
  search: [number, string][]
  /** Sidebar counter increments of this batch. */
  counters: [string, number][]
}

/**
 * Plays tickets in id order (the random stream and the ids run on from one batch to the next, so
 * batches must be asked for in order). Tickets are filed evenly over the last two years.
 */
export function createPlayer(init: PlayInit) {
  const rnd = seededRandom(init.seed)
  const w: World = {
    rnd,
    now: init.now,
    ids: new Ids(),
    due: cachedStageDue(init.deadlines),
    secret: pooledSecrets(),
    providers: init.providers,
    agents: init.agents,
    files: init.files,
  }
  const perYear = new Map<number, number>()
  const first = init.now - SPAN_DAYS * DAY
  const spacing = (SPAN_DAYS * DAY) / init.tickets
  return {
    /** Tickets start+1 … end (ids), as rows. */
    play(start: number, end: number): PlayedBatch {
      const batch: PlayedBatch = {
        tickets: [],
        stages: [],
        pauses: [],
        events: [],
        evidence: [],
        search: [],
        counters: [],
      }
      const counts = new Map<string, number>()
      for (let i = start; i < end; i++) {
        // Filed in id order, evenly over the span with a little jitter, never in the future.
        const filedAt = Math.floor(first + i * spacing + rnd.next() * spacing * 0.9)
        const year = Number(localDate(filedAt, DISPLAY_TIME_ZONE).slice(0, 4))
        const sequence = (perYear.get(year) ?? 0) + 1
        perYear.set(year, sequence)
        const p = playTicket(w, i + 1, filedAt, year, sequence)
        batch.tickets.push(p.ticket)
        for (const s of p.stages) batch.stages.push(s)
        for (const s of p.pauses) batch.pauses.push(s)
        for (const e of p.events) batch.events.push(e)
        for (const e of p.evidence) batch.evidence.push(e)
        batch.search.push([i + 1, searchableText({ id: i + 1, ...p.search })])
        for (const name of counterNames({
          status: p.ticket.status,
          level: p.ticket.level,
          assigneeId: p.ticket.assignee_id ?? null,
        })) {
          counts.set(name, (counts.get(name) ?? 0) + 1)
        }
      }
      batch.counters = [...counts]
      return batch
    },
    /** Case-number counters per year, after the last batch. */
    years(): [number, number][] {
      return [...perYear]
    },
  }
}
