// Notifications end to end: an action over HTTP queues its email in the same transaction, the
// sender delivers it to a real SMTP server on loopback, and the link in it opens the case.
import type { ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashSecret } from '../../src/secrets.js'
import { afterReplySettled } from '../../src/http/afterReply.js'
import { silentLogger } from '../../src/http/logger.js'
import { ACCESS_LINK_TTL_MS } from '../../src/mail/accessLinks.js'
import { formatDateTime } from '../../src/i18n/format.js'
import { createSender } from '../../src/mail/sender.js'
import { createTransport } from '../../src/mail/transport.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { startSmtp, type Smtp } from '../mail/smtpServer.js'
import { PNG, fileViaHttp, multipart, postMultipart } from './complaints-helpers.js'
import { versionOf } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
let t: TestApp
let smtp: Smtp
let agent: { id: number; email: string; password: string }
let cookie: string

beforeEach(async () => {
  smtp = await startSmtp()
  t = await createTestApp()
  agent = await t.createStaff('agent', 'agent@ladder.test')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await smtp.close()
  await t.close()
})

/** Runs the outbox sender once and returns what reached the SMTP server in that pass. */
async function deliver(): Promise<{ rcpt: string[]; mail: ParsedMail }[]> {
  const before = smtp.received.length
  const sender = createSender({
    db: t.db,
    transport: createTransport({
      smtpUrl: smtp.url,
      mailDir: t.config.mailDir,
      from: 'Ladder <noreply@ladder.test>',
    }),
    logger: silentLogger(),
    clock: t.now,
  })
  await sender.runOnce()
  await sender.stop()
  return smtp.received.slice(before)
}

const act = async (
  caseNumber: string,
  action: string,
  fields: Record<string, string>,
  c = cookie,
) =>
  t.postForm(
    `/tickets/${caseNumber}/actions/${action}`,
    { version: String(await versionOf(t, caseNumber)), ...fields },
    { cookie: c },
  )

const latestTicket = () =>
  t.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()

/** The one /track/ link of a mail: in the text, and the same one as the HTML's link. */
function trackLink(mail: ParsedMail): string {
  const links = [...(mail.text ?? '').matchAll(/https?:\/\/\S+\/track\/[A-Za-z0-9_-]+/g)].map(
    (m) => m[0],
  )
  expect(links).toHaveLength(1)
  expect(mail.html).toContain(`href="${links[0]}"`)
  return links[0]!
}

async function opensCase(link: string, caseNumber: string) {
  const res = await t.get(new URL(link).pathname)
  expect(res.status).toBe(200)
  expect((await html(res)).text('#case-number')).toBe(caseNumber)
}

describe('emails to the complainant', () => {
  it('confirms the filing in their language with the case number and the tracking link', async () => {
    const { location } = await fileViaHttp(t, { email: 'wang@example.com' })
    const tk = await latestTicket()
    const [got] = await deliver()
    expect(got!.rcpt).toEqual(['wang@example.com'])
    expect(got!.mail.subject).toBe(`您的投诉 ${tk.case_number} 已提交`)
    expect(got!.mail.text).toContain(`${t.config.baseUrl}${location}`)
    await opensCase(trackLink(got!.mail), tk.case_number)
  })

  it('sends reply, request for information, proposal, escalation and closure, each with a working link', async () => {
    const { token } = await fileViaHttp(t, { email: 'jo@example.com' }, [], EN)
    const tk = await latestTicket()
    const n = tk.case_number
    await deliver() // the filing confirmation

    expect(
      (await act(n, 'reply', { body: 'We have your complaint & will call <Alipay>.' })).status,
    ).toBe(303)
    let [got] = await deliver()
    expect(got!.rcpt).toEqual(['jo@example.com'])
    expect(got!.mail.subject).toBe(`New reply about your complaint ${n}`)
    expect(got!.mail.text).toContain('We have your complaint & will call <Alipay>.')
    expect(got!.mail.html).toContain('We have your complaint &amp; will call &lt;Alipay&gt;.')
    expect(got!.mail.html).toContain('<html lang="en">')
    await opensCase(trackLink(got!.mail), n)

    await act(n, 'request_info', { body: 'Please send the refund screenshot.' })
    ;[got] = await deliver()
    expect(got!.mail.subject).toBe(`More information needed for your complaint ${n}`)
    expect(got!.mail.text).toContain('Please send the refund screenshot.')
    await opensCase(trackLink(got!.mail), n)

    // The complainant answers through the link from the email: the link works for actions too.
    const answerLink = new URL(trackLink(got!.mail)).pathname
    expect(
      (await t.postForm(`${answerLink}/messages`, { body: 'Screenshot attached later.' })).status,
    ).toBe(303)

    await act(n, 'propose_resolution', {
      body: 'Alipay refunds the full amount.',
      relief: 'monetary',
      amount_recovered: '128.50',
    })
    ;[got] = await deliver()
    expect(got!.mail.subject).toBe(`A resolution is proposed for your complaint ${n}`)
    expect(got!.mail.text).toContain('Alipay refunds the full amount.')
    expect(got!.mail.text).toContain('128.50')
    // The dispute window: 60 days from now (2026-11-23 + 60 d), in the complainant's format.
    expect(got!.mail.text).toContain('dispute it there until 01/22/2027')
    await opensCase(trackLink(got!.mail), n)

    expect(
      (await t.postForm(`/track/${token}/dispute`, { reason: 'The amount is wrong.' })).status,
    ).toBe(303)
    await act(n, 'escalate', {
      reason: 'disputed',
      note: 'Sent to the association with the dossier.',
      confirm: '1',
    })
    ;[got] = await deliver()
    expect(got!.mail.subject).toBe(
      `Your complaint ${n} has gone to a consumer association (for example the 12315 platform)`,
    )
    expect(got!.mail.text).toContain('Why: The complainant disputed the answer.')
    expect(got!.mail.text).toContain('Sent to the association with the dossier.')
    await opensCase(trackLink(got!.mail), n)

    await act(n, 'close', { outcome: 'resolved', note: 'Refund confirmed by the association.' })
    ;[got] = await deliver()
    expect(got!.mail.subject).toBe(`Your complaint ${n} is closed`)
    expect(got!.mail.text).toContain('Outcome: Resolved.')
    await opensCase(trackLink(got!.mail), n)

    const kinds = await t.db
      .selectFrom('outbox')
      .select('kind')
      .where('ticket_id', '=', tk.id)
      .orderBy('id')
      .execute()
    expect(kinds.map((k) => k.kind)).toEqual([
      'tracking_link',
      'agent_replied',
      'agent_info_requested',
      'agent_resolution_proposed',
      'ticket_escalated',
      'ticket_closed',
    ])
  })

  it('writes Chinese mail for a Chinese complaint, and masks card numbers in the mailed text', async () => {
    await fileViaHttp(t, { email: 'wang@example.com' })
    const tk = await latestTicket()
    await deliver()
    await act(tk.case_number, 'reply', { body: '请核对卡号 4111111111111111 的扣款。' })
    const [got] = await deliver()
    expect(got!.mail.subject).toBe(`关于您的投诉 ${tk.case_number} 的新回复`)
    expect(got!.mail.text).toContain('请通过以下专属链接查看您的投诉')
    expect(got!.mail.text).not.toContain('4111111111111111')
    expect(got!.mail.html).toContain('<html lang="zh-CN">')
  })

  it('never mails an internal note: only the reply body leaves the system', async () => {
    await fileViaHttp(t, { email: 'wang@example.com' })
    const tk = await latestTicket()
    await act(tk.case_number, 'note', { body: 'SECRET-NOTE: provider contact is our friend' })
    await act(tk.case_number, 'reply', { body: 'PUBLIC-REPLY: we are on it' })
    const rows = await t.db.selectFrom('outbox').selectAll().execute()
    expect(rows.map((r) => r.kind)).toEqual(['tracking_link', 'agent_replied'])
    for (const r of rows) {
      expect(r.text_body + r.html_body + r.subject).not.toContain('SECRET-NOTE')
    }
    expect(rows[1]!.text_body).toContain('PUBLIC-REPLY')
    const delivered = await deliver()
    expect(delivered.map((d) => d.mail.text).join('\n')).not.toContain('SECRET-NOTE')
  })

  it('writes no mail when the action fails on a stale version', async () => {
    await fileViaHttp(t, { email: 'wang@example.com' })
    const tk = await latestTicket()
    await t.db.deleteFrom('outbox').execute()
    const stale = String(tk.version)
    await act(tk.case_number, 'note', { body: 'someone else was faster' })
    const res = await t.postForm(
      `/tickets/${tk.case_number}/actions/reply`,
      { version: stale, body: 'too late' },
      { cookie },
    )
    expect(res.status).toBe(409)
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)
    expect(await t.db.selectFrom('access_links').selectAll().execute()).toHaveLength(0)
  })

  it('mails nothing to a complainant who gave no email', async () => {
    await fileViaHttp(t, { email: '', phone: '13912345678' })
    const tk = await latestTicket()
    await act(tk.case_number, 'reply', { body: 'We will call you.' })
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)
  })
})

describe('access links from emails', () => {
  async function replyLink() {
    await fileViaHttp(t, { email: 'wang@example.com' })
    const tk = await latestTicket()
    await deliver()
    await act(tk.case_number, 'reply', { body: 'Hello' })
    const [got] = await deliver()
    return { tk, path: new URL(trackLink(got!.mail)).pathname }
  }

  it('are stored only as a hash, open their own case and no other, and expire', async () => {
    const { tk, path } = await replyLink()
    const token = path.split('/').pop()!
    const row = await t.db.selectFrom('access_links').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      token_hash: hashSecret(token),
      ticket_id: tk.id,
      expires_at: t.now() + ACCESS_LINK_TTL_MS,
    })
    expect(JSON.stringify(await t.db.selectFrom('outbox').select('text_body').execute())).toContain(
      token,
    )

    // Another case's evidence is not reachable through this case's link.
    const other = await fileViaHttp(t, { email: 'other@example.com' }, [
      { name: 'b.png', bytes: PNG },
    ])
    const otherEvidence = await t.db.selectFrom('evidence').select('id').executeTakeFirstOrThrow()
    expect((await t.get(`${path}/evidence/${otherEvidence.id}`)).status).toBe(404)
    expect((await t.get(`${other.location}/evidence/${otherEvidence.id}`)).status).toBe(200)
    expect((await html(await t.get(path))).text('#case-number')).toBe(tk.case_number)

    t.advance(ACCESS_LINK_TTL_MS - 1)
    expect((await t.get(path)).status).toBe(200)
    t.advance(1)
    expect((await t.get(path)).status).toBe(404)
  })

  it('stop working when the complainant asks for a fresh tracking link', async () => {
    const { tk, path } = await replyLink()
    expect(
      (await t.postForm('/track', { case_number: tk.case_number, email: 'wang@example.com' }))
        .status,
    ).toBe(200)
    await afterReplySettled()
    expect((await t.get(path)).status).toBe(404)
    expect(await t.db.selectFrom('access_links').selectAll().execute()).toHaveLength(0)
  })

  it('open a page that says until when the emailed link works, instead of asking to keep it', async () => {
    const filed = await fileViaHttp(t, { email: 'keep@example.com' })
    const tk = await latestTicket()
    await deliver()
    await act(tk.case_number, 'reply', { body: 'Hello' })
    const [got] = await deliver()
    const emailed = await html(await t.get(new URL(trackLink(got!.mail)).pathname))
    const box = emailed.$('#keep-link')!
    expect(box.getAttribute('data-link')).toBe('email')
    expect(emailed.$('#track-url')).toBeNull()
    expect(box.textContent).toContain(formatDateTime(t.now() + ACCESS_LINK_TTL_MS, 'zh-CN'))
    expect(box.querySelector('a[href="/track"]')).not.toBeNull()
    // The private tracking link itself still asks to be kept, and shows itself.
    const own = await html(await t.get(filed.location))
    expect(own.$('#keep-link')!.getAttribute('data-link')).toBe('tracking')
    expect(own.$('#track-url')!.getAttribute('value')).toContain(filed.location)
  })

  it('of made-up tokens open nothing', async () => {
    expect((await t.get(`/track/${'A'.repeat(43)}`)).status).toBe(404)
  })
})

describe('emails to agents', () => {
  it('tells an agent a case was assigned to them by someone else, in their language', async () => {
    const other = await t.createStaff('agent', 'other@ladder.test')
    await t.db.updateTable('users').set({ locale: 'en' }).where('id', '=', other.id).execute()
    await fileViaHttp(t, { email: '', phone: '13912345678' })
    const tk = await latestTicket()
    expect((await act(tk.case_number, 'assign', { assignee: String(other.id) })).status).toBe(303)
    const [got] = await deliver()
    expect(got!.rcpt).toEqual(['other@ladder.test'])
    expect(got!.mail.subject).toBe(`Case ${tk.case_number} is assigned to you`)
    expect(got!.mail.text).toContain(`${t.config.baseUrl}/tickets/${tk.case_number}`)
    expect(got!.mail.text).toContain('Test agent assigned case')
  })

  it('sends nothing when an agent claims a case themselves', async () => {
    await fileViaHttp(t, { email: '', phone: '13912345678' })
    const tk = await latestTicket()
    await act(tk.case_number, 'assign', { assignee: String(agent.id) })
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)
  })

  it('tells the assignee (in Chinese by default) when the complainant replies or adds evidence', async () => {
    const { token } = await fileViaHttp(t, { email: '', phone: '13912345678' })
    const tk = await latestTicket()
    // Unassigned: nobody to tell.
    await t.postForm(`/track/${token}/messages`, { body: '还在等' })
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)

    await act(tk.case_number, 'assign', { assignee: String(agent.id) })
    await t.postForm(`/track/${token}/messages`, { body: '补充说明' })
    const res = await postMultipart(
      t,
      `/track/${token}/evidence`,
      multipart({}, [{ name: 'refund.png', bytes: PNG }]),
    )
    expect(res.status).toBe(303)
    const got = await deliver()
    expect(got.map((g) => g.rcpt[0])).toEqual(['agent@ladder.test', 'agent@ladder.test'])
    expect(got.map((g) => g.mail.subject)).toEqual([
      `案件 ${tk.case_number}：发来了留言`,
      `案件 ${tk.case_number}：补充了证据`,
    ])
    // The agent's mail says what happened; the complainant's words stay in the system.
    expect(got[0]!.mail.text).not.toContain('补充说明')
  })
})
