import fs from 'node:fs'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/http/logger.js'
import {
  MAX_ATTEMPTS,
  claimDue,
  enqueueMail,
  retryDelay,
  retryFailed,
  type NewMail,
} from '../../src/mail/outbox.js'
import { createSender } from '../../src/mail/sender.js'
import { createTransport } from '../../src/mail/transport.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { startSmtp } from './smtpServer.js'

const zhMail: NewMail = {
  kind: 'tracking_link',
  to: 'wang@example.com',
  locale: 'zh-CN',
  subject: '您的投诉 LD-2026-000001 已受理',
  text: '请保存此链接：http://localhost/track/abc',
  html: '<p>请保存此链接：<a href="http://localhost/track/abc">http://localhost/track/abc</a></p>',
  ticketId: null,
  eventId: null,
}

let t: TestApp
let smtp: Awaited<ReturnType<typeof startSmtp>> | null = null
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await smtp?.close()
  smtp = null
  await t.close()
})

function senderFor(url: string | undefined, owner?: string) {
  return createSender({
    db: t.db,
    transport: createTransport({
      smtpUrl: url,
      mailDir: t.config.mailDir,
      from: 'Ladder <noreply@ladder.test>',
    }),
    logger: silentLogger(),
    clock: t.now,
    owner,
  })
}

const statusOf = (id: number) =>
  t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('the outbox sender', () => {
  it('delivers pending mail over SMTP with recipient, subject, language and link intact', async () => {
    smtp = await startSmtp()
    const id = await enqueueMail(t.db, zhMail, t.now())
    const sender = senderFor(smtp.url)
    expect(await sender.runOnce()).toBe(1)
    expect(smtp.received).toHaveLength(1)
    const { rcpt, mail } = smtp.received[0]!
    expect(rcpt).toEqual(['wang@example.com'])
    expect(mail.subject).toBe(zhMail.subject)
    expect(mail.text).toContain('http://localhost/track/abc')
    expect(mail.html).toContain('href="http://localhost/track/abc"')
    expect(await statusOf(id)).toMatchObject({
      status: 'sent',
      sent_at: t.now(),
      attempts: 1,
      lease_owner: null,
    })
    expect(await sender.runOnce()).toBe(0)
    expect(smtp.received).toHaveLength(1)
  })

  it('retries a refused message with backoff and delivers it once the server accepts', async () => {
    smtp = await startSmtp({ refuse: 2 })
    const id = await enqueueMail(t.db, zhMail, t.now())
    const sender = senderFor(smtp.url)
    await sender.runOnce()
    let row = await statusOf(id)
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: t.now() + retryDelay(1),
    })
    expect(row.last_error).toContain('try again later')
    expect(await sender.runOnce()).toBe(0) // not due yet
    t.advance(retryDelay(1))
    await sender.runOnce()
    row = await statusOf(id)
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 2,
      next_attempt_at: t.now() + retryDelay(2),
    })
    t.advance(retryDelay(2))
    await sender.runOnce()
    expect(await statusOf(id)).toMatchObject({ status: 'sent', attempts: 3 })
    expect(smtp.received).toHaveLength(1)
  })

  it('gives up after the last attempt, marks the message failed, and an admin can retry it', async () => {
    const id = await enqueueMail(t.db, zhMail, t.now())
    const sender = senderFor('smtp://127.0.0.1:1') // nothing listens there
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await sender.runOnce()
      t.advance(retryDelay(i + 1))
    }
    expect(await statusOf(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS })
    expect(await sender.runOnce()).toBe(0)
    expect(await retryFailed(t.db, id, t.now())).toBe(true)
    expect(await statusOf(id)).toMatchObject({ status: 'pending', attempts: 0 })
  })

  it('never lets two senders hold the same row, and takes a row back when a lease expires', async () => {
    smtp = await startSmtp()
    const id = await enqueueMail(t.db, zhMail, t.now())
    // A second process claimed it and then died before sending.
    const held = await claimDue(t.db, 'other-process', t.now(), 60_000, 10)
    expect(held.map((r) => r.id)).toEqual([id])
    const sender = senderFor(smtp.url, 'this-process')
    expect(await sender.runOnce()).toBe(0)
    expect(smtp.received).toHaveLength(0)
    t.advance(60_001)
    expect(await sender.runOnce()).toBe(1)
    expect(smtp.received).toHaveLength(1)
    expect(await statusOf(id)).toMatchObject({ status: 'sent' })
  })

  it('claims each row once when two senders run at the same moment', async () => {
    smtp = await startSmtp()
    for (let i = 0; i < 6; i++)
      await enqueueMail(t.db, { ...zhMail, to: `p${i}@example.com` }, t.now())
    const a = senderFor(smtp.url, 'a')
    const b = senderFor(smtp.url, 'b')
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()])
    expect(na + nb).toBe(6)
    expect(smtp.received).toHaveLength(6)
    expect(new Set(smtp.received.flatMap((r) => r.rcpt)).size).toBe(6)
  })

  it('loses nothing written before a crash: a new sender delivers what the old one never sent', async () => {
    smtp = await startSmtp()
    await t.db.transaction().execute(async (trx) => {
      await enqueueMail(trx, zhMail, t.now())
    })
    // The process stops here; a new one starts with a fresh sender.
    const fresh = senderFor(smtp.url)
    await fresh.runOnce()
    expect(smtp.received).toHaveLength(1)
  })

  it('writes nothing when the transaction that queued the mail rolls back', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, zhMail, t.now())
        throw new Error('the action failed')
      }),
    ).rejects.toThrow()
    expect(await t.db.selectFrom('outbox').select('id').execute()).toEqual([])
  })

  it('writes .eml files under DATA_DIR/mail when no SMTP_URL is set', async () => {
    const id = await enqueueMail(t.db, zhMail, t.now())
    await senderFor(undefined).runOnce()
    const files = fs.readdirSync(t.config.mailDir)
    expect(files).toHaveLength(1)
    const parsed = await simpleParser(fs.readFileSync(path.join(t.config.mailDir, files[0]!)))
    expect(parsed.subject).toBe(zhMail.subject)
    expect(parsed.text).toContain('/track/abc')
    expect(await statusOf(id)).toMatchObject({ status: 'sent' })
  })

  it('stops cleanly: the loop sends what is due and stop() waits for it', async () => {
    smtp = await startSmtp()
    await enqueueMail(t.db, zhMail, t.now())
    const sender = createSender({
      db: t.db,
      transport: createTransport({
        smtpUrl: smtp.url,
        mailDir: t.config.mailDir,
        from: 'x@ladder.test',
      }),
      logger: silentLogger(),
      clock: t.now,
      intervalMs: 20,
    })
    sender.start()
    const until = Date.now() + 5000
    while (smtp.received.length === 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20))
    await sender.stop()
    expect(smtp.received).toHaveLength(1)
  })
})
