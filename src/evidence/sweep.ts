import type { DB } from '../db/connection.js'
import type { EvidenceStore } from './store.js'

export const ORPHAN_GRACE_MS = 60 * 60 * 1000

export interface SweepResult {
  removed: string[]
  tempRemoved: number
}

/** Hashes looked up in one query: the sweep reads the whole store every hour. */
const BATCH = 500

/**
 * Removes stored files that no evidence row points at. Files are written before their rows
 * commit, so a young file without a row may be an upload still in flight: only files untouched
 * for the grace period go (a re-put of the same content refreshes the file's time). The rows are
 * asked about in batches first, so only files without a row are looked at on disk.
 */
export async function sweepOrphanEvidence(
  db: DB,
  store: EvidenceStore,
  options: { now?: number; graceMs?: number } = {},
): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.graceMs ?? ORPHAN_GRACE_MS)
  const removed: string[] = []
  const hasRow = async (sha256: string) =>
    (await db
      .selectFrom('evidence')
      .select('id')
      .where('sha256', '=', sha256)
      .limit(1)
      .executeTakeFirst()) !== undefined
  const sweepBatch = async (hashes: string[]) => {
    const referenced = new Set(
      (
        await db
          .selectFrom('evidence')
          .select('sha256')
          .distinct()
          .where('sha256', 'in', hashes)
          .execute()
      ).map((r) => r.sha256),
    )
    for (const sha256 of hashes) {
      if (referenced.has(sha256)) continue
      const modified = await store.modifiedAt(sha256)
      if (modified === null || modified >= cutoff) continue
      // Checked again right before removing, in case a row committed or an upload of the same
      // bytes touched the file since the batch was read.
      if (await hasRow(sha256)) continue
      const again = await store.modifiedAt(sha256)
      if (again === null || again >= cutoff) continue
      await store.remove(sha256)
      removed.push(sha256)
    }
  }
  let batch: string[] = []
  for await (const sha256 of store.list()) {
    batch.push(sha256)
    if (batch.length >= BATCH) {
      await sweepBatch(batch)
      batch = []
    }
  }
  if (batch.length) await sweepBatch(batch)
  const tempRemoved = await store.removeStaleTemp(cutoff)
  return { removed, tempRemoved }
}
