import type { DB } from './connection.js'

/** Adds to a named counter and returns the new value, inside the caller's transaction. */
export async function bumpCounter(db: DB, name: string, by = 1): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: by })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', by) })),
    )
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}
