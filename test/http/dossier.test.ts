import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type StoredEvidence } from '../../src/change/evidenceRows.js'
import { fileTicket } from '../../src/change/ticketChanges.js'
import { writerOf } from '../helpers/tickets.js'
import { localEvidenceStore } from '../../src/evidence/store.js'
import { parseHTML } from '../helpers/html.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { PDF, PNG } from './complaints-helpers.js'
import { sha256, unzip } from './dossier-helpers.js'
import { act, versionOf } from './ticketFixtures.js'

const DAY = 86_400_000
const CARD = '4111111111111111'
const PRC_ID = '11010519491231002X'
const PHONE = '13912345678'

let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  agent = await t.createStaff('agent', 'agent@ladder.test')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

/** A case with evidence (one sensitive), a contact, public and internal events and an escalation. */
async function richCase() {
  const store = localEvidenceStore(t.config.evidenceDir)
  const files: [string, Uint8Array, string][] = [
    ['退款截图.png', PNG, 'image/png'],
    ['../../etc/passwd.pdf', PDF, 'application/pdf'],
    ['id-card.png', new Uint8Array([...PNG, 7, 7, 7]), 'image/png'],
  ]
  const stored: StoredEvidence[] = []
  for (const [name, bytes, mime] of files) {
    const put = await store.put(bytes)
    stored.push({
      sha256: put.sha256,
      size: put.size,
      mime,
      originalName: name,
      sensitive: name === 'id-card.png',
    })
  }
  const filed = await fileTicket(writerOf(t.db), {
    input: {
      category: 'refund_not_received',
      providerId: 1,
      providerOther: null,
      occurredAt: t.now() - 5 * DAY,
      amountMinor: 12_850,
      currency: 'CNY',
      transactionRef: 'T2026112000001',
      merchant: '美团外卖',
      description: `卡号 ${CARD} 被扣款两次，身份证 ${PRC_ID}。`,
      desiredOutcome: 'refund',
      selfHelp: ['check_refund_status', 'contact_support'],
      name: '王芳',
      email: 'wang@example.com',
      phone: PHONE,
      locale: 'zh-CN',
    },
    evidence: stored,
    now: t.now() - 3 * DAY,
  })
  const tk = filed.ticket
  await t.db
    .insertInto('contact_attempts')
    .values({
      ticket_id: tk.id,
      contacted_at: t.now() - 4 * DAY,
      channel: 'phone',
      summary: '客服说三天内到账',
      external_ref: 'CS-778',
      recorded_by_type: 'complainant',
      recorded_by_user_id: null,
      created_at: t.now(),
    })
    .execute()
  await act(t, tk.id, agent.id, {
    type: 'note',
    body: 'INTERNAL-ONLY: the provider owes us a favour',
  })
  await act(t, tk.id, agent.id, { type: 'reply', body: 'PUBLIC-REPLY: we contacted Alipay' })
  await act(t, tk.id, agent.id, {
    type: 'record_contact',
    body: 'Alipay refused the refund.',
    externalRef: 'ALI-2026-55',
    outcome: 'refused',
  })
  await act(t, tk.id, agent.id, {
    type: 'escalate',
    reason: 'refused',
    note: null,
    externalRef: '12315-AB-9',
  })
  return { tk, stored }
}

async function download(caseNumber: string, query = '', c = cookie) {
  const res = await t.get(`/tickets/${caseNumber}/dossier.zip${query}`, { cookie: c })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/zip')
  expect(res.headers.get('content-disposition')).toMatch(
    new RegExp(`^attachment; filename="${caseNumber}-dossier`),
  )
  return unzip(Buffer.from(await res.arrayBuffer()))
}

const manifestOf = (z: Awaited<ReturnType<typeof unzip>>) =>
  JSON.parse(z.files.get('manifest.json')!.toString('utf8')) as {
    caseNumber: string
    generatedAt: string
    masked: boolean
    files: { path: string; sha256: string; size: number }[]
  }

describe('the escalation dossier', () => {
  it('holds summary.html, every evidence file and a manifest whose hashes match the files and the database', async () => {
    const { tk, stored } = await richCase()
    // The assignee sees (and exports) sensitive evidence.
    await act(t, tk.id, agent.id, { type: 'assign', assigneeId: agent.id })
    const z = await download(tk.case_number)
    expect(z.names[0]).toBe('summary.html')
    expect(z.names.at(-1)).toBe('manifest.json')
    expect(z.names.slice(1, -1)).toEqual([
      'evidence/01-退款截图.png',
      'evidence/02-passwd.pdf',
      'evidence/03-id-card.png',
    ])

    const manifest = manifestOf(z)
    expect(manifest).toMatchObject({
      caseNumber: tk.case_number,
      generatedAt: new Date(t.now()).toISOString(),
      masked: true,
    })
    // Every other file of the ZIP is listed, with the hash of its actual bytes…
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      z.names.filter((n) => n !== 'manifest.json').sort(),
    )
    for (const f of manifest.files) {
      expect(sha256(z.files.get(f.path)!)).toBe(f.sha256)
      expect(z.files.get(f.path)!.byteLength).toBe(f.size)
    }
    // …and the evidence hashes are the ones the database stored at filing.
    const rows = await t.db
      .selectFrom('evidence')
      .select(['sha256', 'size'])
      .where('ticket_id', '=', tk.id)
      .orderBy('id')
      .execute()
    expect(manifest.files.slice(1).map((f) => f.sha256)).toEqual(rows.map((r) => r.sha256))
    expect(rows.map((r) => r.sha256)).toEqual(stored.map((s) => s.sha256))
    expect(Buffer.compare(z.files.get('evidence/01-退款截图.png')!, Buffer.from(PNG))).toBe(0)
  })

  it('writes a printable summary: parties, facts, what was tried, contacts, ladder, public timeline, evidence index', async () => {
    const { tk } = await richCase()
    const z = await download(tk.case_number, '?lang=en')
    const markup = z.files.get('summary.html')!.toString('utf8')
    expect(markup).toContain('@page { size: A4;')
    const { $, $$, text } = parseHTML(markup)
    expect($('html')?.getAttribute('lang')).toBe('en')
    expect(text('h1')).toBe(`Case dossier ${tk.case_number}`)
    const all = text('body') ?? ''
    expect(all).toContain('王芳')
    expect(all).toContain('wang@example.com')
    expect(all).toContain('Alipay')
    expect(all).toContain('¥128.50')
    expect(all).toContain('T2026112000001')
    expect($$('#self-help li')).toHaveLength(2)
    expect(all).toContain('客服说三天内到账')
    expect(all).toContain('CS-778')
    expect($$('.stage').map((s) => s.getAttribute('data-level'))).toEqual([
      'platform',
      'consumer_association',
    ])
    expect(text('.stage[data-level="platform"]')).toContain('ALI-2026-55')
    expect(text('.stage[data-level="platform"]')).toContain('Alipay refused the refund.')
    expect(text('.stage[data-level="consumer_association"]')).toContain('12315-AB-9')
    expect(text('#timeline + table')).toContain('PUBLIC-REPLY')
    expect(all).not.toContain('INTERNAL-ONLY')
    const index = text('#evidence-index') ?? ''
    expect(index).toContain('evidence/01-退款截图.png')
    expect(index).toContain('image/png')
    expect(index).toContain(sha256(PNG))
    expect(index).toContain('Complainant')
    expect($$('#evidence-index tbody tr')).toHaveLength(2)
    expect(text('#evidence-hidden')).toContain('1 sensitive file')
    expect($$('script')).toHaveLength(0)
  })

  it('masks card, ID and phone numbers unless an unmasked copy is asked for, and audits which was made', async () => {
    const { tk } = await richCase()
    const version = await versionOf(t, tk.case_number)
    const masked = (await download(tk.case_number)).files.get('summary.html')!.toString('utf8')
    for (const secret of [CARD, PRC_ID, PHONE]) expect(masked).not.toContain(secret)
    expect(parseHTML(masked).$('#masking')?.getAttribute('data-masked')).toBe('1')

    const unmasked = await download(tk.case_number, '?unmasked=1')
    const full = unmasked.files.get('summary.html')!.toString('utf8')
    for (const secret of [CARD, PRC_ID, PHONE]) expect(full).toContain(secret)
    expect(manifestOf(unmasked).masked).toBe(false)

    const events = await t.db
      .selectFrom('events')
      .selectAll()
      .where('ticket_id', '=', tk.id)
      .where('type', '=', 'dossier_generated')
      .orderBy('id')
      .execute()
    expect(events).toHaveLength(2)
    expect(
      events.map((e) => [e.visibility, e.actor_user_id, JSON.parse(e.payload).masked]),
    ).toEqual([
      ['internal', agent.id, true],
      ['internal', agent.id, false],
    ])
    expect(JSON.parse(events[1]!.payload)).toMatchObject({
      files: 2,
      manifestSha256: sha256(unmasked.files.get('manifest.json')!),
    })
    // Downloading is not a change of the ticket: nobody's open form goes stale.
    expect(await versionOf(t, tk.case_number)).toBe(version)
    // The ticket's history shows who took which copy.
    const { text } = await html(
      await t.get(`/tickets/${tk.case_number}`, { cookie, headers: { 'accept-language': 'en' } }),
    )
    expect(text('.event-dossier_generated')).toContain('numbers shown in full')
  })

  it('leaves sensitive evidence out for an agent who is not the assignee, and includes it for a manager', async () => {
    const { tk } = await richCase()
    const other = await t.createStaff('agent')
    await act(t, tk.id, agent.id, { type: 'assign', assigneeId: other.id })
    const forAgent = await download(tk.case_number)
    expect(forAgent.names.filter((n) => n.startsWith('evidence/'))).toHaveLength(2)
    const manager = await t.createStaff('manager')
    const forManager = await download(
      tk.case_number,
      '',
      await t.signIn(manager.email, manager.password),
    )
    expect(forManager.names).toContain('evidence/03-id-card.png')
  })

  it('is 404 for an unknown case and sends a signed-out visitor to sign in', async () => {
    expect((await t.get('/tickets/LD-2026-999999/dossier.zip', { cookie })).status).toBe(404)
    expect((await t.get('/tickets/not-a-case/dossier.zip', { cookie })).status).toBe(404)
    const { tk } = await richCase()
    const anon = await t.get(`/tickets/${tk.case_number}/dossier.zip`)
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent(`/tickets/${tk.case_number}/dossier.zip`)}`,
    )
    expect(
      await t.db
        .selectFrom('events')
        .select('id')
        .where('type', '=', 'dossier_generated')
        .execute(),
    ).toHaveLength(0)
  })

  it('is offered on the ticket page as a plain GET form with the unmasked option', async () => {
    const { tk } = await richCase()
    const { $ } = await html(await t.get(`/tickets/${tk.case_number}`, { cookie }))
    const form = $('#dossier-form')
    expect(form?.getAttribute('method')).toBe('get')
    expect(form?.getAttribute('action')).toBe(`/tickets/${tk.case_number}/dossier.zip`)
    expect($('#dossier-form input[type="checkbox"][name="unmasked"][value="1"]')).not.toBeNull()
    expect($('#dossier-form select[name="lang"]')).not.toBeNull()
  })
})
