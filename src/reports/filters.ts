// The filters every report shares, read from the query string. Dates are local days in the
// office's zone; the range covers whole days, `to` included.
import { z } from 'zod'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { addLocalDays, localDate, startOfLocalDay } from '../domain/zoneTime.js'
import { fieldErrors, type FieldErrors } from '../http/forms.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'

export const DEFAULT_RANGE_DAYS = 90
/** Ten years: beyond that the working-day calendar has no data anyway. */
export const MAX_RANGE_DAYS = 3660

const FILTER_NAMES = ['from', 'to', 'provider', 'category', 'assignee'] as const
/** Longer values are cut before they are checked or shown again. */
const MAX_VALUE = 40

/** The first value of a repeated name, cut to MAX_VALUE; blank counts as absent. */
const blankToUndefined = (v: unknown) => {
  const one = Array.isArray(v) ? v[0] : v
  if (typeof one !== 'string') return one
  return one.trim() === '' ? undefined : one.slice(0, MAX_VALUE)
}

function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  return y >= 2000 && y <= 2999 && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

const date = z.preprocess(
  blankToUndefined,
  z.string().refine(isCalendarDate, { message: 'reports.filter.badDate' }).optional(),
)
const id = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, { message: 'form.invalidChoice' })
    .transform(Number)
    .optional(),
)

export const filterSchema = z.object({
  from: date,
  to: date,
  provider: id,
  category: z.preprocess(
    blankToUndefined,
    z.enum(CATEGORY_KEYS, { message: 'form.invalidChoice' }).optional(),
  ),
  assignee: z.preprocess(
    blankToUndefined,
    z
      .union(
        [
          z.literal('none'),
          z
            .string()
            .regex(/^[1-9]\d{0,9}$/)
            .transform(Number),
        ],
        {
          message: 'form.invalidChoice',
        },
      )
      .optional(),
  ),
})

export type FilterInput = z.output<typeof filterSchema>

/** What every report query receives: the received-date range as instants, and the filters. */
export interface ReportScope {
  fromDate: string
  toDate: string
  /** Start of `fromDate`, local midnight. */
  fromMs: number
  /** End of `toDate`: the next local midnight (exclusive). */
  toMs: number
  providerId: number | null
  category: string | null
  assignee: number | 'none' | null
  now: number
}

export type ScopeResult =
  | { ok: true; scope: ReportScope; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> }

/** The filters as they were asked for, to show again in the form. */
export function filterValues(query: Record<string, string>): Record<string, string> {
  const raw: Record<string, string> = {}
  for (const k of FILTER_NAMES) {
    const v = query[k]
    if (typeof v === 'string') raw[k] = v.slice(0, MAX_VALUE)
  }
  return raw
}

/**
 * Checks the query string with filterSchema (as the routes' validQuery does) and resolves it; for
 * callers without a request.
 */
export function resolveScope(query: Record<string, string>, now: number): ScopeResult {
  const raw = filterValues(query)
  const parsed = filterSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values: raw }
  return scopeOf(parsed.data, raw, now)
}

/** Fills the defaults (the last 90 local days up to today) and checks the range as a whole. */
export function scopeOf(f: FilterInput, raw: Record<string, string>, now: number): ScopeResult {
  const today = localDate(now, DISPLAY_TIME_ZONE)
  const toDate = f.to ?? (f.from && f.from > today ? f.from : today)
  const fromDate = f.from ?? addLocalDays(toDate, -(DEFAULT_RANGE_DAYS - 1))
  if (fromDate > toDate)
    return { ok: false, errors: { to: 'reports.filter.toBeforeFrom' }, values: raw }
  const fromMs = startOfLocalDay(fromDate, DISPLAY_TIME_ZONE)
  const toMs = startOfLocalDay(addLocalDays(toDate, 1), DISPLAY_TIME_ZONE)
  if (toMs - fromMs > MAX_RANGE_DAYS * 86_400_000) {
    return { ok: false, errors: { from: 'reports.filter.rangeTooLong' }, values: raw }
  }
  const scope: ReportScope = {
    fromDate,
    toDate,
    fromMs,
    toMs,
    providerId: f.provider ?? null,
    category: f.category ?? null,
    assignee: f.assignee ?? null,
    now,
  }
  return { ok: true, scope, values: { ...raw, from: fromDate, to: toDate } }
}

/** The query string that reproduces a scope, for CSV links and pushed URLs. */
export function scopeQuery(scope: ReportScope): string {
  const p = new URLSearchParams({ from: scope.fromDate, to: scope.toDate })
  if (scope.providerId !== null) p.set('provider', String(scope.providerId))
  if (scope.category !== null) p.set('category', scope.category)
  if (scope.assignee !== null) p.set('assignee', String(scope.assignee))
  return p.toString()
}
