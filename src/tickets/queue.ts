// The agent's queue: filters, sorts and keyset pages of 50 (no OFFSET), each sort read in the
// order of an index that migration 0004 made for it. Nullable sort columns are sorted by a
// COALESCE key that migration 0004 indexes, so "no due date last" is the same on every database
// and a page is a single index range (SQLite's planner mis-costs `due_at IS NULL` ranges).
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { DB } from '../db/connection.js'
import type { Database } from '../db/schema.js'
import type { CategoryKey } from '../domain/categories.js'
import { addLocalDays, localDate, startOfLocalDay } from '../domain/zoneTime.js'
import { OPEN_STATUSES, type Level, type Status } from '../domain/ladder.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'
import { searchTickets, type SearchHit } from '../search/ticketSearch.js'
import { dueKey } from '../db/dueKey.js'
import type { QueueColumn } from './queueColumns.js'

export const PAGE_SIZE = 50
/** The most rows one request returns (a refresh of a list the agent extended with "load more"). */
export const MAX_ROWS = 500
/** Time-based counts stop here and show "1000+": a small bounded index read on every page view. */
export const COUNT_CAP = 1_000

/**
 * Statuses that are not open work. Spelled exactly as in migration 0004's partial indexes (same
 * values, same order) and sent as literals, so that SQLite can prove a query may use them.
 */
export const NOT_OPEN = ['resolved', 'closed', 'withdrawn'] as const

export const SORTS = ['due', 'newest', 'oldest', 'amount'] as const
export type Sort = (typeof SORTS)[number]

export type AssigneeFilter = 'any' | 'me' | 'none' | number

export interface QueueFilters {
  status: Status | 'open' | 'all'
  level: Level | null
  category: CategoryKey | null
  provider: number | null
  assignee: AssigneeFilter
  overdue: boolean
  dueToday: boolean
  q: string
  sort: Sort
  /** A normalised tag (domain/tags.ts), or null. */
  tag?: string | null
  /** Columns the view hides (src/tickets/queueColumns.ts); they filter nothing. */
  hidden?: readonly QueueColumn[]
}

export interface Cursor {
  /** The sort it belongs to; 'rank' for search results. */
  k: Sort | 'rank'
  /** The sort key of the last row shown, and its id. */
  v: number
  i: number
}

export interface QueueRequest {
  filters: QueueFilters
  cursor: Cursor | null
  limit: number
}

/** The canonical query string of a filter set (no cursor), for links and for "current view". */
export function filtersQuery(f: QueueFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams()
  const defaultStatus = f.q ? 'all' : 'open'
  if (f.status !== defaultStatus) p.set('status', f.status)
  if (f.level) p.set('level', f.level)
  if (f.category) p.set('category', f.category)
  if (f.provider !== null) p.set('provider', String(f.provider))
  if (f.assignee !== 'any') p.set('assignee', String(f.assignee))
  if (f.overdue) p.set('overdue', '1')
  if (f.dueToday) p.set('due', 'today')
  if (f.q) p.set('q', f.q)
  if (f.tag) p.set('tag', f.tag)
  if (f.sort !== 'due') p.set('sort', f.sort)
  for (const c of f.hidden ?? []) p.append('hide', c)
  for (const [k, v] of Object.entries(extra)) p.set(k, v)
  return p.toString()
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.k, c.v, c.i])).toString('base64url')
}

export function decodeCursor(raw: string): Cursor | null {
  if (!raw || raw.length > 200) return null
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== 3) return null
    const [k, v, i] = parsed as unknown[]
    if (!((SORTS as readonly unknown[]).includes(k) || k === 'rank')) return null
    if (typeof v !== 'number' || !Number.isFinite(v)) return null
    if (typeof i !== 'number' || !Number.isSafeInteger(i)) return null
    return { k: k as Cursor['k'], v, i }
  } catch {
    return null
  }
}

/** Written exactly as in migration 0004's index expressions: a literal, not a parameter. */
const NO_AMOUNT = -1

const SORT_KEYS: Record<Sort, { key: () => RawBuilder<number>; dir: 'asc' | 'desc' }> = {
  // Soonest first: overdue tickets (due in the past) lead; tickets without a clock come last.
  due: { key: dueKey, dir: 'asc' },
  newest: { key: () => sql<number>`tickets.created_at`, dir: 'desc' },
  oldest: { key: () => sql<number>`tickets.created_at`, dir: 'asc' },
  // Largest first; tickets without an amount last.
  amount: {
    key: () => sql<number>`coalesce(tickets.amount_minor, ${sql.lit(NO_AMOUNT)})`,
    dir: 'desc',
  },
}

export interface QueueContext {
  userId: number
  now: number
}

export function endOfToday(now: number): number {
  return startOfLocalDay(addLocalDays(localDate(now, DISPLAY_TIME_ZONE), 1), DISPLAY_TIME_ZONE)
}

const notOpen = sql<boolean>`tickets.status not in (${sql.join(NOT_OPEN.map((s) => sql.lit(s)))})`

function applyFilters<O>(
  q: SelectQueryBuilder<Database, 'tickets', O>,
  f: QueueFilters,
  ctx: QueueContext,
): SelectQueryBuilder<Database, 'tickets', O> {
  if (f.status === 'open') q = q.where(notOpen)
  else if (f.status !== 'all') {
    q = q.where('tickets.status', '=', f.status)
    // Restated so the planner may use the indexes over open tickets.
    if ((OPEN_STATUSES as readonly string[]).includes(f.status)) q = q.where(notOpen)
  }
  if (f.level) q = q.where('tickets.level', '=', f.level)
  if (f.category) q = q.where('tickets.category', '=', f.category)
  if (f.provider !== null) q = q.where('tickets.provider_id', '=', f.provider)
  if (f.assignee === 'me') q = q.where('tickets.assignee_id', '=', ctx.userId)
  else if (f.assignee === 'none') q = q.where('tickets.assignee_id', 'is', null)
  else if (f.assignee !== 'any') q = q.where('tickets.assignee_id', '=', f.assignee)
  // Stated on the sort key (equal to due_at whenever there is one), so the due sort's index serves both.
  const due = dueKey
  if (f.overdue) q = q.where(due(), '<', ctx.now)
  if (f.dueToday) q = q.where(due(), '>=', ctx.now).where(due(), '<', endOfToday(ctx.now))
  // The tag's ids come from the (tag, ticket_id) index alone; the sort's index does the rest.
  if (f.tag) {
    const tag = f.tag
    q = q.where('tickets.id', 'in', (eb) =>
      eb
        .selectFrom('ticket_tags')
        .select('ticket_tags.ticket_id')
        .where('ticket_tags.tag', '=', tag),
    )
  }
  return q
}

/** The ids and sort keys of a queue page, in index order. Exported for the EXPLAIN tests. */
export function pageQuery(
  db: DB,
  f: QueueFilters,
  ctx: QueueContext,
  after: Cursor | null,
  limit: number,
) {
  const { key, dir } = SORT_KEYS[f.sort]
  let q = applyFilters(db.selectFrom('tickets').select(['tickets.id', key().as('key')]), f, ctx)
  if (after) {
    // The single-column bound lets the index seek; the row value breaks ties by id.
    const [bound, cmp] = dir === 'asc' ? (['>=', '>'] as const) : (['<=', '<'] as const)
    q = q
      .where(key(), bound, after.v)
      .where((eb) => eb(eb.tuple(key(), eb.ref('tickets.id')), cmp, eb.tuple(after.v, after.i)))
  }
  return q.orderBy(key(), dir).orderBy('tickets.id', dir).limit(limit)
}

export interface QueuePage {
  ids: number[]
  /** The cursor after the last row, when more rows follow. */
  next: string | null
}

/** The ids of one page, in order, without any per-row query. */
export async function queuePage(db: DB, req: QueueRequest, ctx: QueueContext): Promise<QueuePage> {
  const f = req.filters
  if (f.q) return searchPage(db, req, ctx)
  const cursor = req.cursor && req.cursor.k === f.sort ? req.cursor : null
  const rows = await pageQuery(db, f, ctx, cursor, req.limit + 1).execute()
  const page = rows.slice(0, req.limit)
  const last = page[page.length - 1]
  return {
    ids: page.map((r) => r.id),
    next:
      rows.length > req.limit && last
        ? encodeCursor({ k: f.sort, v: Number(last.key), i: last.id })
        : null,
  }
}

/** Exact references first (case number, transaction reference), else ranked free text. */
async function searchHits(db: DB, q: string): Promise<SearchHit[]> {
  const caseNumber = normalizeCaseNumber(q)
  const exact = await db
    .selectFrom('tickets')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(caseNumber ? [eb('case_number', '=', caseNumber)] : []),
        eb('transaction_ref', '=', q.trim()),
      ]),
    )
    .orderBy('id')
    .limit(MAX_ROWS)
    .execute()
  if (exact.length) return exact.map((r) => ({ id: r.id, score: 0 }))
  return searchTickets(db, q)
}

async function searchPage(db: DB, req: QueueRequest, ctx: QueueContext): Promise<QueuePage> {
  const hits = await searchHits(db, req.filters.q)
  if (!hits.length) return { ids: [], next: null }
  // A plain search (every status, no other filter) allows every hit: no query over 1000 ids.
  const f = req.filters
  const unfiltered =
    f.status === 'all' &&
    !f.level &&
    !f.category &&
    f.provider === null &&
    f.assignee === 'any' &&
    !f.overdue &&
    !f.dueToday &&
    !f.tag
  const allowed = unfiltered
    ? null
    : new Set(
        (
          await applyFilters(db.selectFrom('tickets').select('tickets.id'), f, ctx)
            .where(
              'tickets.id',
              'in',
              hits.map((h) => h.id),
            )
            .execute()
        ).map((r) => r.id),
      )
  const c = req.cursor?.k === 'rank' ? req.cursor : null
  const ordered = hits.filter(
    (h) =>
      (allowed === null || allowed.has(h.id)) &&
      (!c || h.score > c.v || (h.score === c.v && h.id > c.i)),
  )
  const page = ordered.slice(0, req.limit)
  const last = page[page.length - 1]
  return {
    ids: page.map((h) => h.id),
    next:
      ordered.length > req.limit && last
        ? encodeCursor({ k: 'rank', v: last.score, i: last.id })
        : null,
  }
}

export interface QueueRow {
  id: number
  case_number: string
  category: string
  provider_id: number | null
  provider_other: string | null
  provider_zh: string | null
  provider_en: string | null
  amount_minor: number | null
  currency: string
  level: string
  status: string
  priority: string
  assignee_id: number | null
  assignee_name: string | null
  due_at: number | null
  paused_at: number | null
  reminder_at: number | null
  created_at: number
  updated_at: number
  version: number
  description_head: string
  /** The complainant or an outside body wrote since the assignee last opened it (1), else 0. */
  unread: number
}

/** The rows of a page with provider and assignee names, in one query. */
export async function loadRows(db: DB, ids: readonly number[]): Promise<QueueRow[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('providers', 'providers.id', 'tickets.provider_id')
    .leftJoin('users', 'users.id', 'tickets.assignee_id')
    .leftJoin('ticket_inbound', 'ticket_inbound.ticket_id', 'tickets.id')
    .select([
      'tickets.id',
      'tickets.case_number',
      'tickets.category',
      'tickets.provider_id',
      'tickets.provider_other',
      'providers.name_zh as provider_zh',
      'providers.name_en as provider_en',
      'tickets.amount_minor',
      'tickets.currency',
      'tickets.level',
      'tickets.status',
      'tickets.priority',
      'tickets.assignee_id',
      'users.name as assignee_name',
      'tickets.due_at',
      'tickets.paused_at',
      'tickets.reminder_at',
      'tickets.created_at',
      'tickets.updated_at',
      'tickets.version',
      // Enough for the first line; redaction runs on it before display.
      sql<string>`substr(tickets.description, 1, 400)`.as('description_head'),
      sql<number>`(tickets.assignee_id is not null and ticket_inbound.read_at is null and ticket_inbound.ticket_id is not null)`.as(
        'unread',
      ),
    ])
    .where('tickets.id', 'in', [...ids])
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id) => byId.get(id)).filter((r): r is QueueRow => r !== undefined)
}

/** Open tickets matching `build`, counted up to COUNT_CAP: a bounded index read. */
export async function cappedCount(
  db: DB,
  build: (
    q: SelectQueryBuilder<Database, 'tickets', {}>,
  ) => SelectQueryBuilder<Database, 'tickets', {}>,
) {
  const inner = build(db.selectFrom('tickets').where(notOpen))
    .select(sql<number>`1`.as('one'))
    .limit(COUNT_CAP)
  const row = await db
    .selectFrom(inner.as('capped'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The tickets a filtered view holds, counted up to COUNT_CAP (a search view is not counted). */
export async function viewTotal(db: DB, f: QueueFilters, ctx: QueueContext): Promise<number> {
  const inner = applyFilters(
    db.selectFrom('tickets').select(sql<number>`1`.as('one')),
    f,
    ctx,
  ).limit(COUNT_CAP)
  const row = await db
    .selectFrom(inner.as('capped'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** The first due time after `now` among open tickets: where an overdue mark or a timed count changes. */
export async function nextDueAfter(db: DB, now: number): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select(dueKey().as('key'))
    .where(notOpen)
    .where(dueKey(), '>', now)
    .orderBy(dueKey())
    .limit(1)
    .executeTakeFirst()
  return row ? Number(row.key) : Infinity
}
