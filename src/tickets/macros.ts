// Macros as the ticket page and its apply route read them; administrators write them
// (admin/macros.ts).
import type { DB } from '../db/connection.js'
import { cachedRead } from '../db/readCache.js'
import { parseSteps, type MacroSteps } from '../domain/macros.js'

export interface Macro {
  id: number
  name: string
  steps: MacroSteps
}

const toMacro = (r: { id: number; name: string; steps: string }): Macro => ({
  id: r.id,
  name: r.name,
  steps: parseSteps(r.steps),
})

export async function listMacros(db: DB): Promise<Macro[]> {
  const rows = await db
    .selectFrom('macros')
    .select(['id', 'name', 'steps'])
    .orderBy('name')
    .execute()
  return rows.map(toMacro)
}

/** The names only, for the ticket page's select; cached between requests until data changes, as the staff list is. */
export function macroChoices(db: DB): Promise<{ id: number; name: string }[]> {
  return cachedRead(db, 'macros:choices', 0, async () => ({
    value: await db.selectFrom('macros').select(['id', 'name']).orderBy('name').execute(),
  }))
}

export async function findMacro(db: DB, id: number): Promise<Macro | undefined> {
  const row = await db
    .selectFrom('macros')
    .select(['id', 'name', 'steps'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toMacro(row) : undefined
}
