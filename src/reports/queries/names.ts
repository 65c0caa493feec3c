// The names the reports label their rows with: providers and staff.
import type { DB } from '../../db/connection.js'

export async function staffNames(db: DB, ids: readonly number[]) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'active'])
    .where((eb) =>
      eb.or([
        eb.and([eb('role', '=', 'agent'), eb('active', '=', 1)]),
        ...(ids.length ? [eb('id', 'in', [...ids])] : []),
      ]),
    )
    .orderBy('name')
    .orderBy('id')
    .execute()
}

export async function providerNames(db: DB) {
  return db
    .selectFrom('providers')
    .select(['id', 'name_zh', 'name_en', 'active', 'sort_order'])
    .orderBy('sort_order')
    .orderBy('id')
    .execute()
}
