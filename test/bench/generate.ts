// Bench data: N tickets with a realistic spread, written through the application's own Kysely
// layer in batched transactions. Each ticket's journey is played through the real lifecycle
// (decide()) in memory, so statuses, events, stages and pauses are ones the app could have
// written; the rows are then inserted a few hundred at a time.
//
// What the app keeps beside the rows is written with the app's own functions: the search text
// (searchableText), the sidebar counters (counterNames), the report rollups (their rebuild). For
// speed the secondary indexes are dropped during the load and rebuilt from their own stored SQL.
// The result is then checked against the counts the app itself would keep.
import fs from 'node:fs'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import { sql, type Insertable } from 'kysely'
import { hashSecret, newSecret } from '../../src/auth/tokens.js'
import { createUser } from '../../src/auth/users.js'
import { openDatabase, type DB } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import type { Database } from '../../src/db/schema.js'
import { caseCounterName, formatCaseNumber } from '../../src/domain/caseNumber.js'
import { CATEGORIES, CATEGORY_KEYS, selfHelpKeys, type CategoryKey } from '../../src/domain/categories.js'
import { localDate, stageDue, type StageClockInput, type StageDue } from '../../src/domain/deadlines.js'
import { DESIRED_OUTCOMES, LEVELS, type BodyOutcome, type Level } from '../../src/domain/ladder.js'
import { clockRuns, decide, type ActionInput, type Actor, type TicketState } from '../../src/domain/lifecycle.js'
import { seededRandom } from '../../src/demo/generate.js'
import { AGENT_REPLIES, MERCHANTS, NAMES_EN, NAMES_ZH, NARRATIVES } from '../../src/demo/texts.js'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { DISPLAY_TIME_ZONE } from '../../src/i18n/format.js'
import { searchableText } from '../../src/search/ticketSearch.js'
import { counterNames } from '../../src/tickets/counters.js'
import { loadDeadlineContext, type DeadlineContext } from '../../src/tickets/deadlineContext.js'

/** Bumped whenever the generated data changes shape, so an old bench database is rebuilt. */
export const GENERATOR_VERSION = 1
export const BENCH_PASSWORD = 'ladder-bench-2026'
export const BENCH_AGENT = 'agent1@bench.ladder.test'
export const BENCH_MANAGER = 'manager1@bench.ladder.test'
const AGENTS = 20
const MANAGERS = 2
/** Tickets played and written per transaction; each insert statement carries at most ROWS rows. */
const BATCH = 2000
const ROWS = 250
const HOUR = 3_600_000
const DAY = 24 * HOUR
const SPAN_DAYS = 730

type Rnd = ReturnType<typeof seededRandom>
type Row<T extends keyof Database> = Insertable<Database[T]>

export interface GenerateResult {
  tickets: number
  events: number
  stages: number
  evidence: number
  /** Seconds spent writing rows, and running the later migrations (indexes, backfills). */
  rowSeconds: number
  migrateSeconds: number
  seconds: number
}

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

function descriptionOf(rnd: Rnd, category: CategoryKey, zh: boolean, amountMinor: number | null): string {
  const lang = zh ? 'zh' : 'en'
  const target = 50 + Math.floor(450 * rnd.next() ** 2)
  const fill = (s: string) =>
    s
      .replace('{amount}', amountMinor === null ? '' : (amountMinor / 100).toFixed(2))
      .replace('{merchant}', rnd.pick(MERCHANTS))
      .replace('{ref}', `2026${String(rnd.int(1, 999999999)).padStart(12, '0')}`)
  const causes = CATEGORIES.find((c) => c.key === category)!.typicalCauses.map((c) => (zh ? c['zh-CN'] : c.en))
  let text = fill(rnd.pick(NARRATIVES[category][lang]))
  while (text.length < target) {
    const extra = rnd.chance(0.3) && causes.length ? rnd.pick(causes) + (zh ? '。' : '.') : rnd.pick(FILLER[lang])
    text += (zh ? '' : ' ') + fill(extra)
  }
  return text.length > target ? text.slice(0, Math.max(50, target)) : text
}

// ---------------------------------------------------------------------------------------------
// Evidence: a handful of real PNG files in the evidence store, shared by the rows that point at
// them (the store is content-addressed, so this is how repeated uploads look on disk too).

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A valid RGB PNG of noise (which does not compress, so its size is about width×height×3). */
export function noisePng(width: number, height: number, rnd: Rnd): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let i = 0; i < raw.length; i++) raw[i] = i % (width * 3 + 1) === 0 ? 0 : Math.floor(rnd.next() * 256)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ])
}

// ---------------------------------------------------------------------------------------------
// One ticket's life, played through decide() and mirrored the way applyAction() writes it.

interface StageRow {
  id: number
  ticket_id: number
  level: Level
  entered_at: number
  left_at: number | null
  accepted_at: number | null
  first_response_at: number | null
  answered_at: number | null
  due_at: number | null
  external_ref: string | null
  outcome: string | null
  answer: string | null
  escalation_reason: string | null
  entered_by: number | null
}

interface PauseRow {
  id: number
  ticket_id: number
  stage_id: number
  started_at: number
  ended_at: number | null
}

class Ids {
  stage = 0
  event = 0
  pause = 0
  evidence = 0
}

/**
 * stageDue() walks the calendar day by day and asks Intl for the zone's wall time of each local
 * midnight: about 200 formatToParts() calls for a 45-working-day clock, the same few thousand
 * instants over and over across a million tickets. For this bulk load only, answers are
 * remembered per formatter and instant (a pure function of both), so the generator runs the
 * real deadline code at a fraction of the cost. The server process is not touched.
 */
let remembering = false
function rememberZoneParts(): void {
  if (remembering) return
  remembering = true
  const proto = Intl.DateTimeFormat.prototype
  const original = proto.formatToParts
  const memo = new WeakMap<Intl.DateTimeFormat, Map<number, Intl.DateTimeFormatPart[]>>()
  proto.formatToParts = function (this: Intl.DateTimeFormat, date?: Date | number) {
    if (typeof date !== 'number') return original.call(this, date)
    let byInstant = memo.get(this)
    if (!byInstant) memo.set(this, (byInstant = new Map()))
    let parts = byInstant.get(date)
    if (!parts) {
      if (byInstant.size > 500_000) byInstant.clear()
      parts = original.call(this, date)
      byInstant.set(date, parts)
    }
    return parts
  }
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
    if (day === undefined) days.set(hour, (day = localDate(hour * HOUR, deadlines.calendar.timeZone)))
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
  search: { description: string; merchant: string | null; transaction_ref: string | null; complainant_name: string }
}

interface World {
  rnd: Rnd
  now: number
  ids: Ids
  due: (input: StageClockInput) => StageDue
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
  const closing: { closed_at: number | null; outcome: string | null; relief: string | null; amount_recovered_minor: number | null } = {
    closed_at: null,
    outcome: null,
    relief: null,
    amount_recovered_minor: null,
  }
  const stages: StageRow[] = []
  const pauses: PauseRow[] = []
  const events: Row<'events'>[] = []
  const evidence: Row<'evidence'>[] = []
  const newStage = (level: Level, at: number, reason: string | null, externalRef: string | null, by: number | null) => {
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
      pauses: pauses.filter((p) => p.stage_id === s.id).map((p) => ({ start: p.started_at, end: p.ended_at })),
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
    const wasRunning = clockRuns(state.status)
    const runs = clockRuns(d.status)
    const staffId = actor.kind === 'staff' ? actor.userId : null
    if (d.stage.kind === 'enter') {
      settle(stage)
      closePauses(stage, at)
      stage.left_at = at
      stage = newStage(d.stage.level, at, d.stage.reason, d.stage.externalRef, staffId)
      if (!runs) pauses.push({ id: ++ids.pause, ticket_id: id, stage_id: stage.id, started_at: at, ended_at: null })
    } else {
      if (wasRunning && !runs) {
        settle(stage)
        pauses.push({ id: ++ids.pause, ticket_id: id, stage_id: stage.id, started_at: at, ended_at: null })
      }
      if (!wasRunning && runs) closePauses(stage, at)
      const s = d.stage
      if (s.kind === 'first_response' || s.kind === 'answered' || s.kind === 'body_said') {
        const answered = s.kind === 'answered' || (s.kind === 'body_said' && ['answered', 'refused', 'resolved'].includes(s.outcome))
        stage.first_response_at ??= at
        if (answered) stage.answered_at ??= at
        if (s.kind === 'body_said') {
          if (s.outcome === 'accepted') stage.accepted_at ??= at
          stage.outcome = s.outcome
          stage.answer = d.event.body
          if (s.externalRef) stage.external_ref = s.externalRef
        }
      }
    }
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
  // The current stage's due date and the ticket's, as applyAction() leaves them after the last action.
  const finalDue = settle(stage)
  const runs = clockRuns(state.status)
  const ticketDue = runs ? finalDue.dueAt : null
  const pausedAt = runs ? null : (pauses.find((p) => p.stage_id === stage.id && p.ended_at === null)?.started_at ?? null)

  const provider = otherProvider ? null : pickWeighted(rnd, w.providers)
  const ticket: Row<'tickets'> = {
    id,
    case_number: formatCaseNumber(year, sequence),
    tracking_token_hash: hashSecret(newSecret()),
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
    complainant_phone: rnd.chance(0.5) ? `139${String(rnd.int(0, 99999999)).padStart(8, '0')}` : null,
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
function walkJourney(w: World, filedAt: number, zh: boolean, apply: (i: ActionInput, a: Actor, at: number) => boolean) {
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
    if (!step({ type: 'comment', body: zh ? '已补充截图，请查收。' : 'I added the screenshots.' }, complainant, [2, 72])) return
  }
  if (rnd.chance(0.08)) {
    step({ type: 'withdraw', reason: zh ? '问题已自行解决' : 'Sorted it out myself' }, complainant, [24, 200])
    return
  }
  for (let li = 0; li < LEVELS.length; li++) {
    const outcome: BodyOutcome = rnd.pick(['accepted', 'accepted', 'refused', 'no_answer'] as const)
    const contact = { type: 'record_contact', body: zh ? '已向机构提交材料。' : 'Dossier sent to the body.', externalRef: `REF-${rnd.int(1000, 99999)}`, outcome } as const
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
        step({ type: 'close', outcome: rnd.chance(0.9) ? 'resolved' : 'unresolved', note: null, duplicateOfId: null }, agent, [1, 48])
        return
      }
      if (!step({ type: 'dispute', reason: zh ? '金额不对，只退了一部分。' : 'Only part of the money came back.' }, complainant, [2, 96])) return
      if (!step({ type: 'escalate', reason: 'disputed', note: null, externalRef: null }, agent, [2, 72])) return
      continue
    }
    if (rnd.chance(stall)) return // waiting at this level
    if (!step({ type: 'escalate', reason: outcome === 'refused' ? 'refused' : 'no_answer', note: null, externalRef: null }, agent, [24, 24 * 15])) return
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
// Writing

async function insertRows<T extends keyof Database>(trx: DB, table: T, rows: Row<T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS) {
    // Kysely's insert types are generic over the table; the rows are checked where they are built.
    await trx.insertInto(table).values(rows.slice(i, i + ROWS) as never).execute()
  }
}

export interface GenerateOptions {
  dataDir: string
  tickets: number
  now: number
  seed?: number
  log: (line: string) => void
}

export async function generateBenchData(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now()
  rememberZoneParts()
  fs.rmSync(opts.dataDir, { recursive: true, force: true })
  fs.mkdirSync(opts.dataDir, { recursive: true })
  const database = openDatabase(path.join(opts.dataDir, 'ladder.db'))
  const { db, sqlite } = database
  // Only for this bulk load: the app's own settings apply again when the server opens the file.
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('cache_size = -1000000')
  try {
    await migrateToLatest(db)
    const rnd = seededRandom(opts.seed ?? 20261123)
    const now = opts.now

    const agents: number[] = []
    for (let i = 1; i <= AGENTS + MANAGERS; i++) {
      const role = i <= AGENTS ? 'agent' : 'manager'
      const n = i <= AGENTS ? i : i - AGENTS
      const created = await createUser(
        db,
        { email: `${role}${n}@bench.ladder.test`, name: `${role === 'agent' ? 'Agent' : 'Manager'} ${n} ${rnd.pick(NAMES_ZH)}`, role, password: BENCH_PASSWORD },
        now - SPAN_DAYS * DAY,
      )
      if (!created.ok) throw new Error(`bench user: ${created.problem}`)
      if (role === 'agent') agents.push(created.user.id)
    }
    const providerRows = await db.selectFrom('providers').select(['id', 'slug']).orderBy('id').execute()
    const share: Record<string, number> = { alipay: 40, wechat_pay: 32, unionpay: 8, jd_pay: 6, douyin_pay: 5 }
    const providers = providerRows.map((p) => ({ id: p.id, weight: share[p.slug] ?? 2 }))

    const store = localEvidenceStore(path.join(opts.dataDir, 'evidence'))
    const files: { sha256: string; size: number }[] = []
    for (let i = 0; i < 12; i++) files.push(await store.put(noisePng(64 + i * 8, 48 + i * 4, rnd)))

    const deadlines = await loadDeadlineContext(db)
    const w: World = { rnd, now, ids: new Ids(), due: cachedStageDue(deadlines), providers, agents, files }
    const counts = new Map<string, number>()
    const perYear = new Map<number, number>()
    const first = now - SPAN_DAYS * DAY
    const spacing = (SPAN_DAYS * DAY) / opts.tickets
    let events = 0
    let stages = 0
    let evidence = 0
    let lastLog = performance.now()

    // Indexes are dropped for the load and rebuilt from their own stored SQL afterwards: a
    // sorted build is many times faster than a million scattered B-tree inserts.
    const indexes = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'index' and sql is not null
      and tbl_name in ('tickets', 'ladder_stages', 'clock_pauses', 'events', 'evidence')`.execute(db)
    for (const ix of indexes.rows) await sql`drop index ${sql.id(ix.name)}`.execute(db)
    let playMs = 0
    let writeMs = 0

    for (let start = 0; start < opts.tickets; start += BATCH) {
      const t0 = performance.now()
      const played: Played[] = []
      for (let i = start; i < Math.min(opts.tickets, start + BATCH); i++) {
        // Filed in id order, evenly over the span with a little jitter, never in the future.
        const filedAt = Math.floor(first + i * spacing + rnd.next() * spacing * 0.9)
        const year = Number(localDate(filedAt, DISPLAY_TIME_ZONE).slice(0, 4))
        const sequence = (perYear.get(year) ?? 0) + 1
        perYear.set(year, sequence)
        const p = playTicket(w, i + 1, filedAt, year, sequence)
        played.push(p)
        for (const name of counterNames({ status: p.ticket.status, level: p.ticket.level, assigneeId: p.ticket.assignee_id ?? null })) {
          counts.set(name, (counts.get(name) ?? 0) + 1)
        }
      }
      const t1 = performance.now()
      playMs += t1 - t0
      await db.transaction().execute(async (trx) => {
        await insertRows(trx, 'tickets', played.map((p) => p.ticket))
        await insertRows(trx, 'ladder_stages', played.flatMap((p) => p.stages))
        await insertRows(trx, 'clock_pauses', played.flatMap((p) => p.pauses))
        await insertRows(trx, 'events', played.flatMap((p) => p.events))
        await insertRows(trx, 'evidence', played.flatMap((p) => p.evidence))
        for (let i = 0; i < played.length; i += ROWS) {
          const values = played
            .slice(i, i + ROWS)
            .map((p) => sql`(${p.ticket.id}, ${searchableText({ id: p.ticket.id as number, ...p.search })})`)
          await sql`insert into ticket_search (rowid, body) values ${sql.join(values)}`.execute(trx)
        }
      })
      writeMs += performance.now() - t1
      events += played.reduce((s, p) => s + p.events.length, 0)
      stages += played.reduce((s, p) => s + p.stages.length, 0)
      evidence += played.reduce((s, p) => s + p.evidence.length, 0)
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now()
        opts.log(`  ${start + played.length} tickets written (${((performance.now() - started) / 1000).toFixed(0)} s)`)
      }
    }
    await db.transaction().execute(async (trx) => {
      for (const [name, n] of [...perYear].map(([year, n]) => [caseCounterName(year), n] as const).concat([...counts])) {
        await trx.insertInto('counters').values({ name, value: n }).execute()
      }
    })
    const indexStarted = performance.now()
    for (const ix of indexes.rows) await sql.raw(ix.sql).execute(db)
    const rowSeconds = (performance.now() - started) / 1000
    opts.log(`  played ${(playMs / 1000).toFixed(1)} s, wrote ${(writeMs / 1000).toFixed(1)} s, indexed ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`)
    const migrateStarted = performance.now()
    const rollups = await rebuildRollups(db, deadlines)
    opts.log(rollups ? `  report rollups rebuilt with ${rollups}` : '  no report rollups to rebuild (no src/reports/rebuild.ts)')
    const migrateSeconds = (performance.now() - migrateStarted) / 1000
    await verify(db, counts, opts.tickets)
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    return {
      tickets: opts.tickets,
      events,
      stages,
      evidence,
      rowSeconds,
      migrateSeconds,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    await database.close()
  }
}

/**
 * The report rollups (kept on every change by src/reports/rollups.ts) are derived from the
 * finished rows by that area's own rebuild, then their working-day durations are measured, as
 * the server's background work would do. Loaded by path at run time, so the bench still builds
 * when the reports area has no rebuild.
 */
async function rebuildRollups(db: DB, deadlines: DeadlineContext): Promise<string | null> {
  const rebuild = new URL('../../src/reports/rebuild.js', import.meta.url)
  const workdays = new URL('../../src/reports/workdays.js', import.meta.url)
  if (!fs.existsSync(rebuild)) return null
  const mod = (await import(rebuild.href)) as Record<string, unknown>
  if (typeof mod['rebuildReportRollups'] !== 'function') return null
  await (mod['rebuildReportRollups'] as (db: DB, now: number) => Promise<void>)(db, Date.now())
  if (fs.existsSync(workdays)) {
    const w = (await import(workdays.href)) as Record<string, unknown>
    const catchUp = w['catchUpWorkingDays'] as ((db: DB, ctx: DeadlineContext, now: number, budgetMs: number) => Promise<boolean>) | undefined
    if (typeof catchUp === 'function') while (!(await catchUp(db, deadlines, Date.now(), 60_000)));
  }
  return 'rebuildReportRollups + catchUpWorkingDays'
}

/** The invariants the app keeps: sidebar counters equal real counts, one search row per ticket. */
async function verify(db: DB, expected: Map<string, number>, tickets: number): Promise<void> {
  const rows = await db.selectFrom('counters').select(['name', 'value']).where('name', 'like', 'queue:%').execute()
  const actual = new Map(rows.map((r) => [r.name, Number(r.value)]))
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    if ((expected.get(name) ?? 0) !== (actual.get(name) ?? 0)) {
      throw new Error(`counter ${name}: ${actual.get(name) ?? 0} kept, ${expected.get(name) ?? 0} real`)
    }
  }
  const { rows: search } = await sql<{ n: number }>`select count(*) as n from ticket_search`.execute(db)
  // A contentless index counts its rows through its docsize table.
  const { rows: docs } = await sql<{ n: number }>`select count(*) as n from ticket_search_docsize`.execute(db)
  const indexed = Math.max(Number(search[0]?.n ?? 0), Number(docs[0]?.n ?? 0))
  if (indexed !== tickets) throw new Error(`search index holds ${indexed} rows for ${tickets} tickets`)
}

export interface BenchMeta extends GenerateResult {
  generator: number
  generatedAt: string
}

/**
 * The bench database for N tickets under `root`: reused when an earlier run generated the same
 * count with this generator, generated afresh otherwise.
 */
export async function ensureBenchData(
  root: string,
  tickets: number,
  log: (line: string) => void,
): Promise<{ dataDir: string; meta: BenchMeta; reused: boolean }> {
  const dataDir = path.join(root, `t${tickets}`)
  const metaFile = path.join(dataDir, 'bench-meta.json')
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as BenchMeta
    if (meta.generator === GENERATOR_VERSION && meta.tickets === tickets && fs.existsSync(path.join(dataDir, 'ladder.db'))) {
      return { dataDir, meta, reused: true }
    }
  } catch {
    // No usable earlier data: generate it.
  }
  log(`Generating ${tickets.toLocaleString('en')} tickets in ${dataDir} …`)
  const result = await generateBenchData({ dataDir, tickets, now: Date.now(), log })
  const meta: BenchMeta = { ...result, generator: GENERATOR_VERSION, generatedAt: new Date().toISOString() }
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2))
  return { dataDir, meta, reused: false }
}
