// Reads that many requests ask in the same form (a queue view every agent's page polls, the staff
// list, the holiday calendar) are cached and handed to the next request until the data version
// (src/db/dataVersion.ts) moves or the read's own expiry passes (a shown due time, a relative
// "in 3 hours"). Requests asking while a read is running share it instead of running it again.
//
// Cached per database handle. A transaction's handle is never registered, so reads inside a
// transaction always go to the database and see the transaction's own writes.
// Cached values are shared between requests: callers must not change them.

export interface Cached<T> {
  value: T
  /** Time (ms) from which the value is stale even if no data changed; default: never. */
  until?: number
  /** Rough size, in rows; the cache drops least recently used reads above MAX_WEIGHT. */
  weight?: number
}

interface Entry {
  version: string
  until: number
  weight: number
  value: Promise<unknown>
  /** When it was last asked for (a counter): the least recent goes first. */
  used: number
}

/** 5,000 queue rows cached as HTML: about 15 MB (Chinese text takes two bytes a character). */
export const MAX_WEIGHT = 5_000

export class ReadCache {
  readonly #entries = new Map<string, Entry>()
  #weight = 0
  // Recency is stamped on the entry rather than kept as the Map's order: deleting and re-adding
  // the key on every hit made V8 reallocate the Map's table again and again, and the tables
  // outlived the young generation (promoted garbage, a full collection sooner).
  #clock = 0

  constructor(
    private readonly version: () => string,
    private readonly maxWeight = MAX_WEIGHT,
  ) {}

  read<T>(key: string, now: number, load: () => Promise<Cached<T>>): Promise<T> {
    const version = this.version()
    const hit = this.#entries.get(key)
    if (hit && hit.version === version && now < hit.until) {
      hit.used = ++this.#clock
      return hit.value as Promise<T>
    }
    if (hit) this.#drop(key, hit)
    const entry: Entry = {
      version,
      until: Infinity,
      weight: 1,
      value: Promise.resolve(),
      used: ++this.#clock,
    }
    entry.value = load().then(
      (cached) => {
        if (this.#entries.get(key) === entry) {
          entry.until = cached.until ?? Infinity
          this.#weight += (cached.weight ?? 1) - entry.weight
          entry.weight = cached.weight ?? 1
          this.#trim()
        }
        return cached.value
      },
      (err: unknown) => {
        if (this.#entries.get(key) === entry) this.#drop(key, entry)
        throw err
      },
    )
    this.#entries.set(key, entry)
    this.#weight += entry.weight
    this.#trim()
    return entry.value as Promise<T>
  }

  /** How many reads are cached (for tests). */
  get size(): number {
    return this.#entries.size
  }

  #drop(key: string, entry: Entry) {
    this.#entries.delete(key)
    this.#weight -= entry.weight
  }

  #trim() {
    while (this.#weight > this.maxWeight && this.#entries.size > 1) {
      let oldest: [string, Entry] | undefined
      for (const pair of this.#entries) if (!oldest || pair[1].used < oldest[1].used) oldest = pair
      this.#drop(oldest![0], oldest![1])
    }
  }
}

const caches = new WeakMap<object, ReadCache>()

/** Called by openDatabase for the handle it returns. */
export function registerReadCache(
  db: object,
  version: () => string,
  maxWeight?: number,
): ReadCache {
  const cache = new ReadCache(version, maxWeight)
  caches.set(db, cache)
  return cache
}

export function readCacheOf(db: object): ReadCache | undefined {
  return caches.get(db)
}

/**
 * `load()`'s value, cached under `key` for the next request on the same handle while the data
 * version stays and `now` is before its `until`. On an unregistered handle (a transaction), just `load()`.
 */
export async function cachedRead<T>(
  db: object,
  key: string,
  now: number,
  load: () => Promise<Cached<T>>,
): Promise<T> {
  const cache = caches.get(db)
  if (!cache) return (await load()).value
  return cache.read(key, now, load)
}
