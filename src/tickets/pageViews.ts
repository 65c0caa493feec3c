// The presence heartbeats of staff page views (who has a ticket open, who is typing). Every ticket
// page view and every poll makes one, so they wait up to PAGE_VIEW_WRITE_MS in memory and are then
// written together in one transaction, instead of costing each view a commit of its own. This
// process reads its own pending beats at once (presence.ts); other processes see them this much
// later, well inside a poll. (The unread marker's "last opened" is written at once, unread.ts: a
// reassignment reads it in its own transaction.)
import type { DB } from '../db/connection.js'

export const PAGE_VIEW_WRITE_MS = 250

export interface Beat {
  ticketId: number
  userId: number
  seenAt: number
  typingAt: number | null
}

/** What is not yet written, per database (each test app has its own). */
class Pending {
  readonly beats = new Map<string, Beat>()
  timer: NodeJS.Timeout | null = null
}
const pendingOf = new WeakMap<DB, Pending>()

function pendingFor(db: DB): Pending {
  let pending = pendingOf.get(db)
  if (!pending) pendingOf.set(db, (pending = new Pending()))
  if (!pending.timer) {
    // A courtesy, not a record: a write that fails (the database closing under a pending view)
    // loses a heartbeat, which the page's next poll makes again.
    pending.timer = setTimeout(() => void writePageViews(db).catch(() => {}), PAGE_VIEW_WRITE_MS)
    pending.timer.unref()
  }
  return pending
}

/** `userId` has the ticket open now (and is typing, if so). */
export function recordBeat(
  db: DB,
  beat: { ticketId: number; userId: number; now: number; typing: boolean },
): void {
  const { ticketId, userId, now, typing } = beat
  const pending = pendingFor(db)
  const key = `${ticketId}:${userId}`
  const earlier = pending.beats.get(key)
  pending.beats.set(key, {
    ticketId,
    userId,
    seenAt: now,
    typingAt: typing ? now : (earlier?.typingAt ?? null),
  })
}

/** This process's heartbeats on a ticket not yet written. */
export function pendingBeatsOn(db: DB, ticketId: number): Beat[] {
  const pending = pendingOf.get(db)
  return pending ? [...pending.beats.values()].filter((b) => b.ticketId === ticketId) : []
}

/** Writes what is pending now (also what the timer does). */
export async function writePageViews(db: DB): Promise<void> {
  const pending = pendingOf.get(db)
  if (!pending) return
  if (pending.timer) clearTimeout(pending.timer)
  pending.timer = null
  const beats = [...pending.beats.values()]
  pending.beats.clear()
  if (beats.length === 0) return
  await db.transaction().execute(async (trx) => {
    for (const b of beats) {
      await trx
        .insertInto('presence')
        .values({
          ticket_id: b.ticketId,
          user_id: b.userId,
          seen_at: b.seenAt,
          typing_at: b.typingAt,
        })
        .onConflict((oc) =>
          oc.columns(['ticket_id', 'user_id']).doUpdateSet((eb) => ({
            seen_at: b.seenAt,
            typing_at: b.typingAt ?? eb.ref('presence.typing_at'),
          })),
        )
        .execute()
    }
  })
}
