// The queue as agents see it: a page of presented rows and the sidebar's named views. Every
// agent's open queue refreshes itself every 30 s and most look at the same few views, so each
// answer is cached (src/db/readCache.ts) for everyone asking the same question until a ticket
// changes, the next due time of an open ticket passes (rows turn overdue, counts move), the day
// ends, or QUEUE_CACHE_MS has passed (relative times like "in 3 hours" move on).
import type { DB } from '../db/connection.js'
import { cachedRead } from '../db/readCache.js'
import { dueKey } from '../db/dueKey.js'
import { LEVELS, type Level } from '../domain/ladder.js'
import type { Locale } from '../i18n/locale.js'
import { counterName, readCounters } from './counters.js'
import {
  COUNT_CAP,
  cappedCount,
  encodeCursor,
  endOfToday,
  filtersQuery,
  loadRows,
  nextDueAfter,
  queuePage,
  type QueueContext,
  type QueuePage,
  type QueueRequest,
  type QueueRow,
  viewTotal,
} from './queue.js'

export const QUEUE_CACHE_MS = 15_000

/** Until when a queue answer computed at `now` stays true if no data changes. */
export async function cachedUntil(db: DB, now: number): Promise<number> {
  return Math.min(now + QUEUE_CACHE_MS, endOfToday(now), await nextDueAfter(db, now))
}

/** A page's rows as the agent sees them: rendered once, then cached with the page. */
export interface PresentedRows {
  html: string
  count: number
}

export interface QueueResults {
  page: QueuePage
  rows: PresentedRows
}

/**
 * One page of the queue, its rows presented by `present` in `locale` at `ctx.now` (nothing else may
 * shape what it returns). "Assigned to me" is the only per-agent question.
 */
export function queueResults(
  db: DB,
  req: QueueRequest,
  ctx: QueueContext,
  locale: Locale,
  present: (rows: QueueRow[]) => PresentedRows,
): Promise<QueueResults> {
  const f = req.filters
  const key = [
    'queue',
    locale,
    // Hidden columns are hidden by the stylesheet: the rows are the same.
    filtersQuery({ ...f, hidden: [] }),
    req.cursor ? encodeCursor(req.cursor) : '',
    req.limit,
    f.assignee === 'me' ? ctx.userId : '',
  ].join('|')
  return cachedRead(db, key, ctx.now, async () => {
    const page = await queuePage(db, req, ctx)
    const rows = present(await loadRows(db, page.ids))
    return { value: { page, rows }, until: await cachedUntil(db, ctx.now), weight: rows.count + 1 }
  })
}

/** The view's total for its heading, shared like its rows; null for a search. */
export async function cachedTotal(
  db: DB,
  req: QueueRequest,
  ctx: QueueContext,
): Promise<{ n: number; capped: boolean } | null> {
  const f = req.filters
  if (f.q) return null
  // Neither the sort nor the hidden columns change what is counted.
  const counted = filtersQuery({ ...f, sort: 'due', hidden: [] })
  const key = ['queue-total', counted, f.assignee === 'me' ? ctx.userId : ''].join('|')
  const n = await cachedRead(db, key, ctx.now, async () => ({
    value: await viewTotal(db, f, ctx),
    until: await cachedUntil(db, ctx.now),
  }))
  return { n, capped: n >= COUNT_CAP }
}

/** Open tickets overdue now and due later today, each counted up to COUNT_CAP. */
function timedCounts(db: DB, now: number): Promise<{ overdue: number; dueToday: number }> {
  return cachedRead(db, 'queue-timed-counts', now, async () => ({
    value: {
      // On the sort key, as the queue's own filters are, so the open-tickets due index serves them.
      overdue: await cappedCount(db, (q) => q.where(dueKey(), '<', now)),
      dueToday: await cappedCount(db, (q) =>
        q.where(dueKey(), '>=', now).where(dueKey(), '<', endOfToday(now)),
      ),
    },
    until: await cachedUntil(db, now),
  }))
}

export type ViewKey =
  | 'mine'
  | 'unassigned'
  | 'overdue'
  | 'due_today'
  | 'waiting_complainant'
  | 'waiting_body'
  | `level_${Level}`

export interface NamedView {
  key: ViewKey
  query: string
  count: number
  /** The count reached COUNT_CAP and stopped there. */
  capped: boolean
}

/** The sidebar: counter rows for the status-based views, bounded counts for the timed ones, all cached. */
export async function namedViews(db: DB, ctx: QueueContext): Promise<NamedView[]> {
  // Counter rows move only with ticket writes, so they are cached until the next one.
  const counters = await cachedRead(db, `queue-counters|${ctx.userId}`, ctx.now, async () => ({
    value: await readCounters(db, [
      counterName.openAssignee(ctx.userId),
      counterName.openAssignee(null),
      counterName.status('waiting_complainant'),
      counterName.status('waiting_body'),
      ...LEVELS.map((l) => counterName.openLevel(l)),
    ]),
  }))
  const { overdue, dueToday } = await timedCounts(db, ctx.now)
  const counted = (key: ViewKey, query: string, count: number, capped = false): NamedView => ({
    key,
    query,
    count,
    capped,
  })
  return [
    counted('mine', 'assignee=me', counters.get(counterName.openAssignee(ctx.userId)) ?? 0),
    counted('unassigned', 'assignee=none', counters.get(counterName.openAssignee(null)) ?? 0),
    counted('overdue', 'overdue=1', overdue, overdue >= COUNT_CAP),
    counted('due_today', 'due=today', dueToday, dueToday >= COUNT_CAP),
    counted(
      'waiting_complainant',
      'status=waiting_complainant',
      counters.get(counterName.status('waiting_complainant')) ?? 0,
    ),
    counted(
      'waiting_body',
      'status=waiting_body',
      counters.get(counterName.status('waiting_body')) ?? 0,
    ),
    ...LEVELS.map((l) =>
      counted(`level_${l}`, `level=${l}`, counters.get(counterName.openLevel(l)) ?? 0),
    ),
  ]
}

/** The providers the filter form offers, in the admin's order; cached until data changes. */
export function filterProviders(db: DB) {
  return cachedRead(db, 'queue-filter-providers', 0, async () => ({
    value: await db
      .selectFrom('providers')
      .select(['id', 'name_zh', 'name_en'])
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
  }))
}
