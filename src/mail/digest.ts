// The agents' daily digest: one email per agent listing their open tickets whose deadline was
// missed or falls due by the end of tomorrow. Safe to run from any number of processes, any
// number of times a day: a (user, local day) row guards each digest, written in the same
// transaction as its outbox row.
import { sql } from 'kysely'
import type { DB } from '../db/connection.js'
import { dueKey } from '../db/dueKey.js'
import { getCategory } from '../domain/categories.js'
import { addLocalDays, localDate, startOfLocalDay, zoneOffset } from '../domain/zoneTime.js'
import { DISPLAY_TIME_ZONE, formatDateTime } from '../i18n/format.js'
import { isLocale, type Locale } from '../i18n/locale.js'
import { digestMail, type DigestItem } from './compose.js'
import { enqueueMail } from './outbox.js'

/** Local hour (office time zone) from which the day's digest goes out. */
export const DIGEST_HOUR = 8

// The literal predicate of the open-ticket partial indexes (migration 0004), so SQLite can use them.
const IS_OPEN = sql<boolean>`tickets.status not in ('resolved','closed','withdrawn')`

export function digestHourReached(now: number, timeZone = DISPLAY_TIME_ZONE): boolean {
  const hour = Math.floor(
    ((((now + zoneOffset(now, timeZone)) % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000,
  )
  return hour >= DIGEST_HOUR
}

interface DueRow {
  case_number: string
  category: string
  due_at: number
  assignee_id: number
  email: string
  name: string
  locale: string | null
}

/**
 * One query for every agent: open, assigned tickets of active staff whose running clock is due
 * before the end of tomorrow (office time), read through the open-tickets due index.
 */
export function dueForDigest(db: DB, endOfTomorrow: number): Promise<DueRow[]> {
  return (
    db
      .selectFrom('tickets')
      .innerJoin('users', 'users.id', 'tickets.assignee_id')
      .select([
        'tickets.case_number',
        'tickets.category',
        sql<number>`tickets.due_at`.as('due_at'),
        sql<number>`tickets.assignee_id`.as('assignee_id'),
        'users.email',
        'users.name',
        'users.locale',
      ])
      .where(IS_OPEN)
      // On the queue's due key (due_at, or the largest number when there is none): its index over
      // open tickets reads just the range up to tomorrow evening.
      .where(dueKey(), '<', endOfTomorrow)
      .where('users.active', '=', 1)
      .orderBy('tickets.assignee_id')
      .orderBy('tickets.due_at')
      .orderBy('tickets.id')
      .execute()
  )
}

export interface DigestResult {
  queued: number
  /** Agents who already had today's digest. */
  alreadySent: number
}

export async function sendDailyDigests(
  db: DB,
  now: number,
  opts: { baseUrl: string },
): Promise<DigestResult> {
  const today = localDate(now, DISPLAY_TIME_ZONE)
  const endOfTomorrow = startOfLocalDay(addLocalDays(today, 2), DISPLAY_TIME_ZONE)
  const rows = await dueForDigest(db, endOfTomorrow)
  const byAgent = new Map<number, DueRow[]>()
  for (const r of rows) {
    const list = byAgent.get(r.assignee_id)
    if (list) list.push(r)
    else byAgent.set(r.assignee_id, [r])
  }
  const result: DigestResult = { queued: 0, alreadySent: 0 }
  for (const [userId, list] of byAgent) {
    const first = list[0]!
    const locale: Locale = isLocale(first.locale) ? first.locale : 'zh-CN'
    const item = (r: DueRow): DigestItem => ({
      caseNumber: r.case_number,
      category: getCategory(r.category)?.title[locale] ?? r.category,
      due: formatDateTime(r.due_at, locale),
    })
    const mail = digestMail(locale, {
      name: first.name,
      date: today,
      missed: list.filter((r) => r.due_at < now).map(item),
      dueSoon: list.filter((r) => r.due_at >= now).map(item),
      queueUrl: `${opts.baseUrl.replace(/\/+$/, '')}/queue?assignee=me`,
    })
    const queued = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('digest_runs')
        .values({ user_id: userId, day: today, outbox_id: null, created_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
        .returning('user_id')
        .executeTakeFirst()
      if (!claimed) return false
      const id = await enqueueMail(
        trx,
        { kind: 'staff_digest', to: first.email, locale, ...mail, ticketId: null, eventId: null },
        now,
      )
      await trx
        .updateTable('digest_runs')
        .set({ outbox_id: id })
        .where('user_id', '=', userId)
        .where('day', '=', today)
        .execute()
      return true
    })
    if (queued) result.queued++
    else result.alreadySent++
  }
  return result
}

/** Digest guards older than a month serve no purpose. */
export async function pruneDigestRuns(db: DB, now: number): Promise<void> {
  const before = addLocalDays(localDate(now, DISPLAY_TIME_ZONE), -31)
  await db.deleteFrom('digest_runs').where('day', '<', before).execute()
}
