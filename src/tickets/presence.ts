// Who else has a ticket open, and who is writing a reply on it, so that a 409 is rare rather than
// the first sign of a colleague. Heartbeats live in the `presence` table (several processes on
// one database file see each other) and count only while fresh; the table is one the read caches
// ignore (CACHE_IGNORED_TABLES), so a heartbeat never throws the queue's cached pages away. No
// ticket or event is written: being here is not a change to the case.
import type { DB } from '../db/connection.js'
import { pendingBeatsOn, recordBeat, writePageViews } from './pageViews.js'
import { staffNames } from './workspace.js'

/** A page polls well inside this; a closed tab drops out after it. */
export const PRESENCE_TTL_MS = 45_000
/** "Writing a reply" outlives the last keystroke by this much (the reply form reports typing at most every few seconds). */
export const TYPING_TTL_MS = 20_000
/** How often an open page reports itself, in htmx's `every` syntax. */
export const PRESENCE_POLL = '15s'

export interface Colleague {
  userId: number
  name: string
  typing: boolean
}

/** Records that `userId` has the ticket open now (and is typing, if so), written with the page's other views. */
export const heartbeat = recordBeat

/** Removes the heartbeats no page counts any more; the table then holds only open pages. */
export async function sweepPresence(db: DB, now: number): Promise<number> {
  await writePageViews(db)
  const result = await db
    .deleteFrom('presence')
    .where('seen_at', '<', now - PRESENCE_TTL_MS)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The other staff with the ticket open now, by name. */
export async function othersHere(
  db: DB,
  ticketId: number,
  userId: number,
  now: number,
): Promise<Colleague[]> {
  const [rows, names] = await Promise.all([
    db
      .selectFrom('presence')
      .select(['user_id', 'typing_at'])
      .where('ticket_id', '=', ticketId)
      .where('seen_at', '>=', now - PRESENCE_TTL_MS)
      .where('user_id', '!=', userId)
      .execute(),
    staffNames(db),
  ])
  // A beat still in memory is newer than its row, if there is one.
  const typingAt = new Map<number, number | null>(rows.map((r) => [r.user_id, r.typing_at]))
  for (const b of pendingBeatsOn(db, ticketId)) {
    if (b.userId === userId || b.seenAt < now - PRESENCE_TTL_MS) continue
    typingAt.set(b.userId, b.typingAt ?? typingAt.get(b.userId) ?? null)
  }
  return [...typingAt.entries()]
    .map(([id, typed]) => ({
      userId: id,
      name: names.get(id) ?? '',
      typing: typed !== null && typed >= now - TYPING_TTL_MS,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** The heartbeat of one page view, and what it shows: who else is here. */
export async function beatAndLook(
  db: DB,
  beat: { ticketId: number; userId: number; now: number; typing: boolean },
): Promise<Colleague[]> {
  heartbeat(db, beat)
  return othersHere(db, beat.ticketId, beat.userId, beat.now)
}

/** The view model of views/tickets/_presence.eta. */
export function presenceView(base: string, others: Colleague[]) {
  return {
    url: `${base}/presence`,
    poll: PRESENCE_POLL,
    others,
    typing: others.filter((o) => o.typing),
  }
}
