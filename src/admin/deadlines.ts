import { sql } from 'kysely'
import type { DB } from '../db/connection.js'
import { recordAdminChange, type AdminAudit } from './audit.js'
import type { ClockRule } from '../domain/clocks.js'
import { DEADLINE_PRESETS, type DeadlinePolicy } from '../domain/deadlines.js'
import { LEVELS, type Level } from '../domain/ladder.js'
import type { Translate } from '../i18n/translate.js'
import { isPresetKey, type PresetKey } from '../deadlines/context.js'

export const PRESET_KEYS = Object.keys(DEADLINE_PRESETS) as PresetKey[]
export const DAY_KINDS = ['holiday', 'workday'] as const
export type DayKind = (typeof DAY_KINDS)[number]

/** The preset in force: the same reading as loadDeadlineContext, 'cn' until an admin chooses. */
export async function currentPreset(db: DB): Promise<PresetKey> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'deadline_preset')
    .executeTakeFirst()
  const value: unknown = row ? JSON.parse(row.value) : 'cn'
  return isPresetKey(value) ? value : 'cn'
}

export async function choosePreset(db: DB, preset: PresetKey, audit: AdminAudit): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const from = await currentPreset(trx)
    if (from === preset) return
    await trx
      .insertInto('settings')
      .values({ key: 'deadline_preset', value: JSON.stringify(preset), updated_at: audit.at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: JSON.stringify(preset), updated_at: audit.at }),
      )
      .execute()
    await recordAdminChange(trx, audit, {
      action: 'preset_chosen',
      subject: preset,
      detail: { from },
    })
  })
}

export interface CalendarDay {
  date: string
  kind: DayKind
  name: string | null
}

export async function calendarDays(db: DB, calendar: string, year: number): Promise<CalendarDay[]> {
  return db
    .selectFrom('calendar_days')
    .select(['date', 'kind', 'name'])
    .where('calendar', '=', calendar)
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute()
}

export async function calendarYears(db: DB, calendar: string): Promise<number[]> {
  const rows = await db
    .selectFrom('calendar_days')
    .select(sql<string>`substr(date, 1, 4)`.as('year'))
    .where('calendar', '=', calendar)
    .distinct()
    .execute()
  return rows.map((r) => Number(r.year)).filter(Number.isInteger)
}

/** 0 = Sunday … 6 = Saturday for a `YYYY-MM-DD` that is a real date, else null. */
export function weekdayOf(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null
  return t.getUTCDay()
}

export type AddDayResult =
  | { ok: true }
  | { ok: false; problem: 'workday_not_weekend' }
  | { ok: false; problem: 'conflict'; existing: DayKind }

/**
 * A make-up working day only means something on a weekend; a date carries one mark, so a
 * holiday on a make-up working day (or the reverse) is a conflict the admin resolves by removing
 * the old mark first.
 */
export async function addCalendarDay(
  db: DB,
  calendar: string,
  day: CalendarDay,
  audit: AdminAudit,
): Promise<AddDayResult> {
  const weekday = weekdayOf(day.date)
  if (day.kind === 'workday' && weekday !== 0 && weekday !== 6)
    return { ok: false, problem: 'workday_not_weekend' }
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('calendar_days')
      .select('kind')
      .where('calendar', '=', calendar)
      .where('date', '=', day.date)
      .executeTakeFirst()
    if (existing) return { ok: false, problem: 'conflict', existing: existing.kind } as const
    await trx
      .insertInto('calendar_days')
      .values({ calendar, ...day })
      .execute()
    await recordAdminChange(trx, audit, {
      action: 'day_added',
      subject: day.date,
      detail: { calendar, kind: day.kind, name: day.name },
    })
    return { ok: true } as const
  })
}

export async function removeCalendarDay(
  db: DB,
  calendar: string,
  date: string,
  audit: AdminAudit,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const day = await trx
      .selectFrom('calendar_days')
      .select(['kind', 'name'])
      .where('calendar', '=', calendar)
      .where('date', '=', date)
      .executeTakeFirst()
    if (!day) return false
    await trx
      .deleteFrom('calendar_days')
      .where('calendar', '=', calendar)
      .where('date', '=', date)
      .execute()
    await recordAdminChange(trx, audit, {
      action: 'day_removed',
      subject: date,
      detail: { calendar, kind: day.kind, name: day.name },
    })
    return true
  })
}

/** Each level's clocks in words, e.g. "answer within 15 calendar days, 60 when complex". */
export function describePolicy(
  policy: DeadlinePolicy,
  t: Translate,
): { level: Level; text: string }[] {
  const rule = (r: ClockRule) => {
    const base = t(`admin.deadlines.rule.${r.unit}`, { days: r.days })
    return r.complexDays
      ? t('admin.deadlines.rule.complex', { rule: base, days: r.complexDays })
      : base
  }
  return LEVELS.map((level) => {
    const { accept, answer } = policy.levels[level]
    const parts = [
      accept ? t('admin.deadlines.accept', { rule: rule(accept) }) : null,
      answer ? t('admin.deadlines.answer', { rule: rule(answer) }) : null,
    ].filter((p): p is string => p !== null)
    const text =
      parts.length === 0
        ? t('admin.deadlines.noClock')
        : parts.length === 1
          ? parts[0]!
          : t('admin.deadlines.then', { first: parts[0]!, second: parts[1]! })
    return { level, text }
  })
}
