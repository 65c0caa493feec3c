import type { DB } from '../db/connection.js'
import type { Provider } from '../db/schema.js'
import { recordAdminChange, type AdminAudit } from './audit.js'

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
  audit: AdminAudit,
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
        created_at: audit.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAdminChange(trx, audit, {
      action: 'provider_added',
      subject: input.slug,
      detail: { ...names(input) },
    })
    return { ok: true, id: row.id } as const
  })
}

const names = (n: ProviderNames): ProviderNames => ({ name_zh: n.name_zh, name_en: n.name_en })

export async function renameProvider(
  db: DB,
  id: number,
  to: ProviderNames,
  audit: AdminAudit,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('providers')
      .select(['slug', 'name_zh', 'name_en'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!before) return false
    await trx.updateTable('providers').set(names(to)).where('id', '=', id).execute()
    await recordAdminChange(trx, audit, {
      action: 'provider_renamed',
      subject: before.slug,
      detail: { from: names(before), to: names(to) },
    })
    return true
  })
}

export async function setProviderActive(
  db: DB,
  id: number,
  active: boolean,
  audit: AdminAudit,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('providers')
      .select(['slug', 'active'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!before) return false
    if (before.active === (active ? 1 : 0)) return true
    await trx
      .updateTable('providers')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', id)
      .execute()
    await recordAdminChange(trx, audit, {
      action: active ? 'provider_activated' : 'provider_deactivated',
      subject: before.slug,
    })
    return true
  })
}

/**
 * Swaps a provider with its neighbour and renumbers the whole list 0…n-1, which also repairs
 * ties left by older data.
 */
export async function moveProvider(
  db: DB,
  id: number,
  direction: 'up' | 'down',
  audit: AdminAudit,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('providers')
      .select(['id', 'slug'])
      .orderBy('sort_order')
      .orderBy('id')
      .execute()
    const ids = rows.map((r) => r.id)
    const i = ids.indexOf(id)
    if (i < 0) return false
    const j = direction === 'up' ? i - 1 : i + 1
    const moved = j >= 0 && j < ids.length
    if (moved) [ids[i], ids[j]] = [ids[j]!, ids[i]!]
    for (const [order, pid] of ids.entries()) {
      await trx.updateTable('providers').set({ sort_order: order }).where('id', '=', pid).execute()
    }
    if (moved) {
      await recordAdminChange(trx, audit, {
        action: 'provider_moved',
        subject: rows[i]!.slug,
        detail: { direction, position: j + 1 },
      })
    }
    return true
  })
}
