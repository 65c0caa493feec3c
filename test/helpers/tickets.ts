import { fileComplaint, type ComplaintInput, type StoredEvidence } from '../../src/complaints/fileComplaint.js'
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

/** Files a complaint the way the service does, in its own transaction. */
export function file(db: DB, now: number, overrides: Partial<ComplaintInput> = {}, evidence: StoredEvidence[] = []) {
  return db.transaction().execute((trx) => fileComplaint(trx, { ...sampleComplaint, ...overrides }, evidence, now))
}
