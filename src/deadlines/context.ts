import type { DB } from '../db/connection.js'
import { cachedRead } from '../db/readCache.js'
import { DEADLINE_PRESETS, type DeadlinePolicy } from '../domain/deadlines.js'
import { buildCalendar, type WorkCalendar } from '../domain/workCalendar.js'

export interface DeadlineContext {
  policy: DeadlinePolicy
  calendar: WorkCalendar
}

export type PresetKey = keyof typeof DEADLINE_PRESETS

export function isPresetKey(v: unknown): v is PresetKey {
  return typeof v === 'string' && v in DEADLINE_PRESETS
}

/**
 * The policy an admin chose and its working-day calendar. Cached between requests until any data
 * changes (another process's commit included), so all processes agree; inside a transaction, read fresh.
 */
export function loadDeadlineContext(db: DB): Promise<DeadlineContext> {
  return cachedRead(db, 'deadline-context', 0, async () => ({
    value: await readDeadlineContext(db),
  }))
}

async function readDeadlineContext(db: DB): Promise<DeadlineContext> {
  const setting = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'deadline_preset')
    .executeTakeFirst()
  const chosen: unknown = setting ? JSON.parse(setting.value) : 'cn'
  const policy = DEADLINE_PRESETS[isPresetKey(chosen) ? chosen : 'cn']
  const days = await db
    .selectFrom('calendar_days')
    .select(['date', 'kind'])
    .where('calendar', '=', policy.calendar)
    .execute()
  return { policy, calendar: buildCalendar(policy.timeZone, days) }
}
