import type { DB } from '../db/connection.js'
import type { ChangeListener, TicketChange } from './types.js'

/** Hands the change to every listener in order, inside its transaction; a listener's error undoes the change. */
export async function announce(
  trx: DB,
  listeners: readonly ChangeListener[],
  change: TicketChange,
): Promise<void> {
  for (const listener of listeners) await listener.onChange(trx, change)
}

/** The event row's actor columns. */
export function actorColumns(
  actor: { kind: 'complainant' } | { kind: 'system' } | { kind: 'staff'; userId: number },
) {
  return {
    actorType: actor.kind,
    actorUserId: actor.kind === 'staff' ? actor.userId : null,
  } as const
}
