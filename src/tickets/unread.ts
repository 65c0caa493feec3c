// The queue's unread marker: a ticket is unread while the complainant or an outside body has
// written on it since its assignee last opened its page. `ticket_inbound` holds the time of the
// last such message and whether the assignee has opened the ticket since (read_at null: not
// yet); a listener keeps it in the change's transaction. Every staff opening of a ticket page is
// also one upsert into `ticket_reads`, a table the read caches ignore (like presence), so that a
// page view does not throw the queue's cached pages away; only the assignee's first opening after
// a message writes `ticket_inbound`, which the queue's cached rows read.
import type { ChangeListener, TicketChange } from '../change/types.js'
import type { DB } from '../db/connection.js'

/** What the complainant did, or what an outside body said as a colleague recorded it. */
function inbound(change: TicketChange): boolean {
  if (change.kind !== 'acted') return false
  if (change.actor.kind === 'complainant') return true
  // An answer the assignee recorded themselves is one they have read.
  return (
    change.event.type === 'contact_recorded' &&
    !(change.actor.kind === 'staff' && change.actor.userId === change.ticket.assignee_id)
  )
}

export const unreadMarks: ChangeListener = {
  name: 'unread marks',
  async onChange(trx, change) {
    const ticket = change.ticket
    if (inbound(change)) {
      await trx
        .insertInto('ticket_inbound')
        .values({ ticket_id: ticket.id, inbound_at: change.now, read_at: null })
        .onConflict((oc) =>
          oc.column('ticket_id').doUpdateSet({ inbound_at: change.now, read_at: null }),
        )
        .execute()
      return
    }
    // A new assignee has read the last message if they opened the ticket after it.
    if (change.kind !== 'acted' || change.before.assignee_id === ticket.assignee_id) return
    const mark = await trx
      .selectFrom('ticket_inbound')
      .select('inbound_at')
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirst()
    if (!mark) return
    const seen =
      ticket.assignee_id === null
        ? undefined
        : await trx
            .selectFrom('ticket_reads')
            .select('read_at')
            .where('ticket_id', '=', ticket.id)
            .where('user_id', '=', ticket.assignee_id)
            .where('read_at', '>=', mark.inbound_at)
            .executeTakeFirst()
    await trx
      .updateTable('ticket_inbound')
      .set({ read_at: seen?.read_at ?? null })
      .where('ticket_id', '=', ticket.id)
      .execute()
  },
}

/**
 * A staff member opened the ticket's page. What the marker needs to remember is only whether
 * someone opened it since the last message from outside (a reassignment asks that of the new
 * assignee, in its own transaction), so "last opened" is written once per message, not on every
 * view; for its assignee the read mark too (it changes a row only when the ticket was unread, so
 * only then are cached queue pages renewed).
 */
export async function markOpened(
  db: DB,
  open: { ticketId: number; userId: number; assigneeId: number | null; now: number },
): Promise<void> {
  const { ticketId, userId, now } = open
  const mark = await db
    .selectFrom('ticket_inbound')
    .select(['inbound_at', 'read_at'])
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst()
  // Nothing has come from outside: there is no message to have read.
  if (!mark) return
  const seen = await db
    .selectFrom('ticket_reads')
    .select('read_at')
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!seen || seen.read_at < mark.inbound_at) {
    await db
      .insertInto('ticket_reads')
      .values({ ticket_id: ticketId, user_id: userId, read_at: now })
      .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doUpdateSet({ read_at: now }))
      .execute()
  }
  if (open.assigneeId !== userId || mark.read_at !== null) return
  await db
    .updateTable('ticket_inbound')
    .set({ read_at: now })
    .where('ticket_id', '=', ticketId)
    .where('read_at', 'is', null)
    .execute()
}
