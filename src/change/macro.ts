// A macro applied to a ticket: its steps, each through the lifecycle, in one transaction that
// starts from the version the agent saw. Every step's event names the macro. A step the
// lifecycle refuses refuses the whole macro, with nothing written; a step whose effect already
// holds (the priority already set, the tag already there) is left out rather than refused.
import type { Ticket } from '../db/schema.js'
import type { ActionInput, ActionType } from '../domain/actions.js'
import type { Actor, Refusal } from '../domain/lifecycle.js'
import { refuse } from '../domain/refusals.js'
import { StaleTicket } from './acting.js'
import { changeTransaction } from './ticketChanges.js'
import type { ChangeWriter, NotifyContext } from './types.js'

export interface MacroRequest {
  ticketId: number
  expectedVersion: number
  macro: { id: number; name: string }
  steps: readonly ActionInput[]
  actor: Actor
  now: number
  notify?: NotifyContext
}

export type MacroResult =
  | { ok: true; ticket: Ticket; applied: ActionType[] }
  | { ok: false; kind: 'refused'; refusal: Refusal; step: ActionType | null; ticket: Ticket }
  | { ok: false; kind: 'stale'; ticket: Ticket }
  | { ok: false; kind: 'not_found' }

/** Thrown inside the transaction so that the steps already written are undone with it. */
class MacroStopped extends Error {
  constructor(readonly result: Exclude<MacroResult, { ok: true }>) {
    super('macro stopped')
  }
}

export async function applyMacro(w: ChangeWriter, req: MacroRequest): Promise<MacroResult> {
  try {
    return await changeTransaction(w, async (tx) => {
      let version = req.expectedVersion
      let ticket: Ticket | null = null
      const applied: ActionType[] = []
      for (const input of req.steps) {
        const r = await tx.act({
          ticketId: req.ticketId,
          expectedVersion: version,
          input,
          actor: req.actor,
          now: req.now,
          notify: req.notify,
          eventExtra: { macro: req.macro },
        })
        if (r.ok) {
          ticket = r.ticket
          version = r.ticket.version
          applied.push(input.type)
          continue
        }
        if (r.kind === 'refused' && r.refusal.code === 'nothing_to_change') {
          ticket = r.ticket
          continue
        }
        throw new MacroStopped(r.kind === 'refused' ? { ...r, step: input.type } : r)
      }
      if (applied.length === 0) {
        if (!ticket) throw new MacroStopped({ ok: false, kind: 'not_found' })
        throw new MacroStopped({
          ok: false,
          kind: 'refused',
          refusal: refuse('nothing_to_change'),
          step: null,
          ticket,
        })
      }
      return { ok: true as const, ticket: ticket as Ticket, applied }
    })
  } catch (err) {
    if (err instanceof MacroStopped) return err.result
    if (err instanceof StaleTicket) return { ok: false, kind: 'stale', ticket: err.ticket }
    throw err
  }
}
