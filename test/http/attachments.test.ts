// Files staff send with a reply, a request for information or a proposed resolution (issue 21,
// item 8): stored and sniffed like the complainant's evidence, written with the action in one
// transaction, marked as sent by us, on the ticket's timeline, on the tracking page and named
// with a download link in the complainant's mail. A refused file refuses the action.
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import {
  EXE,
  PDF,
  PNG,
  SVG,
  evidenceFiles,
  fileViaHttp,
  multipart,
  postMultipart,
  type Upload,
} from './complaints-helpers.js'
import { versionOf } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  // A small per-file limit, so that "too large" needs no 10 MB body.
  t = await createTestApp({ env: { EVIDENCE_MAX_FILE_MB: '0.05' } })
  agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

/** A case filed through the form (in English), with its private tracking token. */
async function filed() {
  const { token } = await fileViaHttp(t, {}, [], EN)
  const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
  await t.db.deleteFrom('outbox').execute()
  return { token, ticket }
}

async function send(
  caseNumber: string,
  action: string,
  fields: Record<string, string>,
  files: Upload[],
  fileField = 'evidence',
) {
  const form = multipart(
    { version: String(await versionOf(t, caseNumber)), ...fields },
    files,
    fileField,
  )
  return postMultipart(t, `/tickets/${caseNumber}/actions/${action}`, form, { cookie, ...EN })
}

const evidenceRows = () => t.db.selectFrom('evidence').selectAll().orderBy('id').execute()
const eventsOf = (ticketId: number) =>
  t.db.selectFrom('events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()

describe('a reply with files', () => {
  it('writes the event and its files marked as sent by staff, shown on the ticket page', async () => {
    const { ticket } = await filed()
    const res = await send(ticket.case_number, 'reply', { body: 'Here is the refund record.' }, [
      { name: 'refund-record.png', bytes: PNG },
      { name: 'letter.pdf', bytes: PDF },
    ])
    expect(res.status).toBe(303)
    const reply = (await eventsOf(ticket.id)).find((e) => e.type === 'replied')!
    expect(reply.body).toBe('Here is the refund record.')
    const rows = await evidenceRows()
    expect(rows.map((r) => [r.original_name, r.mime, r.sha256])).toEqual([
      ['refund-record.png', 'image/png', sha(PNG)],
      ['letter.pdf', 'application/pdf', sha(PDF)],
    ])
    for (const r of rows) {
      expect(r.event_id).toBe(reply.id)
      expect(r.uploaded_by_type).toBe('staff')
      expect(r.uploaded_by_user_id).toBe(agent.id)
      expect(r.sensitive).toBe(0)
    }
    expect(evidenceFiles(t).sort()).toEqual([sha(PNG), sha(PDF)].sort())

    const page = await html(await t.get(`/tickets/${ticket.case_number}`, { cookie, headers: EN }))
    const files = page.text(`#event-${reply.id} .event-files`) ?? ''
    expect(files).toContain('Files sent to the complainant (2)')
    expect(files).toContain('refund-record.png')
    expect(files).toContain('Sent by us')
    expect(page.text(`#evidence-${rows[0]!.id}`)).toContain('Sent by us')
    expect(page.$(`#evidence-${rows[0]!.id}`)?.getAttribute('class')).toContain(
      'evidence-from-staff',
    )
  })

  it('reaches the complainant on the tracking page, downloadable there, and in the mail as links', async () => {
    const { token, ticket } = await filed()
    expect(
      (
        await send(ticket.case_number, 'reply', { body: 'See the attached letter.' }, [
          { name: 'letter.pdf', bytes: PDF },
        ])
      ).status,
    ).toBe(303)
    const [row] = await evidenceRows()
    const reply = (await eventsOf(ticket.id)).find((e) => e.type === 'replied')!

    const page = await html(await t.get(`/track/${token}`, { headers: EN }))
    expect(page.text(`#evidence-${row!.id}`)).toContain('From the complaints office')
    expect(page.text(`#event-${reply.id}`)).toContain('letter.pdf')
    const link = page.$(`#evidence-${row!.id} a.evidence-name`)!.getAttribute('href')!
    expect(link).toBe(`/track/${token}/evidence/${row!.id}`)
    const download = await t.get(link)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF)

    // The mail names the file and links to it through the mail's own private link; it does not
    // carry the file itself.
    const mail = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'agent_replied')
      .executeTakeFirstOrThrow()
    expect(mail.text_body).toContain('Files sent with this message')
    expect(mail.text_body).toContain('letter.pdf')
    const fileUrl = new RegExp(`https?://[^\\s]+/track/([\\w-]+)/evidence/${row!.id}`).exec(
      mail.text_body,
    )
    expect(fileUrl).not.toBeNull()
    expect(mail.html_body).toContain(`/evidence/${row!.id}"`)
    const viaMail = await t.get(new URL(fileUrl![0]).pathname)
    expect(viaMail.status).toBe(200)
    expect(new Uint8Array(await viaMail.arrayBuffer())).toEqual(PDF)
    // A file of another case is not reachable through this link.
    expect((await t.get(`/track/${fileUrl![1]}/evidence/${row!.id + 1}`)).status).toBe(404)
  })

  it('is also taken by a request for information and a proposed resolution', async () => {
    const { token, ticket } = await filed()
    expect(
      (
        await send(ticket.case_number, 'request_info', { body: 'Please fill in this form.' }, [
          { name: 'form.pdf', bytes: PDF },
        ])
      ).status,
    ).toBe(303)
    // The complainant answers, so that a resolution can be proposed.
    const answer = await t.postForm(`/track/${token}/messages`, { body: 'Here it is.' })
    expect(answer.status).toBe(303)
    await t.db.deleteFrom('outbox').execute()
    expect(
      (
        await send(
          ticket.case_number,
          'propose_resolution',
          { body: 'The provider will refund you.', relief: 'monetary', amount_recovered: '120.50' },
          [{ name: 'refund.png', bytes: PNG }],
        )
      ).status,
    ).toBe(303)
    const events = await eventsOf(ticket.id)
    const rows = await evidenceRows()
    const asked = events.find((e) => e.type === 'info_requested')!
    const proposed = events.find((e) => e.type === 'resolution_proposed')!
    expect(rows.map((r) => [r.original_name, r.event_id, r.uploaded_by_type])).toEqual([
      ['form.pdf', asked.id, 'staff'],
      ['refund.png', proposed.id, 'staff'],
    ])
    const mail = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'agent_resolution_proposed')
      .executeTakeFirstOrThrow()
    expect(mail.text_body).toContain('refund.png')
  })

  it('works without files as before, and a form sent urlencoded still replies', async () => {
    const { ticket } = await filed()
    expect((await send(ticket.case_number, 'reply', { body: 'No files.' }, [])).status).toBe(303)
    const plain = await t.postForm(
      `/tickets/${ticket.case_number}/actions/reply`,
      { version: String(await versionOf(t, ticket.case_number)), body: 'Plain form.' },
      { cookie },
    )
    expect(plain.status).toBe(303)
    expect(await evidenceRows()).toEqual([])
    const mail = await t.db.selectFrom('outbox').select('text_body').execute()
    expect(mail.map((m) => m.text_body).join('\n')).not.toContain('Files sent with this message')
  })

  it('draws the file field in the reply, request and proposal forms, sent as multipart', async () => {
    const { ticket } = await filed()
    const page = await html(await t.get(`/tickets/${ticket.case_number}`, { cookie, headers: EN }))
    for (const action of ['reply', 'request_info', 'propose_resolution']) {
      const form = page.$(`#${action}-form`)!
      expect(form.getAttribute('enctype')).toBe('multipart/form-data')
      const input = form.querySelector(`input[type=file][name=evidence]`)!
      expect(input.hasAttribute('multiple')).toBe(true)
    }
    expect(page.$('#note-form input[type=file]')).toBeNull()
  })
})

describe('a refused file refuses the action', () => {
  const unchanged = async (ticketId: number, version: number, before: number) => {
    expect(await eventsOf(ticketId)).toHaveLength(before)
    const row = await t.db.selectFrom('tickets').select('version').executeTakeFirstOrThrow()
    expect(row.version).toBe(version)
    expect(await evidenceRows()).toEqual([])
    expect(evidenceFiles(t)).toEqual([])
    expect(await t.db.selectFrom('outbox').selectAll().execute()).toEqual([])
  }

  it('a file over the size limit is a 413, with the text kept and nothing done', async () => {
    const { ticket } = await filed()
    const before = (await eventsOf(ticket.id)).length
    const big = new Uint8Array(60 * 1024)
    big.set(PNG)
    const res = await send(ticket.case_number, 'reply', { body: 'My careful answer.' }, [
      { name: 'small.png', bytes: PNG },
      { name: 'huge.png', bytes: big },
    ])
    expect(res.status).toBe(413)
    const page = await html(res)
    expect(page.text('#reply-form [role=alert]')).toContain('a file is too large')
    expect(page.text('#f-reply-evidence-error')).toContain('“huge.png” is larger than')
    expect(page.$('#f-reply-evidence')?.getAttribute('aria-invalid')).toBe('true')
    expect(page.$('#f-reply-body')?.textContent).toBe('My careful answer.')
    expect(page.$('#action-reply')?.hasAttribute('open')).toBe(true)
    expect(page.$('#reply-files-again')).not.toBeNull()
    await unchanged(ticket.id, ticket.version, before)
  })

  it('a file of a type we do not take is a 422, with the text kept and nothing done', async () => {
    const { ticket } = await filed()
    const before = (await eventsOf(ticket.id)).length
    for (const bad of [
      { name: 'tool.pdf', bytes: EXE },
      { name: 'picture.svg', bytes: SVG },
    ]) {
      const res = await send(
        ticket.case_number,
        'request_info',
        { body: 'Please send your bank statement.' },
        [{ name: 'ok.png', bytes: PNG }, bad],
      )
      expect(res.status).toBe(422)
      const page = await html(res)
      expect(page.text('#f-request_info-evidence-error')).toContain(`“${bad.name}”`)
      expect(page.$('#f-request_info-body')?.textContent).toBe('Please send your bank statement.')
    }
    await unchanged(ticket.id, ticket.version, before)
  })

  it('an invalid text field with files stores nothing', async () => {
    const { ticket } = await filed()
    const before = (await eventsOf(ticket.id)).length
    const res = await send(ticket.case_number, 'reply', { body: '   ' }, [
      { name: 'ok.png', bytes: PNG },
    ])
    expect(res.status).toBe(422)
    await unchanged(ticket.id, ticket.version, before)
  })

  it('a stale version is a 409 and stores no file', async () => {
    const { ticket } = await filed()
    const form = multipart({ version: String(ticket.version), body: 'First' }, [])
    await postMultipart(t, `/tickets/${ticket.case_number}/actions/note`, form, { cookie })
    const res = await postMultipart(
      t,
      `/tickets/${ticket.case_number}/actions/reply`,
      multipart({ version: String(ticket.version), body: 'Late reply' }, [
        { name: 'late.png', bytes: PNG },
      ]),
      { cookie, ...EN },
    )
    expect(res.status).toBe(409)
    expect((await html(res)).$('#f-reply-body')?.textContent).toBe('Late reply')
    expect(await evidenceRows()).toEqual([])
    expect(evidenceFiles(t)).toEqual([])
  })

  it('staff cannot send an ID document: that field is not taken', async () => {
    const { ticket } = await filed()
    const res = await send(
      ticket.case_number,
      'reply',
      { body: 'Reply' },
      [{ name: 'id.png', bytes: PNG }],
      'id_document',
    )
    expect(res.status).toBe(303)
    expect(await evidenceRows()).toEqual([])
  })

  it('the action routes take bodies past an ordinary form’s 1 MB, up to the evidence limit', async () => {
    // The evidence routes' limits and upload gate (app.ts), not the 1 MB of other forms.
    const roomy = await createTestApp({ env: { EVIDENCE_MAX_FILE_MB: '2' } })
    try {
      const staff = await roomy.createStaff('agent')
      const c = await roomy.signIn(staff.email, staff.password)
      await fileViaHttp(roomy)
      const tk = await roomy.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
      const large = new Uint8Array(1536 * 1024)
      large.set(PNG)
      const form = multipart({ version: String(tk.version), body: 'Scan attached.' }, [
        { name: 'scan.png', bytes: large },
      ])
      const res = await postMultipart(roomy, `/tickets/${tk.case_number}/actions/reply`, form, {
        cookie: c,
      })
      expect(res.status).toBe(303)
      const row = await roomy.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
      expect(row.size).toBe(large.byteLength)
      // A body declared past the evidence limit is refused before it is read.
      const declared = roomy.config.evidenceMaxFiles * roomy.config.evidenceMaxFileBytes * 2
      const refused = await roomy.request(`/tickets/${tk.case_number}/actions/reply`, {
        method: 'POST',
        cookie: c,
        headers: {
          origin: 'http://localhost',
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(declared),
        },
        body: '--x--\r\n',
      })
      expect(refused.status).toBe(413)
    } finally {
      await roomy.close()
    }
  })
})
