// Keeps the report rollups in step with the tickets, inside the transaction that changes a
// ticket: the ticket's contribution after the change minus the one before it (contributions.ts), written
// as a few upserts. A change that moves nothing (a note, a reply after the first) writes nothing.
import { CompiledQuery, sql } from 'kysely'
import type { ChangeListener } from '../change/types.js'
import type { DB } from '../db/connection.js'
import type { Interval } from '../domain/clocks.js'
import type { DeadlineContext } from '../deadlines/context.js'
import { contributions, Tally } from './contributions.js'
import { durationKey, durationRows } from './durations.js'
import {
  attributeProposals,
  deriveStageFact,
  needsPauses,
  PROPOSAL_EVENTS,
  sameFact,
  sameTicketFacts,
  type FactStage,
  type FactTicket,
  type StageFact,
  type WorkdayMeasure,
} from './facts.js'
import { ROLLUPS, type RollupName } from './layout.js'
import { reportDay } from './periods.js'
import { businessLevels, workdayFingerprint, workingDays } from './units.js'

export const WORKDAY_SETTING = 'reports:workdays'

/**
 * Which calendar the stored working-day durations were measured with (`fp`), under which
 * generation number (`gen`, the `unit` of their rows). `clean` says no stored stage lacks them:
 * true on a database that started empty, so the first writer may adopt its calendar.
 */
export interface WorkdayState {
  fp: string | null
  gen: number
  clean: boolean
}

export async function readWorkdayState(db: DB): Promise<WorkdayState> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', WORKDAY_SETTING)
    .executeTakeFirst()
  if (!row) return { fp: null, gen: 0, clean: false }
  const v = JSON.parse(row.value) as Partial<WorkdayState>
  return { fp: v.fp ?? null, gen: Number(v.gen ?? 0), clean: v.clean === true }
}

export async function writeWorkdayState(db: DB, state: WorkdayState, now: number): Promise<void> {
  const value = JSON.stringify(state)
  await db
    .insertInto('settings')
    .values({ key: WORKDAY_SETTING, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute()
}

export function workdayMeasure(ctx: DeadlineContext, gen: number, now: number): WorkdayMeasure {
  return {
    gen,
    levels: new Set(businessLevels(ctx)),
    days: (from, to, pauses) => workingDays(ctx, from, to, pauses, now),
  }
}

/** Working-day measuring for this write, when the stored ones were measured the same way. */
async function measureFor(
  trx: DB,
  ctx: DeadlineContext,
  now: number,
): Promise<WorkdayMeasure | null> {
  const fp = workdayFingerprint(ctx)
  const state = await readWorkdayState(trx)
  if (state.fp === fp) return workdayMeasure(ctx, state.gen, now)
  if (state.fp === null && state.clean) {
    await writeWorkdayState(trx, { fp, gen: state.gen + 1, clean: true }, now)
    return workdayMeasure(ctx, state.gen + 1, now)
  }
  // The calendar changed and the reports have not caught up yet (workdays.ts does): leave these
  // stages unmeasured; the readers see the gap and measure them.
  return null
}

/** The rollups follow every filing and action; a record changes nothing they count. */
export const reportRollups: ChangeListener = {
  name: 'report rollups',
  async onChange(trx, change) {
    if (change.kind === 'filed')
      await reportTicketFiled(trx, change.ticket, change.deadlines, change.now)
    if (change.kind === 'acted') {
      const event = { type: change.event.type, at: change.now }
      await reportTicketChanged(trx, change.before, change.ticket, event, change.deadlines)
    }
  },
}

/** A new ticket: its first stage and everything it counts for. Runs in the filing transaction. */
export async function reportTicketFiled(
  trx: DB,
  ticket: FactTicket,
  ctx: DeadlineContext,
  now: number,
): Promise<void> {
  await refreshTicket(trx, null, ticket, null, ctx, now)
}

/**
 * A ticket changed (in the change's transaction, after its event row is written): `before` and
 * `after` are the ticket rows, `event` the event this change records.
 */
export async function reportTicketChanged(
  trx: DB,
  before: FactTicket,
  after: FactTicket,
  event: { type: string; at: number },
  ctx: DeadlineContext,
): Promise<void> {
  await refreshTicket(trx, before, after, event, ctx, event.at)
}

async function refreshTicket(
  trx: DB,
  before: FactTicket | null,
  after: FactTicket,
  event: { type: string; at: number } | null,
  ctx: DeadlineContext,
  now: number,
): Promise<void> {
  // The ticket's stages with their stored facts, in one read.
  const { rows } = await sql<Record<string, unknown>>`
    select s.id, s.level, s.entered_at, s.left_at, s.first_response_at, s.answered_at, s.due_at,
      ${sql.raw(FACT_KEYS.map((k) => `f.${k} as f_${k}`).join(', '))}
    from ladder_stages s
    left join report_stages f on f.created_day = ${reportDay(after.created_at)} and f.ticket_id = s.ticket_id and f.stage_id = s.id
    where s.ticket_id = ${after.id} order by s.id`.execute(trx)
  const stages = rows as unknown as FactStage[]
  const prevList = rows
    .filter((r) => r['f_stage_id'] !== null)
    .map((r) => Object.fromEntries(FACT_KEYS.map((k) => [k, r[`f_${k}`]])) as unknown as StageFact)
  const prev = new Map(prevList.map((f) => [f.stage_id, f]))
  // Only stages at working-day levels need the calendar's generation (one more read).
  const business = businessLevels(ctx)
  const wd = stages.some((s) => business.includes(s.level as never))
    ? await measureFor(trx, ctx, now)
    : null
  // A ticket the rollups never counted (written around this module): count it from now on.
  const counted = before !== null && prevList.length > 0

  const wanted = stages.filter((s) => needsPauses(after, s, prev.get(s.id), wd)).map((s) => s.id)
  const pauses = new Map<number, Interval[]>()
  if (wanted.length) {
    const rows = await trx
      .selectFrom('clock_pauses')
      .select(['stage_id', 'started_at', 'ended_at'])
      .where('stage_id', 'in', wanted)
      .orderBy('id')
      .execute()
    for (const id of wanted) pauses.set(id, [])
    for (const r of rows) pauses.get(r.stage_id)!.push({ start: r.started_at, end: r.ended_at })
  }

  // Proposals count for the stage whose span holds them; spans change only when a stage is
  // entered or left, and only then are the ticket's proposal events read again.
  const spansMoved =
    stages.length !== prevList.length ||
    stages.some(
      (s) => prev.get(s.id)?.entered_at !== s.entered_at || prev.get(s.id)?.left_at !== s.left_at,
    )
  let proposals: Map<number, { pp: number; pa: number; px: number }>
  // Read from the events (which hold this change's own event already), or carried over from the
  // stored facts plus this change's event.
  const readEvents = before !== null && (spansMoved || !counted)
  if (readEvents) {
    const events = await trx
      .selectFrom('events')
      .select(['type', 'created_at'])
      .where('ticket_id', '=', after.id)
      .where('type', 'in', [...PROPOSAL_EVENTS])
      .execute()
    proposals = attributeProposals(stages, events)
  } else {
    proposals = new Map(
      stages.map((s) => [
        s.id,
        { pp: prev.get(s.id)?.pp ?? 0, pa: prev.get(s.id)?.pa ?? 0, px: prev.get(s.id)?.px ?? 0 },
      ]),
    )
  }
  if (!readEvents && event && (PROPOSAL_EVENTS as readonly string[]).includes(event.type)) {
    const more = attributeProposals(stages, [{ type: event.type, created_at: event.at }])
    for (const [id, m] of more) {
      const p = proposals.get(id)!
      p.pp += m.pp
      p.pa += m.pa
      p.px += m.px
    }
  }

  const facts = stages.map((s) =>
    deriveStageFact(after, s, prev.get(s.id), pauses.get(s.id), wd, proposals.get(s.id)!),
  )
  const unchanged =
    counted &&
    sameTicketFacts(before, after) &&
    facts.length === prevList.length &&
    facts.every((f, i) => sameFact(f, prevList[i]!))
  if (unchanged) return
  await applyTally(
    trx,
    contributions(after, facts).minus(counted ? contributions(before, prevList) : new Tally()),
  )
  await writeFacts(trx, counted ? prevList : [], facts)
}

/**
 * Writes the changed counters: per table one upsert of all its changed rows, each row adding its
 * deltas (0 for the columns it does not change) to the stored one or inserting them.
 *
 * Written out rather than built with Kysely's `sql` tag: a catch-up upserts tens of thousands of
 * rows at once, and building one node per value took most of its time and garbage (60 % of the
 * working-day catch-up). Table and column names come from ROLLUPS; every value is a parameter.
 */
export async function applyTally(db: DB, tally: Tally): Promise<void> {
  const byTable = new Map<RollupName, { key: (string | number)[]; cols: Map<string, number> }[]>()
  for (const row of tally.rows.values()) {
    const list = byTable.get(row.table) ?? []
    list.push(row)
    byTable.set(row.table, list)
  }
  for (const [table, rows] of byTable) {
    const spec = ROLLUPS[table]
    const cols = [...new Set(rows.flatMap((r) => [...r.cols.keys()]))]
    const width = spec.keys.length + cols.length
    const head = `insert into ${spec.name} (${[...spec.keys, ...cols].join(', ')}) values `
    const tail = ` on conflict (${spec.keys.join(', ')}) do update set ${cols.map((c) => `${c} = ${spec.name}.${c} + excluded.${c}`).join(', ')}`
    // SQLite binds at most 32766 parameters per statement.
    const per = Math.max(1, Math.floor(30_000 / width))
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per)
      const params: (string | number)[] = []
      for (const r of chunk) {
        params.push(...r.key)
        for (const c of cols) params.push(r.cols.get(c) ?? 0)
      }
      await db.executeQuery(
        CompiledQuery.raw(head + placeholderRows(chunk.length, width) + tail, params),
      )
    }
  }
}

/** `(?, ?, …), (?, ?, …)`: `rows` groups of `width` placeholders, the same text for the same shape. */
function placeholderRows(rows: number, width: number): string {
  const one = `(${'?, '.repeat(width - 1)}?)`
  return Array.from({ length: rows }, () => one).join(', ')
}

const FACT_COLUMNS = [
  'level',
  'entered_at',
  'left_at',
  'provider_id',
  'category',
  'currency',
  'assignee_id',
  'tstate',
  'due_at',
  'fr_at',
  'fr_ms',
  'res_end',
  'res_ms',
  'rcpt_ms',
  'fr_wd',
  'res_wd',
  'wd_gen',
  'pp',
  'pa',
  'px',
] as const satisfies readonly (keyof StageFact)[]

/** Every column of report_stages, key first. */
const FACT_KEYS = ['created_day', 'ticket_id', 'stage_id', ...FACT_COLUMNS] as const

/** Writes the changed stage facts and their duration rows (before: what is stored now). */
export async function writeFacts(
  db: DB,
  before: readonly StageFact[],
  after: readonly StageFact[],
): Promise<void> {
  const old = new Map(before.map((f) => [f.stage_id, f]))
  const changed = after.filter((f) => !old.has(f.stage_id) || !sameFact(old.get(f.stage_id)!, f))
  if (changed.length <= 8) {
    // The usual case, one or two stages: touch only the columns that changed, so the indexes on
    // the others are left alone.
    for (const f of changed) {
      const p = old.get(f.stage_id)
      if (!p) {
        await db.insertInto('report_stages').values(f).execute()
        continue
      }
      const set: Record<string, unknown> = {}
      for (const col of FACT_COLUMNS) if (p[col] !== f[col]) set[col] = f[col]
      await db
        .updateTable('report_stages')
        .set(set)
        .where('created_day', '=', f.created_day)
        .where('ticket_id', '=', f.ticket_id)
        .where('stage_id', '=', f.stage_id)
        .execute()
    }
  } else {
    for (let i = 0; i < changed.length; i += 500) {
      await db
        .insertInto('report_stages')
        .values(changed.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['created_day', 'ticket_id', 'stage_id']).doUpdateSet((eb) => {
            const set: Record<string, unknown> = {}
            for (const col of FACT_COLUMNS) set[col] = eb.ref(`excluded.${col}`)
            return set as never
          }),
        )
        .execute()
    }
  }
  const was = new Map(before.flatMap(durationRows).map((r) => [durationKey(r), r]))
  const is = new Map(after.flatMap(durationRows).map((r) => [durationKey(r), r]))
  const gone = [...was].filter(([k]) => !is.has(k)).map(([, r]) => r)
  // By whole primary key, a few hundred at a time (many only when a calendar change is caught up).
  for (let i = 0; i < gone.length; i += 400) {
    const chunk = gone.slice(i, i + 400)
    const params = chunk.flatMap((r) => [r.kind, r.unit, r.grp, r.cb, r.fb, r.value, r.stage_id])
    await db.executeQuery(
      CompiledQuery.raw(
        `delete from report_durations where (kind, unit, grp, cb, fb, value, stage_id) in (values ${placeholderRows(chunk.length, 7)})`,
        params,
      ),
    )
  }
  const added = [...is].filter(([k]) => !was.has(k)).map(([, r]) => r)
  for (let i = 0; i < added.length; i += 1000)
    await db
      .insertInto('report_durations')
      .values(added.slice(i, i + 1000))
      .execute()
}
