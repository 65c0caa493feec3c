import type { DB } from '../db/connection.js'
import type { LadderStage } from '../db/schema.js'
import { rawRows } from '../db/rawSql.js'

/** A ticket's stages in the order they were entered (raw SQL: the ticket page asks it every time). */
export function stagesOf(db: DB, ticketId: number): Promise<LadderStage[]> {
  return rawRows<LadderStage>(db, 'select * from ladder_stages where ticket_id = ? order by id', [
    ticketId,
  ])
}
