// Links between two tickets. The link is an event on both: the ticket acted on is written with
// its version check, the other ticket's copy of the event in the same transaction, and the links
// table (written only here) with them. Neither ticket's status or clock moves.
import { sql } from 'kysely'
import type { DB } from '../db/connection.js'
import { rawRow } from '../db/rawSql.js'
import type { LinkRelation } from '../domain/actions.js'
import type { Actor } from '../domain/lifecycle.js'
import { StaleTicket, type ActResult } from './acting.js'
import { changeTransaction } from './ticketChanges.js'
import type { ChangeWriter } from './types.js'

export interface LinkRequest {
  ticketId: number
  expectedVersion: number
  other: { id: number; caseNumber: string }
  /** The ticket's own case number, for the other ticket's event. */
  caseNumber: string
  /** The link to make; null removes the link between the two. */
  relation: LinkRelation | null
  actor: Actor
  now: number
}

const PAIR_SQL =
  'select id, relation from ticket_links where (ticket_id = ? and linked_id = ?) or (ticket_id = ? and linked_id = ?)'

export function linkBetween(
  db: DB,
  a: number,
  b: number,
): Promise<{ id: number; relation: LinkRelation } | undefined> {
  return rawRow(db, PAIR_SQL, [a, b, b, a])
}

export async function linkTickets(w: ChangeWriter, req: LinkRequest): Promise<ActResult> {
  try {
    return await changeTransaction(w, async (tx) => {
      const self = req.other.id === req.ticketId
      const existing = await linkBetween(tx.trx, req.ticketId, req.other.id)
      const end = (id: number, caseNumber: string, mirror: boolean) => ({
        id,
        caseNumber,
        self,
        mirror,
      })
      const input = (id: number, caseNumber: string, mirror: boolean) =>
        req.relation === null
          ? {
              type: 'unlink' as const,
              other: end(id, caseNumber, mirror),
              existing: existing?.relation ?? null,
            }
          : {
              type: 'link' as const,
              relation: req.relation,
              other: end(id, caseNumber, mirror),
              existing: existing?.relation ?? null,
            }
      const first = await tx.act({
        ticketId: req.ticketId,
        expectedVersion: req.expectedVersion,
        input: input(req.other.id, req.other.caseNumber, false),
        actor: req.actor,
        now: req.now,
        alsoWrite: async (trx) => {
          if (req.relation === null) {
            if (existing) await sql`delete from ticket_links where id = ${existing.id}`.execute(trx)
          } else {
            const by = req.actor.kind === 'staff' ? req.actor.userId : null
            await sql`insert into ticket_links (ticket_id, linked_id, relation, created_by, created_at)
              values (${req.ticketId}, ${req.other.id}, ${req.relation}, ${by}, ${req.now})`.execute(
              trx,
            )
          }
        },
      })
      if (!first.ok) return first
      const second = await tx.act({
        ticketId: req.other.id,
        expectedVersion: null,
        input: input(req.ticketId, req.caseNumber, true),
        actor: req.actor,
        now: req.now,
      })
      // The first side was allowed, so the second is too; anything else is a bug worth undoing.
      if (!second.ok) throw new Error(`link of ${req.ticketId} refused on ${req.other.id}`)
      return first
    })
  } catch (err) {
    if (err instanceof StaleTicket) return { ok: false, kind: 'stale', ticket: err.ticket }
    throw err
  }
}
