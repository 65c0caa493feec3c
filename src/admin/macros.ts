// The macros table's writer: administrators add, change and delete macros, each change recorded
// with it (admin/audit.ts). Reading them is the ticket feature's (tickets/macros.ts).
import type { DB } from '../db/connection.js'
import { stepsJson, type MacroSteps } from '../domain/macros.js'
import { recordAdminChange, type AdminAudit } from './audit.js'

export { findMacro, listMacros, type Macro } from '../tickets/macros.js'

type Saved = { ok: true; id: number } | { ok: false; problem: 'name_taken' | 'not_found' }

async function nameTaken(trx: DB, name: string, except: number | null): Promise<boolean> {
  let q = trx.selectFrom('macros').select('id').where('name', '=', name)
  if (except !== null) q = q.where('id', '!=', except)
  return (await q.executeTakeFirst()) !== undefined
}

export function addMacro(
  db: DB,
  input: { name: string; steps: MacroSteps },
  audit: AdminAudit,
): Promise<Saved> {
  return db.transaction().execute(async (trx) => {
    if (await nameTaken(trx, input.name, null)) return { ok: false, problem: 'name_taken' } as const
    const row = await trx
      .insertInto('macros')
      .values({
        name: input.name,
        steps: stepsJson(input.steps),
        created_at: audit.at,
        updated_at: audit.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAdminChange(trx, audit, {
      action: 'macro_added',
      subject: input.name,
      detail: { steps: input.steps },
    })
    return { ok: true, id: row.id } as const
  })
}

export function saveMacro(
  db: DB,
  id: number,
  input: { name: string; steps: MacroSteps },
  audit: AdminAudit,
): Promise<Saved> {
  return db.transaction().execute(async (trx) => {
    if (await nameTaken(trx, input.name, id)) return { ok: false, problem: 'name_taken' } as const
    const r = await trx
      .updateTable('macros')
      .set({ name: input.name, steps: stepsJson(input.steps), updated_at: audit.at })
      .where('id', '=', id)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return { ok: false, problem: 'not_found' } as const
    await recordAdminChange(trx, audit, {
      action: 'macro_saved',
      subject: input.name,
      detail: { id, steps: input.steps },
    })
    return { ok: true, id } as const
  })
}

export function deleteMacro(db: DB, id: number, audit: AdminAudit): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('macros')
      .where('id', '=', id)
      .returning('name')
      .executeTakeFirst()
    if (!row) return false
    await recordAdminChange(trx, audit, { action: 'macro_deleted', subject: row.name })
    return true
  })
}
