// The shape of the report rollup tables (migration 0009): their keys and counter columns, named
// once so the upkeep (rollups.ts), the rebuild (rebuild.ts) and the readers (queries/) agree.
//
// Keys use no NULLs (primary-key columns): a ticket without a listed provider is provider 0, an
// unassigned one assignee -1, the assignee slice `a` is 0 for "everyone" and the provider slice
// `ps` -1 for "every provider". Rows per period
// carry every level and state as columns, so a two-year range reads one row per provider ×
// problem per week instead of one per ticket.
import { CATEGORY_KEYS } from '../domain/categories.js'
import { LEVELS } from '../domain/ladder.js'
import { binCols } from './bins.js'

export const ALL = 0
export const NO_ASSIGNEE = -1
export const NO_PROVIDER = 0
/** The provider slice of report_closed that counts every provider (0 is "no listed provider"). */
export const ALL_PROVIDERS = -1

export const providerKey = (id: number | null) => id ?? NO_PROVIDER
export const assigneeKey = (id: number | null) => id ?? NO_ASSIGNEE

const perLevel = (prefix: string) => LEVELS.map((_, i) => `${prefix}${i}`)

/**
 * Per level L (0 platform … 3 legal), for tickets received that day in one currency:
 * n tickets now at L; op open; rs resolved; cl closed or withdrawn; cr/cu/cw/cd closed as
 * resolved/unresolved/withdrawn/duplicate; rm/rn/re/rz closed as resolved with money, another
 * remedy, an explanation, no relief recorded; st stages at L; ct stages whose timeliness is
 * settled and counted; tm of those, timely; pd stages still waiting for an answer with a deadline
 * (counted once it passes); pp/pa/px resolutions proposed, accepted, disputed during the stage.
 * Then the money: tickets with an amount, the amounts claimed, and recovered by resolved ones.
 */
export const COHORT_GROUPS = [
  'n',
  'op',
  'rs',
  'cl',
  'cr',
  'cu',
  'cw',
  'cd',
  'rm',
  'rn',
  're',
  'rz',
  'st',
  'ct',
  'tm',
  'pd',
  'pp',
  'pa',
  'px',
] as const
export const MONEY_COLS = ['with_amount', 'claimed', 'recovered']
export const COHORT_COLS = [...COHORT_GROUPS.flatMap(perLevel), ...MONEY_COLS]
/** Escalations into levels 1…3 by the day they happened. */
export const ESCALATION_COLS = ['e1', 'e2', 'e3']
/** Closed or withdrawn, by closing day, per problem category and in all. */
export const CLOSED_COLS = ['k', ...CATEGORY_KEYS.map((c) => `k_${c}`)]
/** Open tickets per level × category. */
export const OPEN_COLS = LEVELS.flatMap((_, i) => CATEGORY_KEYS.map((c) => `o${i}_${c}`))

/** What a row of report_open counts: open tickets by day received, by day due, all, all with a deadline. */
export const OPEN_BY_CREATED = 0
export const OPEN_BY_DUE = 1
export const OPEN_ALL = 2
export const OPEN_ALL_DUE = 3

/** report_hist rows with cb = -1 count durations per coarse bin; cb ≥ 0, per fine bin inside it. */
export const COARSE = -1

export interface RollupTable {
  name: string
  keys: string[]
  cols: string[]
}

export const ROLLUPS = {
  cohort: {
    name: 'report_cohort',
    keys: ['a', 'g', 'p', 'provider_id', 'category', 'currency'],
    cols: COHORT_COLS,
  },
  escalations: {
    name: 'report_escalations',
    keys: ['a', 'g', 'p', 'provider_id', 'category'],
    cols: ESCALATION_COLS,
  },
  /** `ps` is -1 for every provider, else the provider (0: none listed): workload is grouped by assignee. */
  closed: { name: 'report_closed', keys: ['ps', 'g', 'p', 'assignee_id'], cols: CLOSED_COLS },
  /** `dim` says what the period is (OPEN_*); the totals have g = p = 0. */
  open: {
    name: 'report_open',
    keys: ['dim', 'g', 'p', 'provider_id', 'assignee_id'],
    cols: OPEN_COLS,
  },
  hist: {
    name: 'report_hist',
    keys: ['s', 'sv', 'g', 'p', 'kind', 'unit', 'grp', 'cb'],
    cols: binCols('n'),
  },
} satisfies Record<string, RollupTable>

export type RollupName = keyof typeof ROLLUPS

/** Duration kinds: to the first response, to resolution (both per level), receipt to resolution (per provider). */
export const KIND_FIRST_RESPONSE = 0
export const KIND_RESOLUTION = 1
export const KIND_RECEIPT = 2
/** Duration histogram slices (`s`), with `sv` the provider, category position or handler. */
export const SLICE_ALL = 0
export const SLICE_PROVIDER = 1
export const SLICE_CATEGORY = 2
export const SLICE_ASSIGNEE = 3
/** Unit 0: calendar days; a positive unit is a working-day generation (see workdays.ts). */
export const UNIT_CALENDAR = 0
