// A whole answer kept as UTF-8 bytes, for pages many requests ask for between two writes (an
// agent's queue refreshing itself): a kept answer skips the templates, and the server writes the
// bytes as they are instead of measuring and encoding a 100 KB string again for every request.
import { keptRead } from '../db/readCache.js'

interface StoredResponse {
  status: number
  headers: [string, string][]
  body: Uint8Array
}

// The read cache weighs in queue rows of rendered HTML, about 3 KB each.
const BYTES_PER_WEIGHT = 3_000

/**
 * The response `build` makes, kept under `key` until the data version moves or `until` passes.
 * Only a 200 is kept. The key must name everything the response depends on (user, language,
 * URL, page or fragment); headers added later by middleware are added to each copy as usual.
 */
export async function keptResponse(
  db: object,
  key: string,
  now: number,
  build: () => Promise<{ response: Response; until: number }>,
): Promise<Response> {
  const kept = await keptRead<StoredResponse>(db, key, now, async () => {
    const { response, until } = await build()
    const body = new Uint8Array(await response.arrayBuffer())
    return {
      value: { status: response.status, headers: [...response.headers], body },
      until: response.status === 200 ? until : now,
      weight: Math.ceil(body.byteLength / BYTES_PER_WEIGHT) + 1,
    }
  })
  return new Response(kept.body, { status: kept.status, headers: kept.headers })
}
