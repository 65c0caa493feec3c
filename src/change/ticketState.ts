import type { Ticket } from '../db/schema.js'
import { isLevel, isStatus, type Priority } from '../domain/ladder.js'
import type { TicketState } from '../domain/lifecycle.js'

/** The lifecycle's view of a stored ticket. */
export function ticketState(t: Ticket): TicketState {
  if (!isStatus(t.status) || !isLevel(t.level))
    throw new Error(`ticket ${t.id} has an unknown status or level`)
  return {
    status: t.status,
    level: t.level,
    priority: t.priority as Priority,
    assigneeId: t.assignee_id,
    disputedAt: t.disputed_at,
    proposedAt: t.proposed_at,
    complex: t.complex === 1,
    reminderAt: t.reminder_at,
    dueAt: t.due_at,
  }
}
