// The words of a ticket change, shared by the change module, its callers and its listeners.
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import type { DeadlineContext } from '../deadlines/context.js'
import type { Actor, Decision } from '../domain/lifecycle.js'
import type { RecordActor } from '../domain/records.js'

/** Where the mails a change causes link to; a change without it (demo data, imports) mails no one. */
export interface NotifyContext {
  /** Public URL of this installation. */
  baseUrl: string
}

export interface ChangeEvent {
  id: number
  type: string
  visibility: 'public' | 'internal'
  body: string | null
  payload: Record<string, unknown>
}

interface ChangeCommon {
  /** The ticket as the change left it. */
  ticket: Ticket
  event: ChangeEvent
  now: number
  deadlines: DeadlineContext
  notify: NotifyContext | null
}

/** One change as its listeners see it, inside the transaction that wrote it. */
export type TicketChange =
  | (ChangeCommon & {
      kind: 'filed'
      before: null
      actor: Actor
      decision: null
      /** The new tracking secret (only its hash is stored): the complainant's mail carries it. */
      trackingToken: string
    })
  | (ChangeCommon & {
      kind: 'acted'
      before: Ticket
      actor: Actor
      decision: Decision
      trackingToken: null
    })
  | (ChangeCommon & {
      kind: 'recorded'
      before: Ticket
      actor: RecordActor
      decision: null
      /** Set when the record replaced the tracking secret. */
      trackingToken: string | null
    })

/**
 * A projection of ticket changes (counters, search text, report rollups, mail, webhooks…). It
 * runs inside the change's transaction, reads only the change and the transaction, and must
 * not write tickets, events or ladder stages.
 */
export interface ChangeListener {
  name: string
  onChange(trx: DB, change: TicketChange): Promise<void>
}

/** What writing a change needs: the database and the listeners of this process. */
export interface ChangeWriter {
  db: DB
  listeners: readonly ChangeListener[]
}
