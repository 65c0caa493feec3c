// Small statistics the reports share, defined once so SQL and JavaScript agree. Pure.

/**
 * The nearest-rank percentile: the value at rank ceil(p·n) of the ascending list (1-based), so
 * the median of 4 values is the 2nd. The SQL in queries/percentiles.ts picks the same rank.
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length
  if (n === 0) return null
  const rank = Math.min(n, Math.max(1, Math.ceil(p * n - 1e-9)))
  return sortedAscending[rank - 1]!
}

/** ceil(n/2) and ceil(9n/10) as integer arithmetic, the ranks SQL uses for median and p90. */
export const medianRank = (n: number) => Math.floor((n + 1) / 2)
export const p90Rank = (n: number) => Math.floor((9 * n + 9) / 10)

/** Age buckets of the backlog, in whole days since the ticket was received. */
export const AGE_BUCKETS = [
  { key: '0-7', min: 0, max: 7 },
  { key: '8-15', min: 8, max: 15 },
  { key: '16-30', min: 16, max: 30 },
  { key: '31-60', min: 31, max: 60 },
  { key: '61+', min: 61, max: null },
] as const

export type AgeBucket = (typeof AGE_BUCKETS)[number]['key']

/** Which bucket a ticket received at `createdAt` falls in at `now`. */
export function ageBucket(createdAt: number, now: number): AgeBucket {
  const days = Math.floor((now - createdAt) / 86_400_000)
  for (const b of AGE_BUCKETS) if (b.max === null || days <= b.max) return b.key
  return '61+'
}

/**
 * The systemic alert rule: at least `minCount` tickets in the last 7 days and at least `factor`
 * times the weekly mean of the 8 weeks before them. Integer arithmetic: 8·last ≥ factor·trailing.
 */
export const ALERT_RULE = { factor: 3, minCount: 10, trailingWeeks: 8 } as const

export function isSystemicAlert(last7: number, trailing8Weeks: number, rule = ALERT_RULE): boolean {
  return last7 >= rule.minCount && last7 * rule.trailingWeeks >= rule.factor * trailing8Weeks
}
