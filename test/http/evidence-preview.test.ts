// The evidence viewer (issue 21, item 9): images, PDFs and text shown on the page rather than
// saved, from a route of their own that is inline, sandboxed and never re-typed; the download
// stays an attachment, and ID documents stay with those who may see them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { PDF, PNG, fileViaHttp, multipart, postMultipart } from './complaints-helpers.js'
import { act } from './ticketFixtures.js'
import { PREVIEW_TEXT_BYTES } from '../../src/evidence/preview.js'

const EN = { 'accept-language': 'en' }
const TEXT = new TextEncoder().encode('Refund <b>pending</b> & "soon"\n客服说 3 天内到账\n')
const CSV = new TextEncoder().encode('date,amount\n2026-11-20,<i>128.50</i>\n')

let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

async function fileWith(files: { name: string; bytes: Uint8Array }[], idDocuments = false) {
  const { token } = await fileViaHttp(t, {}, idDocuments ? [] : files, EN)
  if (idDocuments) {
    const form = multipart({}, files, 'id_document')
    expect((await postMultipart(t, `/track/${token}/evidence`, form)).status).toBe(303)
  }
  const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
  const rows = await t.db.selectFrom('evidence').selectAll().orderBy('id').execute()
  const byName = (name: string) => rows.find((r) => r.original_name === name)!
  return { token, ticket, rows, byName }
}

function expectPreviewHeaders(res: Response, type: string) {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe(type)
  expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="/)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp.split(';').map((d) => d.trim())).toContain('sandbox')
  expect(csp).not.toContain('allow-scripts')
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("frame-ancestors 'self'")
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
}

describe('the preview route', () => {
  it('shows images and PDFs inline, sandboxed and not re-typed; the download stays an attachment', async () => {
    const { ticket, byName } = await fileWith([
      { name: 'screen.png', bytes: PNG },
      { name: 'statement.pdf', bytes: PDF },
    ])
    const base = `/tickets/${ticket.case_number}/evidence`
    const image = await t.get(`${base}/${byName('screen.png').id}/preview`, { cookie })
    expectPreviewHeaders(image, 'image/png')
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG)
    const pdf = await t.get(`${base}/${byName('statement.pdf').id}/preview`, { cookie })
    expectPreviewHeaders(pdf, 'application/pdf')
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(PDF)

    const download = await t.get(`${base}/${byName('statement.pdf').id}`, { cookie })
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(download.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(download.headers.get('x-frame-options')).toBe('DENY')
    // The pages keep their own policy: only the preview may be framed, and only by us.
    const page = await t.get(`/tickets/${ticket.case_number}`, { cookie })
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('shows text and CSV escaped in a <pre>, and only their first part', async () => {
    const long = new Uint8Array(PREVIEW_TEXT_BYTES + 5000).fill(0x61)
    // A three-byte character across the cut: it is left out rather than shown broken.
    long.set(new TextEncoder().encode('到'), PREVIEW_TEXT_BYTES - 1)
    const { ticket, byName } = await fileWith([
      { name: 'notes.txt', bytes: TEXT },
      { name: 'export.csv', bytes: CSV },
      { name: 'long.txt', bytes: long },
    ])
    const base = `/tickets/${ticket.case_number}/evidence`
    const text = await t.get(`${base}/${byName('notes.txt').id}/preview`, {
      cookie,
      headers: EN,
    })
    expectPreviewHeaders(text, 'text/html; charset=utf-8')
    const body = await text.text()
    expect(body).toContain('<pre>Refund &lt;b&gt;pending&lt;/b&gt; &amp; &quot;soon&quot;')
    expect(body).toContain('客服说 3 天内到账')
    expect(body).not.toContain('<b>')
    const doc = await html(new Response(body))
    expect(doc.text('pre')).toContain('Refund <b>pending</b> & "soon"')

    const csv = await t.get(`${base}/${byName('export.csv').id}/preview`, { cookie })
    expectPreviewHeaders(csv, 'text/html; charset=utf-8')
    expect(await csv.text()).toContain('2026-11-20,&lt;i&gt;128.50&lt;/i&gt;')

    const cut = await t.get(`${base}/${byName('long.txt').id}/preview`, { cookie, headers: EN })
    const cutBody = await cut.text()
    expect(cutBody).toContain(`Only the first ${PREVIEW_TEXT_BYTES / 1024} KB are shown`)
    const shown = (await html(new Response(cutBody))).text('pre')!
    expect(shown).toBe('a'.repeat(PREVIEW_TEXT_BYTES - 1))
    expect(cutBody).not.toContain('\uFFFD')
  })

  it('has no preview for a type without one, and none for another case’s file', async () => {
    const { ticket, rows } = await fileWith([{ name: 'screen.png', bytes: PNG }])
    await t.db.updateTable('evidence').set({ mime: 'application/zip' }).execute()
    const base = `/tickets/${ticket.case_number}/evidence/${rows[0]!.id}`
    expect((await t.get(`${base}/preview`, { cookie })).status).toBe(404)
    expect((await t.get(base, { cookie })).status).toBe(200)
    await fileViaHttp(t, {}, [{ name: 'other.png', bytes: PNG }])
    const other = await t.db
      .selectFrom('evidence')
      .selectAll()
      .where('ticket_id', '!=', ticket.id)
      .executeTakeFirstOrThrow()
    const wrongCase = `/tickets/${ticket.case_number}/evidence/${other.id}/preview`
    expect((await t.get(wrongCase, { cookie })).status).toBe(404)
  })
})

describe('the viewer on the ticket page', () => {
  it('opens images as images, and PDFs and text in a frame whose document may run no script', async () => {
    const { ticket, byName } = await fileWith([
      { name: 'screen.png', bytes: PNG },
      { name: 'statement.pdf', bytes: PDF },
      { name: 'notes.txt', bytes: TEXT },
    ])
    const page = await html(await t.get(`/tickets/${ticket.case_number}`, { cookie, headers: EN }))
    const png = byName('screen.png')
    const pdf = byName('statement.pdf')
    const txt = byName('notes.txt')
    const base = `/tickets/${ticket.case_number}/evidence`

    expect(page.$(`#evidence-${png.id} a.preview-thumb`)?.getAttribute('href')).toBe(
      `#preview-${png.id}`,
    )
    const img = page.$(`#preview-${png.id} img.preview-image`)!
    expect(img.getAttribute('src')).toBe(`${base}/${png.id}/preview`)
    expect(img.getAttribute('loading')).toBe('lazy')
    for (const row of [pdf, txt]) {
      expect(page.$(`#preview-open-${row.id}`)?.getAttribute('href')).toBe(`#preview-${row.id}`)
      const frame = page.$(`#preview-${row.id} iframe`)!
      expect(frame.getAttribute('src')).toBe(`${base}/${row.id}/preview`)
      // Text is sandboxed by the frame too; a PDF only by its response's CSP (a sandboxed frame
      // shows no PDF at all), which the preview route's tests check.
      expect(frame.getAttribute('sandbox')).toBe(row === txt ? '' : null)
      expect(frame.getAttribute('loading')).toBe('lazy')
      // The download stays beside the preview.
      expect(page.$(`#evidence-${row.id} a.download-link`)?.getAttribute('href')).toBe(
        `${base}/${row.id}`,
      )
      expect(page.$(`#preview-${row.id} a.preview-close`)?.getAttribute('href')).toBe(
        `#evidence-${row.id}`,
      )
    }
  })

  it('is on the complainant’s tracking page too, through the private link only', async () => {
    const { token, byName } = await fileWith([
      { name: 'screen.png', bytes: PNG },
      { name: 'statement.pdf', bytes: PDF },
    ])
    const pdf = byName('statement.pdf')
    const page = await html(await t.get(`/track/${token}`, { headers: EN }))
    expect(page.$(`#preview-${pdf.id} iframe`)?.getAttribute('src')).toBe(
      `/track/${token}/evidence/${pdf.id}/preview`,
    )
    expectPreviewHeaders(
      await t.get(`/track/${token}/evidence/${pdf.id}/preview`),
      'application/pdf',
    )
    expect((await t.get(`/track/${'x'.repeat(43)}/evidence/${pdf.id}/preview`)).status).toBe(404)
  })
})

describe('restricted evidence', () => {
  it('has no preview for an agent who may not see it; the handler’s preview is recorded', async () => {
    const { ticket, rows } = await fileWith([{ name: 'id-card.png', bytes: PNG }], true)
    const idCard = rows[0]!
    expect(idCard.sensitive).toBe(1)
    const handler = await t.createStaff('agent')
    const handlerCookie = await t.signIn(handler.email, handler.password)
    await act(t, ticket.id, handler.id, { type: 'assign', assigneeId: handler.id })
    const preview = `/tickets/${ticket.case_number}/evidence/${idCard.id}/preview`

    expect((await t.get(preview, { cookie })).status).toBe(404)
    const otherPage = await html(await t.get(`/tickets/${ticket.case_number}`, { cookie }))
    expect(otherPage.$(`#preview-${idCard.id}`)).toBeNull()
    expect(otherPage.$(`a[href="${preview}"]`)).toBeNull()
    const opened = () =>
      t.db
        .selectFrom('events')
        .selectAll()
        .where('ticket_id', '=', ticket.id)
        .where('type', '=', 'evidence_opened')
        .execute()
    expect(await opened()).toHaveLength(0)

    // The handler sees it, but not in the page's viewer (which could load it unasked): the
    // preview opens on its own, and is recorded like a download.
    const handlerPage = await html(
      await t.get(`/tickets/${ticket.case_number}`, { cookie: handlerCookie }),
    )
    expect(handlerPage.$(`#preview-${idCard.id}`)).toBeNull()
    expect(handlerPage.$(`#preview-open-${idCard.id}`)?.getAttribute('href')).toBe(preview)
    expect(await opened()).toHaveLength(0)
    expectPreviewHeaders(await t.get(preview, { cookie: handlerCookie }), 'image/png')
    const events = await opened()
    expect(events).toHaveLength(1)
    expect(events[0]!.actor_user_id).toBe(handler.id)
  })
})
