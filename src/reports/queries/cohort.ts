// The cohort, the tickets received in the range: its rollup counters, and the funnel, outcome,
// proposal and money figures that follow from them.
import { sql } from 'kysely'
import type { DB } from '../../db/connection.js'
import { LEVELS } from '../../domain/ladder.js'
import type { ReportScope } from '../filters.js'
import { COHORT_GROUPS, ROLLUPS } from '../layout.js'
import { periodRuns } from '../periods.js'
import { cohortDays, keyFilters, n, providerOf, runsSql, sliceOf, sums } from './scope.js'

/** Counters of report_cohort summed over the range, per provider (null: other), category, currency. */
export interface CohortGroup {
  providerId: number | null
  category: string
  currency: string
  c: Record<string, number>
}

export async function cohortGroups(db: DB, s: ReportScope): Promise<CohortGroup[]> {
  const [from, to] = cohortDays(s)
  const cols = ROLLUPS.cohort.cols
  const { rows } = await sql<Record<string, unknown>>`
    select provider_id, category, currency, ${sums(cols)} from report_cohort
    where ${runsSql(periodRuns(from, to), { a: sliceOf(s) })} and ${keyFilters(s)}
    group by provider_id, category, currency`.execute(db)
  return rows
    .map((r) => ({
      providerId: providerOf(r['provider_id']),
      category: String(r['category']),
      currency: String(r['currency']),
      c: Object.fromEntries(cols.map((c) => [c, n(r[c])])),
    }))
    .filter((g) => LEVELS.some((_, i) => g.c[`n${i}`]! > 0))
}

export type CohortCounter = (typeof COHORT_GROUPS)[number]

/** A counter of one level summed over the groups that pass `where`. */
export function total(
  groups: readonly CohortGroup[],
  counter: CohortCounter,
  level: number,
  where: (g: CohortGroup) => boolean = () => true,
): number {
  let sum = 0
  for (const g of groups) if (where(g)) sum += g.c[`${counter}${level}`]!
  return sum
}

export interface LevelCounts {
  /** Tickets whose current (highest) level is this one. */
  atLevel: number
  resolved: number
  open: number
}

export function funnelByLevel(groups: readonly CohortGroup[]): Map<string, LevelCounts> {
  return new Map(
    LEVELS.map((level, i) => [
      level,
      {
        atLevel: total(groups, 'n', i),
        resolved: total(groups, 'rs', i),
        open: total(groups, 'op', i),
      },
    ]),
  )
}

export interface FunnelGroup {
  key: string | number | null
  received: number
  reachedConsumerAssociation: number
  reachedRegulator: number
  reachedLegal: number
  resolved: number
}

/** Levels only go up, so a ticket's current level is the highest it reached. */
export function funnelBy(
  groups: readonly CohortGroup[],
  by: 'provider' | 'category',
): FunnelGroup[] {
  const keys = [...new Set(groups.map((g) => (by === 'provider' ? g.providerId : g.category)))]
  return keys.map((key) => {
    const mine = (g: CohortGroup) => (by === 'provider' ? g.providerId : g.category) === key
    const at = LEVELS.map((_, i) => total(groups, 'n', i, mine))
    return {
      key,
      received: at[0]! + at[1]! + at[2]! + at[3]!,
      reachedConsumerAssociation: at[1]! + at[2]! + at[3]!,
      reachedRegulator: at[2]! + at[3]!,
      reachedLegal: at[3]!,
      resolved: LEVELS.reduce((a, _, i) => a + total(groups, 'rs', i, mine), 0),
    }
  })
}

export interface OutcomeRow {
  level: string
  outcome: string | null
  relief: string | null
  n: number
}

/**
 * Closed (and withdrawn) tickets by the level they ended at, outcome and relief. Outcomes and
 * reliefs the reports do not list are kept as "other" rows so totals still count them.
 */
export function closedOutcomes(groups: readonly CohortGroup[]): OutcomeRow[] {
  const out: OutcomeRow[] = []
  LEVELS.forEach((level, i) => {
    const t = (c: CohortCounter) => total(groups, c, i)
    const resolved = t('cr')
    const rows: [string | null, string | null, number][] = [
      ['resolved', 'monetary', t('rm')],
      ['resolved', 'non_monetary', t('rn')],
      ['resolved', 'explanation', t('re')],
      ['resolved', null, t('rz')],
      ['resolved', 'other', resolved - t('rm') - t('rn') - t('re') - t('rz')],
      ['unresolved', null, t('cu')],
      ['withdrawn', null, t('cw')],
      ['duplicate', null, t('cd')],
      [null, null, t('cl') - resolved - t('cu') - t('cw') - t('cd')],
    ]
    for (const [outcome, relief, count] of rows)
      if (count > 0) out.push({ level, outcome, relief, n: count })
  })
  return out
}

/** Proposed, accepted and disputed resolutions, by the level they happened at. */
export function proposalEvents(
  groups: readonly CohortGroup[],
): Map<string, Record<string, number>> {
  return new Map(
    LEVELS.map((level, i) => [
      level,
      {
        resolution_proposed: total(groups, 'pp', i),
        accepted: total(groups, 'pa', i),
        disputed: total(groups, 'px', i),
      },
    ]),
  )
}

export interface MoneyRow {
  providerId: number | null
  currency: string
  tickets: number
  withAmount: number
  claimedMinor: number
  recoveredMinor: number
}

/** Claimed (all cohort tickets) and recovered (resolved ones) amounts per provider and currency. */
export function moneyByProvider(groups: readonly CohortGroup[]): MoneyRow[] {
  const out = new Map<string, MoneyRow>()
  for (const g of groups) {
    const k = `${g.providerId}|${g.currency}`
    const row = out.get(k) ?? {
      providerId: g.providerId,
      currency: g.currency,
      tickets: 0,
      withAmount: 0,
      claimedMinor: 0,
      recoveredMinor: 0,
    }
    row.tickets += LEVELS.reduce((a, _, i) => a + g.c[`n${i}`]!, 0)
    row.withAmount += g.c['with_amount']!
    row.claimedMinor += g.c['claimed']!
    row.recoveredMinor += g.c['recovered']!
    out.set(k, row)
  }
  return [...out.values()].filter((r) => r.tickets > 0)
}
