// A ticket by its case number, with the names the pages show beside it.
import type { DB } from '../db/connection.js'
import { rawRow } from '../db/rawSql.js'
import type { Ticket } from '../db/schema.js'

export type StaffTicket = Ticket & {
  provider_zh: string | null
  provider_en: string | null
  assignee_name: string | null
}

const STAFF_TICKET_SQL = `select tickets.*, providers.name_zh as provider_zh, providers.name_en as provider_en, users.name as assignee_name
  from tickets
  left join providers on providers.id = tickets.provider_id
  left join users on users.id = tickets.assignee_id
  where tickets.case_number = ?`

/**
 * The one way to read a ticket by its case number. Every ticket is visible to every signed-in
 * staff member; evidence is scoped by maySeeSensitive.
 */
export function findTicket(db: DB, caseNumber: string): Promise<StaffTicket | undefined> {
  return rawRow<StaffTicket>(db, STAFF_TICKET_SQL, [caseNumber])
}
