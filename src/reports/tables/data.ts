// What the report tables read: the request's context, and its queries memoized so that the page
// runs each aggregate once however many tables use it.
import type { DB } from '../../db/connection.js'
import type { DeadlineContext } from '../../deadlines/context.js'
import { LEVELS, type Level } from '../../domain/ladder.js'
import type { Locale } from '../../i18n/locale.js'
import type { Translate } from '../../i18n/translate.js'
import type { ReportScope } from '../filters.js'
import {
  closedOutcomes,
  cohortGroups,
  funnelBy,
  funnelByLevel,
  moneyByProvider,
  proposalEvents,
} from '../queries/cohort.js'
import { providerNames } from '../queries/names.js'
import { levelPercentiles, receiptMedians, scannedDurations } from '../queries/percentiles.js'
import { overdueNow, snapshot as readSnapshot } from '../queries/snapshot.js'
import { pendingNotDue, timelyCounts } from '../queries/timeliness.js'
import { levelUnit } from '../units.js'

export interface ReportContext {
  db: DB
  scope: ReportScope
  deadlines: DeadlineContext
  t: Translate
  locale: Locale
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined
  return () => (p ??= make())
}

/** Memoized queries for one request, so the page runs each aggregate once. */
export class ReportData {
  readonly c: ReportContext
  readonly clockLevels: Level[]
  constructor(c: ReportContext) {
    this.c = c
    this.clockLevels = LEVELS.filter((l) => levelUnit(c.deadlines, l) !== null)
  }
  private get db() {
    return this.c.db
  }
  private get s() {
    return this.c.scope
  }

  /** The rollup counters of the tickets received in the range, per provider × category. */
  cohort = once(() => cohortGroups(this.db, this.s))
  pending = once(() => pendingNotDue(this.db, this.s))
  snapshot = once(() => readSnapshot(this.db, this.s))
  funnel = once(async () => funnelByLevel(await this.cohort()))
  byProvider = once(async () => funnelBy(await this.cohort(), 'provider'))
  byCategory = once(async () => funnelBy(await this.cohort(), 'category'))
  timelyByLevel = once(async () =>
    timelyCounts(await this.cohort(), await this.pending(), this.clockLevels, 'level'),
  )
  timelyByProvider = once(async () =>
    timelyCounts(await this.cohort(), await this.pending(), this.clockLevels, 'provider'),
  )
  overdue = once(async () => overdueNow(await this.snapshot()))
  ageing = once(async () => (await this.snapshot()).ageing)
  outcomes = once(async () => closedOutcomes(await this.cohort()))
  proposals = once(async () => proposalEvents(await this.cohort()))
  money = once(async () => moneyByProvider(await this.cohort()))
  providers = once(() => providerNames(this.db))
  /** Stored durations of a scope with two filters or more (read once for both reports). */
  scanned = once(() => scannedDurations(this.db, this.s))
  medianToResolution = once(() => receiptMedians(this.db, this.s, this.scanned))
  durations = once(() => levelPercentiles(this.db, this.s, this.c.deadlines, this.scanned))

  providerLabel = async (id: number | null | string): Promise<string> => {
    if (id === null) return this.c.t('reports.otherProvider')
    const p = (await this.providers()).find((x) => x.id === Number(id))
    if (!p) return `#${id}`
    return this.c.locale === 'en' ? p.name_en : p.name_zh
  }
  providerOrder = async (id: number | null): Promise<number> => {
    if (id === null) return Number.MAX_SAFE_INTEGER
    const list = await this.providers()
    const i = list.findIndex((x) => x.id === id)
    return i < 0 ? Number.MAX_SAFE_INTEGER - 1 : i
  }
}
