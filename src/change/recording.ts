// A record on a ticket that leaves its state alone (reveal, evidence restriction, dossier,
// a replaced tracking link): the event is written, the version stays, the listeners run.
import type { DB } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import type { DeadlineContext } from '../deadlines/context.js'
import { decideRecord, type RecordActor, type RecordInput } from '../domain/records.js'
import { actorColumns, announce } from './listeners.js'
import { insertEvent, setTrackingTokenHash, ticketForChange } from './store.js'
import type { ChangeListener, NotifyContext } from './types.js'

export interface RecordRequest {
  ticketId: number
  actor: RecordActor
  now: number
  /**
   * What to record, or a function that works it out in the transaction from the current ticket
   * (and may write rows of its own first); null records nothing.
   */
  input: RecordInput | ((trx: DB, ticket: Ticket) => Promise<RecordInput | null>)
  /** The new tracking secret, when the record replaces it (the complainant is mailed the link). */
  trackingToken?: string
  notify?: NotifyContext
}

export type RecordResult =
  | { ok: true; ticket: Ticket; eventId: number }
  | { ok: false; kind: 'not_found' | 'nothing_to_record' }

export async function record(
  trx: DB,
  listeners: readonly ChangeListener[],
  deadlines: DeadlineContext,
  req: RecordRequest,
): Promise<RecordResult> {
  const before = await ticketForChange(trx, req.ticketId)
  if (!before) return { ok: false, kind: 'not_found' }
  const input = typeof req.input === 'function' ? await req.input(trx, before) : req.input
  if (input === null) return { ok: false, kind: 'nothing_to_record' }
  const decision = decideRecord(input, before.version)
  let ticket = before
  if (decision.trackingTokenHash !== undefined) {
    await setTrackingTokenHash(trx, before.id, decision.trackingTokenHash, req.now)
    ticket = { ...before, tracking_token_hash: decision.trackingTokenHash, updated_at: req.now }
  }
  const event = { ...decision.event, body: null }
  const eventId = await insertEvent(trx, {
    ticketId: before.id,
    ...event,
    ...actorColumns(req.actor),
    createdAt: req.now,
  })
  await announce(trx, listeners, {
    kind: 'recorded',
    before,
    ticket,
    event: { id: eventId, ...event },
    actor: req.actor,
    decision: null,
    now: req.now,
    deadlines,
    notify: req.notify ?? null,
    trackingToken: req.trackingToken ?? null,
  })
  return { ok: true, ticket, eventId }
}
