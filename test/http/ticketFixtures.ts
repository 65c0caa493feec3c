// Tickets for the agent-side tests, made through the real filing service and lifecycle.
import { type ComplaintInput } from '../../src/change/filing.js'
import { fileTicket as fileInto } from '../../src/change/ticketChanges.js'
import { writerOf } from '../helpers/tickets.js'
import type { ActionInput } from '../../src/domain/actions.js'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import type { TestApp } from '../helpers/testApp.js'

export async function fileTicket(
  t: TestApp,
  overrides: Partial<ComplaintInput> = {},
  at = t.now(),
) {
  const input: ComplaintInput = {
    category: 'refund_not_received',
    providerId: 1,
    providerOther: null,
    occurredAt: at - 5 * 86_400_000,
    amountMinor: 12_050,
    currency: 'CNY',
    transactionRef: null,
    merchant: '美团外卖',
    description: '商家同意退款，但钱一直没有回到我的余额。',
    desiredOutcome: 'refund',
    selfHelp: [],
    name: '张伟',
    email: 'zhang@example.com',
    phone: '13912345678',
    locale: 'zh-CN',
    ...overrides,
  }
  const filed = await fileInto(writerOf(t.db), { input, evidence: [], now: at })
  return filed.ticket
}

/** Applies a staff action as `userId` at the app's current time, at the ticket's current version. */
export async function act(t: TestApp, ticketId: number, userId: number, input: ActionInput) {
  const r = await actOnTicket(writerOf(t.db), {
    ticketId,
    expectedVersion: null,
    input,
    actor: { kind: 'staff', role: 'agent', userId },
    now: t.now(),
  })
  if (!r.ok) throw new Error(`action ${input.type} failed: ${JSON.stringify(r)}`)
  return r.ticket
}

export async function versionOf(t: TestApp, caseNumber: string): Promise<number> {
  const row = await t.db
    .selectFrom('tickets')
    .select('version')
    .where('case_number', '=', caseNumber)
    .executeTakeFirstOrThrow()
  return row.version
}
