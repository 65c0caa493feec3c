// The report tables' rows (summary rows kept by the reports' listener), part of db/schema.ts.
import type { Generated } from 'kysely'

// Managers' reports (migration 0009, kept by src/reports/rollups.ts): one fact row per ladder
// stage, its measured durations in percentile order, and counter rollups whose counter columns
// are listed in src/reports/layout.ts.
export interface ReportStagesTable {
  created_day: number
  ticket_id: number
  stage_id: number
  level: string
  entered_at: number
  left_at: number | null
  provider_id: number
  category: string
  currency: string
  assignee_id: number
  tstate: number
  due_at: number | null
  fr_at: number | null
  fr_ms: number | null
  res_end: number | null
  res_ms: number | null
  rcpt_ms: number | null
  fr_wd: number | null
  res_wd: number | null
  wd_gen: number
  pp: number
  pa: number
  px: number
}

export interface ReportDurationsTable {
  kind: number
  unit: number
  grp: number
  cb: number
  fb: number
  value: number
  stage_id: number
  created_day: number
  provider_id: number
  category: string
  assignee_id: number
}

/** Key columns and counters of a report rollup (report_cohort, report_open, …). */
export interface ReportRollupTable {
  [column: string]: number | string
}
