// Working-day durations are measured with the holiday calendar and policy in force. When an
// admin changes either, the stored ones go stale together (a new generation, see rollups.ts);
// this measures them again in small batches, so the reports never mix two calendars and a
// long catch-up never holds the write lock for long. Until it is done the reports measure the
// stale ones on the fly (queries/percentiles.ts), so a figure is never wrong, only slower.
import type { DB } from '../db/connection.js'
import type { Interval } from '../domain/clocks.js'
import type { DeadlineContext } from '../deadlines/context.js'
import { addDurations, Tally } from './contributions.js'
import type { StageFact } from './facts.js'
import {
  applyTally,
  readWorkdayState,
  workdayMeasure,
  writeFacts,
  writeWorkdayState,
} from './rollups.js'
import { businessLevels, workdayFingerprint } from './units.js'

/** Stages measured per transaction: small, so a catch-up never holds the write lock for long. */
const BATCH = 500

/** The generation the stored working-day durations must have for this calendar (bumped if new). */
export async function currentGeneration(
  db: DB,
  ctx: DeadlineContext,
  now: number,
): Promise<number> {
  const fp = workdayFingerprint(ctx)
  const state = await readWorkdayState(db)
  if (state.fp === fp) return state.gen
  return db.transaction().execute(async (trx) => {
    const cur = await readWorkdayState(trx)
    if (cur.fp === fp) return cur.gen
    await writeWorkdayState(trx, { fp, gen: cur.gen + 1, clean: cur.clean }, now)
    return cur.gen + 1
  })
}

/**
 * Measures stale working-day durations for up to `budgetMs`; true when none is left. Safe to
 * run from several places at once: each batch re-reads what it measures inside its transaction.
 * Between batches the event loop gets a turn, so a long catch-up in the server does not hold up
 * the requests arriving meanwhile. A bulk load with the database to itself may ask for bigger
 * batches (`batch`), which merge more of their counter changes into each upsert.
 */
export async function catchUpWorkingDays(
  db: DB,
  ctx: DeadlineContext,
  now: number,
  budgetMs: number,
  options: { batch?: number } = {},
): Promise<boolean> {
  const batch = options.batch ?? BATCH
  const levels = businessLevels(ctx)
  if (!levels.length) return true
  const gen = await currentGeneration(db, ctx, now)
  const measure = workdayMeasure(ctx, gen, now)
  const until = performance.now() + budgetMs
  let worked = false
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      if ((await readWorkdayState(trx)).gen !== gen) return 'moved' as const
      const rows = (await trx
        .selectFrom('report_stages')
        .selectAll()
        .where('level', 'in', levels)
        .where('wd_gen', '<', gen)
        .where((eb) => eb.or([eb('fr_ms', 'is not', null), eb('res_ms', 'is not', null)]))
        .limit(batch)
        .execute()) as StageFact[]
      if (!rows.length) return 'done' as const
      const pauses = new Map<number, Interval[]>(rows.map((r) => [r.stage_id, []]))
      const list = await trx
        .selectFrom('clock_pauses')
        .select(['stage_id', 'started_at', 'ended_at'])
        .where('stage_id', 'in', [...pauses.keys()])
        .orderBy('id')
        .execute()
      for (const p of list) pauses.get(p.stage_id)!.push({ start: p.started_at, end: p.ended_at })
      const next = rows.map((r): StageFact => {
        const ps = pauses.get(r.stage_id)!
        return {
          ...r,
          fr_wd: r.fr_at === null ? null : measure.days(r.entered_at, r.fr_at, ps),
          res_wd: r.res_end === null ? null : measure.days(r.entered_at, r.res_end, ps),
          wd_gen: gen,
        }
      })
      await applyTally(
        trx,
        addDurations(new Tally(), next, true).minus(addDurations(new Tally(), rows, true)),
      )
      await writeFacts(trx, rows, next)
      return 'more' as const
    })
    if (step === 'moved') return false
    if (step === 'done') {
      if (worked) await dropOldGenerations(db, gen)
      return true
    }
    worked = true
    if (performance.now() > until) return false
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Durations and histogram rows of earlier generations (levels that stopped counting working days). */
async function dropOldGenerations(db: DB, gen: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const kind of [0, 1]) {
      await trx
        .deleteFrom('report_durations')
        .where('kind', '=', kind)
        .where('unit', '>', 0)
        .where('unit', '<>', gen)
        .execute()
    }
    await trx.deleteFrom('report_hist').where('unit', '>', 0).where('unit', '<>', gen).execute()
  })
}
