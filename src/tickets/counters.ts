// Sidebar counts kept as counter rows, moved in the same transaction as the ticket change, so a
// page view reads a handful of rows instead of counting a million tickets.
import type { ChangeListener } from '../change/types.js'
import type { DB } from '../db/connection.js'
import { bumpCounter } from '../db/counters.js'
import { OPEN_STATUSES, type Status } from '../domain/ladder.js'

export interface CountedState {
  status: string
  level: string
  assigneeId: number | null
}

export const counterName = {
  status: (s: Status) => `queue:status:${s}`,
  open: () => 'queue:open',
  openLevel: (level: string) => `queue:open:level:${level}`,
  openAssignee: (id: number | null) => `queue:open:assignee:${id ?? 'none'}`,
}

export function counterNames(s: CountedState): string[] {
  const names = [counterName.status(s.status as Status)]
  if ((OPEN_STATUSES as readonly string[]).includes(s.status)) {
    names.push(
      counterName.open(),
      counterName.openLevel(s.level),
      counterName.openAssignee(s.assigneeId),
    )
  }
  return names
}

/** Moves a ticket from the counters of `before` to those of `after` (null: not counted). */
export async function moveCounters(
  db: DB,
  before: CountedState | null,
  after: CountedState | null,
): Promise<void> {
  const from = before ? counterNames(before) : []
  const to = after ? counterNames(after) : []
  for (const name of from) if (!to.includes(name)) await bumpCounter(db, name, -1)
  for (const name of to) if (!from.includes(name)) await bumpCounter(db, name, 1)
}

export async function readCounters(db: DB, names: readonly string[]): Promise<Map<string, number>> {
  const rows = names.length
    ? await db
        .selectFrom('counters')
        .select(['name', 'value'])
        .where('name', 'in', [...names])
        .execute()
    : []
  const out = new Map<string, number>(names.map((n) => [n, 0]))
  for (const r of rows) out.set(r.name, Math.max(0, Number(r.value)))
  return out
}

const counted = (t: {
  status: string
  level: string
  assignee_id: number | null
}): CountedState => ({
  status: t.status,
  level: t.level,
  assigneeId: t.assignee_id,
})

/** The queue's counters follow every change; a record leaves the ticket where it was counted. */
export const queueCounters: ChangeListener = {
  name: 'queue counters',
  async onChange(trx, change) {
    if (change.kind === 'recorded') return
    await moveCounters(trx, change.before && counted(change.before), counted(change.ticket))
  },
}
