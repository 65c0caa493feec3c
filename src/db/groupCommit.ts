import { sql } from 'kysely'
import type { DB } from './connection.js'

// Group commit for the busy writes (filings, ticket actions). Under load most of a write's cost
// after its statements is the commit: every page it dirtied (29 ticket indexes, the search
// segment, counters, report rollups) is written to the WAL, and writes that arrive together
// dirty many of the same pages. Writes that reach the database in the same event-loop turn (or,
// while writes come together, within GROUP_WINDOW_MS of the first) therefore share one transaction, each inside its own savepoint: a write that fails is rolled
// back alone and its caller gets its own error; the others commit together, and every caller
// hears of success only once that commit is done. A write alone runs as a plain transaction.
//
// Each write still sees the writes before it (one connection, in order), exactly as if they had
// been committed one by one; a version check or an idempotency key therefore behaves the same.

/** At most this many writes share one commit, so the first of a burst does not wait for long. */
export const GROUP_LIMIT = 16

/**
 * While writes come together (a group had more than one within the last TOGETHER_MS), the first
 * write of a group waits this long for others. Filings reach the database one by one after their
 * uploads, and without the wait most groups held one or two of them. A write alone, or a
 * sequence of writes each awaiting the one before, never waits.
 */
export const GROUP_WINDOW_MS = 2
const TOGETHER_MS = 250

type Work = (trx: DB) => Promise<unknown>

interface Pending {
  work: Work
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

class GroupCommitter {
  readonly #queue: Pending[] = []
  #scheduled = false
  /** When a group last had more than one write: until TOGETHER_MS later, groups wait to gather. */
  #lastTogetherAt = -Infinity

  constructor(private readonly db: DB) {}

  add(p: Pending): void {
    this.#queue.push(p)
    if (!this.#scheduled) {
      this.#scheduled = true
      // At the least until after the I/O callbacks of this turn: the writes they start join.
      if (performance.now() - this.#lastTogetherAt < TOGETHER_MS)
        setTimeout(() => void this.#flush(), GROUP_WINDOW_MS)
      else setImmediate(() => void this.#flush())
    }
  }

  async #flush(): Promise<void> {
    const group = this.#queue.splice(0, GROUP_LIMIT)
    if (group.length > 1) this.#lastTogetherAt = performance.now()
    try {
      if (group.length === 1) await runAlone(this.db, group[0]!)
      else await runTogether(this.db, group)
    } finally {
      if (this.#queue.length) setImmediate(() => void this.#flush())
      else this.#scheduled = false
    }
  }
}

async function runAlone(db: DB, p: Pending): Promise<void> {
  try {
    p.resolve(await db.transaction().execute((trx) => p.work(trx)))
  } catch (error) {
    p.reject(error)
  }
}

async function runTogether(db: DB, group: Pending[]): Promise<void> {
  const outcomes: Outcome[] = []
  try {
    await db.transaction().execute(async (trx) => {
      for (const p of group) {
        await sql`savepoint grouped_write`.execute(trx)
        try {
          const value = await p.work(trx)
          await sql`release grouped_write`.execute(trx)
          outcomes.push({ ok: true, value })
        } catch (error) {
          // If SQLite ended the whole transaction (a full disk, say), this throws too and the
          // group fails as one below: none of it was written.
          await sql`rollback to grouped_write`.execute(trx)
          await sql`release grouped_write`.execute(trx)
          outcomes.push({ ok: false, error })
        }
      }
    })
  } catch (error) {
    // Nothing of the group was committed: writes that had failed on their own keep their error.
    group.forEach((p, i) => {
      const o = outcomes[i]
      p.reject(o && !o.ok ? o.error : error)
    })
    return
  }
  group.forEach((p, i) => {
    const o = outcomes[i]!
    if (o.ok) p.resolve(o.value)
    else p.reject(o.error)
  })
}

const committers = new WeakMap<DB, GroupCommitter>()

/**
 * Runs `work` in a write transaction, possibly shared with other writes of the same moment (see
 * above). Resolves once its changes are committed; rejects with its own error (nothing of it
 * written) or with the shared commit's error (nothing of the group written).
 */
export function groupedWrite<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  let committer = committers.get(db)
  if (!committer) committers.set(db, (committer = new GroupCommitter(db)))
  return new Promise<T>((resolve, reject) => {
    committer.add({ work, resolve: resolve as (value: unknown) => void, reject })
  })
}
