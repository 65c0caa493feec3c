// The measured durations of a stage's fact (rows of report_durations) and the histogram slices
// each one counts in. Pure.
import type { ReportDurationsTable } from '../db/schema.js'
import { CATEGORY_KEYS } from '../domain/categories.js'
import { LEVELS } from '../domain/ladder.js'
import { DAY_MS } from '../domain/zoneTime.js'
import { binMsOf, coarseBin, fineBin } from './bins.js'
import type { StageFact } from './facts.js'
import {
  KIND_FIRST_RESPONSE,
  KIND_RECEIPT,
  KIND_RESOLUTION,
  SLICE_ALL,
  SLICE_ASSIGNEE,
  SLICE_CATEGORY,
  SLICE_PROVIDER,
  UNIT_CALENDAR,
} from './layout.js'

/** A row of report_durations: one measured duration, ordered for percentile look-ups. */
export type DurationRow = ReportDurationsTable

/** The measured durations of a stage: calendar ones always, working-day ones when measured. */
export function durationRows(f: StageFact): DurationRow[] {
  const out: DurationRow[] = []
  const level = LEVELS.indexOf(f.level as (typeof LEVELS)[number])
  const push = (kind: number, unit: number, grp: number, value: number, binMs: number) => {
    const cb = coarseBin(binMs)
    out.push({
      kind,
      unit,
      grp,
      cb,
      fb: fineBin(binMs, cb),
      value,
      stage_id: f.stage_id,
      created_day: f.created_day,
      provider_id: f.provider_id,
      category: f.category,
      assignee_id: f.assignee_id,
    })
  }
  if (level >= 0) {
    if (f.fr_ms !== null) push(KIND_FIRST_RESPONSE, UNIT_CALENDAR, level, f.fr_ms / DAY_MS, f.fr_ms)
    if (f.res_ms !== null) push(KIND_RESOLUTION, UNIT_CALENDAR, level, f.res_ms / DAY_MS, f.res_ms)
    if (f.wd_gen > 0) {
      if (f.fr_wd !== null)
        push(KIND_FIRST_RESPONSE, f.wd_gen, level, f.fr_wd, binMsOf(f.fr_wd, false))
      if (f.res_wd !== null)
        push(KIND_RESOLUTION, f.wd_gen, level, f.res_wd, binMsOf(f.res_wd, false))
    }
  }
  if (f.rcpt_ms !== null)
    push(KIND_RECEIPT, UNIT_CALENDAR, f.provider_id, f.rcpt_ms / DAY_MS, f.rcpt_ms)
  return out
}

export const durationKey = (r: DurationRow) =>
  `${r.kind}/${r.unit}/${r.grp}/${r.cb}/${r.fb}/${r.value}/${r.stage_id}/${r.provider_id}/${r.category}/${r.assignee_id}`

/**
 * The histogram slices a duration counts in: everyone's (0), its provider's (1), its problem
 * category's (2, by the category's position) and its handler's (3). A scope with one filter
 * reads that slice; with none, slice 0.
 */
export function durationSlices(
  r: Pick<DurationRow, 'provider_id' | 'category' | 'assignee_id'>,
): [number, number][] {
  const out: [number, number][] = [
    [SLICE_ALL, 0],
    [SLICE_PROVIDER, r.provider_id],
    [SLICE_ASSIGNEE, r.assignee_id],
  ]
  const c = (CATEGORY_KEYS as readonly string[]).indexOf(r.category)
  if (c >= 0) out.push([SLICE_CATEGORY, c])
  return out
}
