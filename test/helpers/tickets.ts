import { type ComplaintInput } from '../../src/change/filing.js'
import { type StoredEvidence } from '../../src/change/evidenceRows.js'
import { fileTicket } from '../../src/change/ticketChanges.js'
import type { ChangeWriter } from '../../src/change/types.js'
import { TICKET_LISTENERS } from '../../src/listeners.js'
import type { DB } from '../../src/db/connection.js'

export const sampleComplaint: ComplaintInput = {
  category: 'refund_not_received',
  providerId: 1,
  providerOther: null,
  occurredAt: Date.UTC(2026, 10, 1, 4),
  amountMinor: 12_345,
  currency: 'CNY',
  transactionRef: 'T2026110100001',
  merchant: '美团外卖',
  description: '退款显示成功已经20天，钱包没有收到。',
  desiredOutcome: 'refund',
  selfHelp: ['check_refund_status', 'contact_support'],
  name: '王芳',
  email: 'wang@example.com',
  phone: null,
  locale: 'zh-CN',
}

/** The change module's writer for a test database, with the app's listeners. */
export function writerOf(db: DB): ChangeWriter {
  return { db, listeners: TICKET_LISTENERS }
}

/** Files a complaint the way the service does, in its own transaction (no mail). */
export function file(
  db: DB,
  now: number,
  overrides: Partial<ComplaintInput> = {},
  evidence: StoredEvidence[] = [],
) {
  return fileTicket(writerOf(db), { input: { ...sampleComplaint, ...overrides }, evidence, now })
}
