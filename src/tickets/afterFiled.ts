import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import { indexTicket } from '../search/ticketSearch.js'
import { moveCounters } from './counters.js'

/** What the agent's side keeps for every new ticket; runs in the filing transaction. */
export async function afterTicketFiled(trx: DB, ticket: Ticket): Promise<void> {
  await moveCounters(trx, null, { status: ticket.status, level: ticket.level, assigneeId: ticket.assignee_id })
  await indexTicket(trx, ticket)
}
