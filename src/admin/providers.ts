import type { DB } from '../db/connection.js'
import type { Provider } from '../db/schema.js'

export async function listProviders(db: DB): Promise<Provider[]> {
  return db.selectFrom('providers').selectAll().orderBy('sort_order').orderBy('id').execute()
}

export async function findProvider(db: DB, id: number): Promise<Provider | undefined> {
  return db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst()
}

export interface ProviderNames {
  name_zh: string
  name_en: string
}

/** A new provider goes to the end of the list, active. */
export async function addProvider(
  db: DB,
  input: ProviderNames & { slug: string },
  now: number,
): Promise<{ ok: true; id: number } | { ok: false; problem: 'slug_taken' }> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('providers')
      .select('id')
      .where('slug', '=', input.slug)
      .executeTakeFirst()
    if (taken) return { ok: false, problem: 'slug_taken' } as const
    const last = await trx
      .selectFrom('providers')
      .select((eb) => eb.fn.max('sort_order').as('m'))
      .executeTakeFirst()
    const row = await trx
      .insertInto('providers')
      .values({
        slug: input.slug,
        name_zh: input.name_zh,
        name_en: input.name_en,
        active: 1,
        sort_order: last?.m === null || last?.m === undefined ? 0 : Number(last.m) + 1,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { ok: true, id: row.id } as const
  })
}

export async function renameProvider(db: DB, id: number, names: ProviderNames): Promise<boolean> {
  const result = await db
    .transaction()
    .execute((trx) =>
      trx.updateTable('providers').set(names).where('id', '=', id).executeTakeFirst(),
    )
  return Number(result.numUpdatedRows) === 1
}

export async function setProviderActive(db: DB, id: number, active: boolean): Promise<boolean> {
  const result = await db.transaction().execute((trx) =>
    trx
      .updateTable('providers')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', id)
      .executeTakeFirst(),
  )
  return Number(result.numUpdatedRows) === 1
}

/**
 * Swaps a provider with its neighbour and renumbers the whole list 0…n-1, which also repairs
 * ties left by older data.
 */
export async function moveProvider(db: DB, id: number, direction: 'up' | 'down'): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx.selectFrom('providers').select('id').orderBy('sort_order').orderBy('id').execute()
    ).map((r) => r.id)
    const i = ids.indexOf(id)
    if (i < 0) return false
    const j = direction === 'up' ? i - 1 : i + 1
    if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!]
    for (const [order, pid] of ids.entries()) {
      await trx.updateTable('providers').set({ sort_order: order }).where('id', '=', pid).execute()
    }
    return true
  })
}
