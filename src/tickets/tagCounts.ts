// The queue's tag list: the most used tags with how many tickets carry each, read from the
// count rows the change module keeps with every tag change (one row per tag, never the tickets).
import type { DB } from '../db/connection.js'
import { cachedRead } from '../db/readCache.js'

export const TAG_LIST_SIZE = 30

export interface TagCount {
  tag: string
  count: number
}

export function tagCounts(db: DB, now: number): Promise<TagCount[]> {
  return cachedRead(db, 'tag-counts', now, async () => {
    const rows = await db
      .selectFrom('tag_counts')
      .select(['tag', 'n'])
      .where('n', '>', 0)
      .orderBy('n', 'desc')
      .orderBy('tag')
      .limit(TAG_LIST_SIZE)
      .execute()
    return { value: rows.map((r) => ({ tag: r.tag, count: Number(r.n) })), until: Infinity }
  })
}
