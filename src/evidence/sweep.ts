import type { DB } from '../db/connection.js'
import type { EvidenceStore } from './store.js'

export const ORPHAN_GRACE_MS = 60 * 60 * 1000

export interface SweepResult {
  removed: string[]
  tempRemoved: number
}

/**
 * Removes stored files that no evidence row points at. Files are written before their rows
 * commit, so a young file without a row may be an upload still in flight: only files untouched
 * for the grace period go (a re-put of the same content refreshes the file's time).
 */
export async function sweepOrphanEvidence(
  db: DB,
  store: EvidenceStore,
  options: { now?: number; graceMs?: number } = {},
): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.graceMs ?? ORPHAN_GRACE_MS)
  const removed: string[] = []
  for await (const sha256 of store.list()) {
    const modified = await store.modifiedAt(sha256)
    if (modified === null || modified >= cutoff) continue
    const row = await db.selectFrom('evidence').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst()
    if (row) continue
    // Checked again right before removing, in case an upload of the same bytes just touched it.
    const again = await store.modifiedAt(sha256)
    if (again === null || again >= cutoff) continue
    await store.remove(sha256)
    removed.push(sha256)
  }
  const tempRemoved = await store.removeStaleTemp(cutoff)
  return { removed, tempRemoved }
}
