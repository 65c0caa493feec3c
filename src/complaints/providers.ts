import type { DB } from '../db/connection.js'

/** The providers a complainant can choose, in the office's order. */
export function activeProviders(db: DB) {
  return db
    .selectFrom('providers')
    .selectAll()
    .where('active', '=', 1)
    .orderBy('sort_order')
    .orderBy('id')
    .execute()
}
