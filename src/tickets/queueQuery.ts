// The queue's query string (names as in CONTRACT.md), read through zod like every form and query.
// Unknown or malformed values are ignored rather than refused: a filter link someone edited by
// hand still opens the queue, with that filter off.
import { z } from 'zod'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { firstValue } from '../http/forms.js'
import { LEVELS, STATUSES } from '../domain/ladder.js'
import { normalizeTag } from '../domain/tags.js'
import { hiddenColumns } from './queueColumns.js'
import {
  MAX_ROWS,
  PAGE_SIZE,
  SORTS,
  decodeCursor,
  type QueueFilters,
  type QueueRequest,
} from './queue.js'

/** One value: the first of a repeated name, trimmed; absent or not text reads as ''. */
const text = firstValue(z.string())
  .transform((s) => s.trim())
  .catch('')
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  text.pipe(z.enum(values)).nullable().catch(null)

const STATUS_FILTERS = ['open', 'all', ...STATUSES] as const

function assigneeOf(s: string): QueueFilters['assignee'] {
  if (s === 'me' || s === 'none') return s
  return /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : 'any'
}

function limitOf(s: string): number {
  const n = Number(s)
  return Number.isInteger(n) && n >= PAGE_SIZE ? Math.min(n, MAX_ROWS) : PAGE_SIZE
}

export interface QueueQuery extends QueueRequest {
  /** The cursor as given, when it decoded. */
  cursorText: string
  /** "Load more": the part asked for, the rows shown so far and the cursor the list started at. */
  more: boolean
  shown: number
  start: string
}

export const queueQuerySchema = z
  .object({
    status: oneOf(STATUS_FILTERS),
    q: text.transform((s) => s.slice(0, 200)),
    level: oneOf(LEVELS),
    category: oneOf(CATEGORY_KEYS),
    provider: text.transform((s) => {
      const n = Number(s)
      return Number.isSafeInteger(n) && n > 0 ? n : null
    }),
    assignee: text.transform(assigneeOf),
    overdue: text.transform((s) => s === '1'),
    due: text.transform((s) => s === 'today'),
    sort: oneOf(SORTS),
    tag: text.transform((s) => {
      const n = normalizeTag(s)
      return n.ok ? n.tag : null
    }),
    // Repeated, one column each; what is not a column is left out.
    hide: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => hiddenColumns(v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .catch([]),
    cursor: text,
    limit: text.transform(limitOf),
    part: text,
    shown: text.transform((s) => Math.max(0, Math.min(Number(s) || 0, 450))),
    start: text,
  })
  .transform((r): QueueQuery => ({
    filters: {
      // A search looks through closed cases too unless a status is chosen.
      status: r.status ?? (r.q ? 'all' : 'open'),
      level: r.level,
      category: r.category,
      provider: r.provider,
      assignee: r.assignee,
      overdue: r.overdue,
      dueToday: r.due,
      q: r.q,
      sort: r.sort ?? 'due',
      tag: r.tag,
      hidden: r.hide,
    },
    cursor: decodeCursor(r.cursor),
    cursorText: decodeCursor(r.cursor) ? r.cursor : '',
    limit: r.limit,
    more: r.part === 'more',
    shown: r.shown,
    start: decodeCursor(r.start) ? r.start : '',
  }))
