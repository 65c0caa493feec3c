// A whole answer cached as bytes, for pages many requests ask for between two writes (an agent's
// queue refreshing itself): a cached answer skips the templates, the server writes the bytes as
// they are instead of measuring and encoding a 100 KB string again for every request, and a
// browser that accepts gzip gets the copy compressed once when the answer was made (a queue page
// of ≈ 60 KB travels as ≈ 10 KB, every 30 s, to every agent's phone).
import { gzipSync } from 'node:zlib'
import { cachedRead } from '../db/readCache.js'

interface StoredResponse {
  status: number
  headers: [string, string][]
  body: Uint8Array
  /** Null when compressing would not pay (a small body). */
  gzip: Uint8Array | null
}

// The read cache weighs in queue rows of rendered HTML, about 3 KB each.
const BYTES_PER_WEIGHT = 3_000
const COMPRESS_FROM_BYTES = 1_024

/** Whether an Accept-Encoding header takes gzip (named, or `*`, without q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false
  let star = false
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    const q = params.find((p) => p.startsWith('q='))
    const refused = q !== undefined && !(Number(q.slice(2)) > 0)
    if (name === 'gzip') return !refused
    if (name === '*') star = !refused
  }
  return star
}

/**
 * The response `build` makes, cached under `key` until the data version moves or `until` passes.
 * Only a 200 without a cookie is cached. The key must name everything the response depends on (user, language,
 * URL, page or fragment); headers added later by middleware are added to each copy as usual.
 */
export async function cachedResponse(
  db: object,
  key: string,
  now: number,
  acceptEncoding: string | undefined,
  build: () => Promise<{ response: Response; until: number }>,
): Promise<Response> {
  const cached = await cachedRead<StoredResponse>(db, key, now, async () => {
    const { response, until } = await build()
    const body = new Uint8Array(await response.arrayBuffer())
    const headers = [...response.headers]
    const vary = headers.find(([name]) => name === 'vary')
    if (vary) vary[1] += ', Accept-Encoding'
    else headers.push(['vary', 'Accept-Encoding'])
    const gzip =
      body.byteLength >= COMPRESS_FROM_BYTES ? new Uint8Array(gzipSync(body, { level: 6 })) : null
    return {
      value: { status: response.status, headers, body, gzip },
      // A cookie is for one response only (a fresh session, a language change): never replayed.
      until: response.status === 200 && !response.headers.has('set-cookie') ? until : now,
      weight: Math.ceil((body.byteLength + (gzip?.byteLength ?? 0)) / BYTES_PER_WEIGHT) + 1,
    }
  })
  if (cached.gzip && acceptsGzip(acceptEncoding)) {
    return new Response(cached.gzip, {
      status: cached.status,
      headers: [...cached.headers, ['content-encoding', 'gzip']],
    })
  }
  return new Response(cached.body, { status: cached.status, headers: cached.headers })
}
