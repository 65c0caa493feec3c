// Saved queue views: a name for a queue query (filters, sort and hidden columns, kept as the
// queue's canonical query string), personal or shared with everyone by a manager, listed in the
// queue's sidebar with a count. Counts are read as the built-in views' are: a counter row when
// the view is one the counters keep (open tickets of an assignee or a level, a status), else the
// queue's own capped total (an index read of at most COUNT_CAP rows, cached until data changes);
// a search is not counted.
import type { DB } from '../db/connection.js'
import { cachedRead } from '../db/readCache.js'
import type { Status } from '../domain/ladder.js'
import { roleAtLeast, type Role } from '../domain/roles.js'
import { counterName, readCounters } from './counters.js'
import { filtersQuery, type QueueContext, type QueueFilters } from './queue.js'
import { queueQuerySchema } from './queueQuery.js'
import { cachedTotal } from './queueView.js'

export const VIEW_NAME_MAX = 60
/** Views one person may keep, so that the sidebar (and its counts) stays short. */
export const MAX_VIEWS_PER_OWNER = 30

export interface SavedView {
  id: number
  ownerId: number
  name: string
  query: string
  shared: boolean
}

/** Who may share a view with everyone, and rename or delete a shared one. */
export const mayShare = (role: Role) => roleAtLeast(role, 'manager')

/** A query string's values as the queue's schema reads them (a repeated name as a list). */
function queryValues(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URLSearchParams(query)) {
    const had = out[k]
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]
  }
  return out
}

/** The filters a query string names, read as the queue reads its URL. */
export function filtersOf(query: string): QueueFilters {
  return queueQuerySchema.parse(queryValues(query)).filters
}

/** The canonical form of a queue query: what the queue's URL is for it (no page, no cursor). */
export function canonicalQuery(query: string): string {
  return filtersQuery(filtersOf(query))
}

/** The user's own views and the shared ones, personal first, each by name; cached until data changes. */
export function visibleViews(db: DB, userId: number): Promise<SavedView[]> {
  return cachedRead(db, `saved-views|${userId}`, 0, async () => {
    const rows = await db
      .selectFrom('saved_views')
      .select(['id', 'owner_id', 'name', 'query', 'shared'])
      .where((eb) => eb.or([eb('shared', '=', 1), eb('owner_id', '=', userId)]))
      .orderBy('shared')
      .orderBy('name')
      .orderBy('id')
      .execute()
    return {
      value: rows.map((r) => ({
        id: r.id,
        ownerId: r.owner_id,
        name: r.name,
        query: r.query,
        shared: r.shared === 1,
      })),
    }
  })
}

export async function findView(db: DB, userId: number, id: number): Promise<SavedView | undefined> {
  return (await visibleViews(db, userId)).find((v) => v.id === id)
}

/** May this user rename or delete the view? Their own personal ones; shared ones if a manager. */
export function mayEdit(view: SavedView, user: { id: number; role: Role }): boolean {
  return view.shared ? mayShare(user.role) : view.ownerId === user.id
}

/** Another view of the same name (letter case aside) that would sit beside this one. */
export async function nameTaken(
  db: DB,
  v: { name: string; ownerId: number; exceptId?: number },
): Promise<boolean> {
  let q = db
    .selectFrom('saved_views')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', v.name.toLowerCase()))
    // Beside it in its owner's sidebar: the shared views and the owner's own.
    .where((eb) => eb.or([eb('shared', '=', 1), eb('owner_id', '=', v.ownerId)]))
  if (v.exceptId !== undefined) q = q.where('id', '!=', v.exceptId)
  return (await q.limit(1).executeTakeFirst()) !== undefined
}

export async function ownViewCount(db: DB, ownerId: number): Promise<number> {
  const row = await db
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

const isUniqueViolation = (err: unknown) =>
  (err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'

/** Inserts a view; false when a view of that name was saved at the same moment. */
export async function insertView(
  db: DB,
  v: { ownerId: number; name: string; query: string; shared: boolean; now: number },
): Promise<number | null> {
  try {
    const row = await db
      .insertInto('saved_views')
      .values({
        owner_id: v.ownerId,
        name: v.name,
        query: v.query,
        shared: v.shared ? 1 : 0,
        created_at: v.now,
        updated_at: v.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  } catch (err) {
    if (isUniqueViolation(err)) return null
    throw err
  }
}

export async function renameView(db: DB, id: number, name: string, now: number): Promise<boolean> {
  try {
    await db
      .updateTable('saved_views')
      .set({ name, updated_at: now })
      .where('id', '=', id)
      .execute()
    return true
  } catch (err) {
    if (isUniqueViolation(err)) return false
    throw err
  }
}

export async function deleteView(db: DB, id: number): Promise<void> {
  await db.deleteFrom('saved_views').where('id', '=', id).execute()
}

/** The counter row that holds exactly this view's count, if the counters keep one. */
export function counterFor(f: QueueFilters, userId: number): string | null {
  const others =
    f.category !== null ||
    f.provider !== null ||
    f.overdue ||
    f.dueToday ||
    f.q !== '' ||
    (f.tag ?? null) !== null
  if (others) return null
  const assignee = f.assignee === 'me' ? userId : f.assignee
  if (f.status === 'open') {
    if (assignee === 'any') return f.level ? counterName.openLevel(f.level) : counterName.open()
    if (f.level) return null
    return counterName.openAssignee(assignee === 'none' ? null : assignee)
  }
  if (f.status === 'all' || f.level || assignee !== 'any') return null
  return counterName.status(f.status as Status)
}

export interface CountedView extends SavedView {
  /** Null for a search, which is not counted. */
  count: number | null
  capped: boolean
}

/** Each view with its count: counter rows where they exist, else the queue's capped total. */
export async function countedViews(
  db: DB,
  views: readonly SavedView[],
  ctx: QueueContext,
): Promise<CountedView[]> {
  const filters = views.map((v) => filtersOf(v.query))
  const names = filters.map((f) => counterFor(f, ctx.userId))
  const wanted = [...new Set(names.filter((n): n is string => n !== null))]
  const counters = wanted.length
    ? await cachedRead(db, `saved-view-counters|${wanted.join(',')}`, ctx.now, async () => ({
        value: await readCounters(db, wanted),
      }))
    : new Map<string, number>()
  const out: CountedView[] = []
  for (const [i, v] of views.entries()) {
    const name = names[i]!
    if (name !== null) {
      out.push({ ...v, count: counters.get(name) ?? 0, capped: false })
      continue
    }
    const total = await cachedTotal(db, { filters: filters[i]!, cursor: null, limit: 1 }, ctx)
    out.push({ ...v, count: total?.n ?? null, capped: total?.capped ?? false })
  }
  return out
}
