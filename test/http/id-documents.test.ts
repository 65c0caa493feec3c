// ID documents (DOMAIN: sensitive, access-restricted): sent through their own field when filing
// or adding evidence, stored flagged, shown to the complainant and to the case handler and
// managers only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import {
  PDF,
  PNG,
  SVG,
  evidenceFiles,
  fileViaHttp,
  multipart,
  postMultipart,
  validFields,
  type Upload,
} from './complaints-helpers.js'
import { act } from './ticketFixtures.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }

function withIdDocuments(
  fields: Record<string, string | string[]>,
  evidence: Upload[],
  idDocuments: Upload[],
): FormData {
  const form = multipart(fields, evidence)
  for (const f of idDocuments) form.append('id_document', new Blob([f.bytes]), f.name)
  return form
}

async function fileWithIdCard() {
  const res = await postMultipart(
    t,
    '/complaints',
    withIdDocuments(
      { ...validFields(), category: 'termination_failed' },
      [{ name: 'chat.png', bytes: PNG }],
      [{ name: 'id-card.pdf', bytes: PDF }],
    ),
  )
  expect(res.status).toBe(303)
  const token = res.headers.get('location')!.split('/').pop()!
  const rows = await t.db.selectFrom('evidence').selectAll().orderBy('id').execute()
  const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
  return {
    token,
    ticket,
    chat: rows.find((r) => r.original_name === 'chat.png')!,
    idCard: rows.find((r) => r.original_name === 'id-card.pdf')!,
  }
}

describe('ID documents', () => {
  it('are stored flagged, and the complainant sees and opens them, marked as restricted', async () => {
    const { token, chat, idCard } = await fileWithIdCard()
    expect(chat.sensitive).toBe(0)
    expect(idCard.sensitive).toBe(1)
    const page = await html(await t.get(`/track/${token}`, { headers: EN }))
    expect(page.text(`#evidence-${idCard.id}`)).toContain('only your case handler and managers')
    expect(page.text(`#evidence-${chat.id}`)).not.toContain('only your case handler')
    expect((await t.get(`/track/${token}/evidence/${idCard.id}`)).status).toBe(200)
  })

  it('are kept from agents other than the case handler, and shown to the handler and to managers', async () => {
    const { ticket, idCard } = await fileWithIdCard()
    const other = await t.createStaff('agent')
    const handler = await t.createStaff('agent')
    const manager = await t.createStaff('manager')
    const otherCookie = await t.signIn(other.email, other.password)
    const handlerCookie = await t.signIn(handler.email, handler.password)
    const managerCookie = await t.signIn(manager.email, manager.password)
    await act(t, ticket.id, handler.id, { type: 'assign', assigneeId: handler.id })

    const seenByOther = await html(
      await t.get(`/tickets/${ticket.case_number}`, { cookie: otherCookie, headers: EN }),
    )
    expect(seenByOther.$(`#evidence-${idCard.id}`)).toBeNull()
    expect(seenByOther.text('#evidence-hidden')).toContain('1 sensitive file')
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${idCard.id}`, { cookie: otherCookie }))
        .status,
    ).toBe(404)

    for (const cookie of [handlerCookie, managerCookie]) {
      const page = await html(
        await t.get(`/tickets/${ticket.case_number}`, { cookie, headers: EN }),
      )
      expect(page.text(`#evidence-${idCard.id}`)).toContain('Sensitive')
      expect(
        (await t.get(`/tickets/${ticket.case_number}/evidence/${idCard.id}`, { cookie })).status,
      ).toBe(200)
    }
  })

  it('count towards the same file limit as other evidence, and a refusal in either field stores nothing', async () => {
    const tooMany = await postMultipart(
      t,
      '/complaints',
      withIdDocuments(
        validFields(),
        Array.from({ length: 10 }, (_, i) => ({ name: `s${i}.png`, bytes: PNG })),
        [{ name: 'id.pdf', bytes: PDF }],
      ),
      EN,
    )
    expect(tooMany.status).toBe(422)
    expect((await html(tooMany)).text('#f-evidence-error')).toContain('11 files')

    const refused = await postMultipart(
      t,
      '/complaints',
      withIdDocuments(
        validFields(),
        [{ name: 'ok.png', bytes: PNG }],
        [{ name: 'id.svg', bytes: SVG }],
      ),
      EN,
    )
    expect(refused.status).toBe(422)
    const doc = await html(refused)
    expect(doc.text('#f-id_document-error')).toContain('“id.svg”')
    expect(doc.$('#f-id_document')?.getAttribute('aria-invalid')).toBe('true')
    expect(doc.$('#f-evidence-error')).toBeNull()
    expect(evidenceFiles(t)).toEqual([])
    expect(await t.db.selectFrom('evidence').selectAll().execute()).toHaveLength(0)
  })

  it('can be added later from the tracking page on their own', async () => {
    const { token } = await fileViaHttp(t)
    const form = withIdDocuments({}, [], [{ name: 'passport.png', bytes: PNG }])
    const res = await postMultipart(t, `/track/${token}/evidence`, form)
    expect(res.status).toBe(303)
    const row = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
    expect(row.original_name).toBe('passport.png')
    expect(row.sensitive).toBe(1)
  })
})

describe('restricting a file as an ID document from the ticket page', () => {
  it('lets any agent restrict a complainant’s file, and only someone who may see it lift that again', async () => {
    const { token } = await fileViaHttp(t, {}, [{ name: 'idcard-photo.png', bytes: PNG }])
    const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
    const file = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
    const agent = await t.createStaff('agent')
    const manager = await t.createStaff('manager')
    const agentCookie = await t.signIn(agent.email, agent.password)
    const managerCookie = await t.signIn(manager.email, manager.password)
    const url = `/tickets/${ticket.case_number}/evidence/${file.id}/sensitive`

    const page = await html(
      await t.get(`/tickets/${ticket.case_number}`, { cookie: agentCookie, headers: EN }),
    )
    expect(
      page
        .$(`#evidence-${file.id} form[action="${url}"] input[name="sensitive"]`)
        ?.getAttribute('value'),
    ).toBe('1')

    const restricted = await t.postForm(url, { sensitive: '1' }, { cookie: agentCookie })
    expect(restricted.status).toBe(303)
    expect(
      (
        await t.db
          .selectFrom('evidence')
          .select('sensitive')
          .where('id', '=', file.id)
          .executeTakeFirstOrThrow()
      ).sensitive,
    ).toBe(1)
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${file.id}`, { cookie: agentCookie }))
        .status,
    ).toBe(404)
    // The agent no longer sees it, so cannot lift the restriction either.
    expect((await t.postForm(url, { sensitive: '0' }, { cookie: agentCookie })).status).toBe(404)
    // The complainant still sees their own file, now marked.
    expect(
      (await html(await t.get(`/track/${token}`, { headers: EN }))).text(`#evidence-${file.id}`),
    ).toContain('only your case handler')

    expect((await t.postForm(url, { sensitive: '0' }, { cookie: managerCookie })).status).toBe(303)
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${file.id}`, { cookie: agentCookie }))
        .status,
    ).toBe(200)

    const events = await t.db
      .selectFrom('events')
      .select(['type', 'visibility', 'actor_user_id'])
      .where('type', 'like', 'evidence_%restricted')
      .orderBy('id')
      .execute()
    expect(events).toEqual([
      { type: 'evidence_restricted', visibility: 'internal', actor_user_id: agent.id },
      { type: 'evidence_unrestricted', visibility: 'internal', actor_user_id: manager.id },
    ])
    const history = await html(
      await t.get(`/tickets/${ticket.case_number}`, { cookie: managerCookie, headers: EN }),
    )
    expect(history.text('#timeline')).toContain('File restricted as an ID document')
  })

  it('refuses a malformed request and leaves files staff attached alone', async () => {
    await fileViaHttp(t, {}, [{ name: 'a.png', bytes: PNG }])
    const ticket = await t.db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow()
    const file = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
    const manager = await t.createStaff('manager')
    const cookie = await t.signIn(manager.email, manager.password)
    expect(
      (
        await t.postForm(
          `/tickets/${ticket.case_number}/evidence/${file.id}/sensitive`,
          { sensitive: 'yes' },
          { cookie },
        )
      ).status,
    ).toBe(400)
    await t.db
      .updateTable('evidence')
      .set({ uploaded_by_type: 'staff', uploaded_by_user_id: manager.id })
      .where('id', '=', file.id)
      .execute()
    expect(
      (
        await t.postForm(
          `/tickets/${ticket.case_number}/evidence/${file.id}/sensitive`,
          { sensitive: '1' },
          { cookie },
        )
      ).status,
    ).toBe(404)
    expect(
      (
        await t.db
          .selectFrom('evidence')
          .select('sensitive')
          .where('id', '=', file.id)
          .executeTakeFirstOrThrow()
      ).sensitive,
    ).toBe(0)
  })
})

describe('taking a case and opening its ID documents (security round two)', () => {
  const version = async (id: number) =>
    String(
      (
        await t.db
          .selectFrom('tickets')
          .select('version')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).version,
    )

  it('does not let an agent take a case a colleague holds, and lets the holder or a manager hand it over', async () => {
    const { ticket, idCard } = await fileWithIdCard()
    const holder = await t.createStaff('agent')
    const other = await t.createStaff('agent')
    const manager = await t.createStaff('manager')
    await act(t, ticket.id, holder.id, { type: 'assign', assigneeId: holder.id })
    const otherCookie = await t.signIn(other.email, other.password)

    const taken = await t.postForm(
      `/tickets/${ticket.case_number}/actions/assign`,
      { assignee: String(other.id), version: await version(ticket.id) },
      { cookie: otherCookie, headers: EN },
    )
    expect(taken.status).toBe(403)
    expect(await taken.text()).toContain('A colleague is working on this case')
    const after = await t.db
      .selectFrom('tickets')
      .select(['assignee_id'])
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow()
    expect(after.assignee_id).toBe(holder.id)
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${idCard.id}`, { cookie: otherCookie }))
        .status,
    ).toBe(404)

    // A manager may hand it over; so may the holder.
    const managerCookie = await t.signIn(manager.email, manager.password)
    const handed = await t.postForm(
      `/tickets/${ticket.case_number}/actions/assign`,
      { assignee: String(other.id), version: await version(ticket.id) },
      { cookie: managerCookie },
    )
    expect(handed.status).toBe(303)
    const back = await t.postForm(
      `/tickets/${ticket.case_number}/actions/assign`,
      { assignee: String(holder.id), version: await version(ticket.id) },
      { cookie: otherCookie },
    )
    expect(back.status).toBe(303)
  })

  it('records every opening of an ID document with who and when, and none of an ordinary file', async () => {
    const { ticket, idCard, chat } = await fileWithIdCard()
    const handler = await t.createStaff('agent')
    await act(t, ticket.id, handler.id, { type: 'assign', assigneeId: handler.id })
    const cookie = await t.signIn(handler.email, handler.password)
    const opened = async () =>
      t.db
        .selectFrom('events')
        .selectAll()
        .where('ticket_id', '=', ticket.id)
        .where('type', '=', 'evidence_opened')
        .execute()

    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${chat.id}`, { cookie })).status,
    ).toBe(200)
    expect(await opened()).toHaveLength(0)
    const first = t.now()
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${idCard.id}`, { cookie })).status,
    ).toBe(200)
    t.advance(60_000)
    expect(
      (await t.get(`/tickets/${ticket.case_number}/evidence/${idCard.id}`, { cookie })).status,
    ).toBe(200)
    const events = await opened()
    expect(
      events.map((e) => [
        e.actor_type,
        e.actor_user_id,
        e.visibility,
        e.created_at,
        JSON.parse(e.payload),
      ]),
    ).toEqual([
      ['staff', handler.id, 'internal', first, { evidenceId: idCard.id }],
      ['staff', handler.id, 'internal', first + 60_000, { evidenceId: idCard.id }],
    ])
    // The ticket page links the ID document instead of loading it as a thumbnail, so a page view opens nothing.
    const page = await html(await t.get(`/tickets/${ticket.case_number}`, { cookie, headers: EN }))
    expect(page.$(`#evidence-${idCard.id} img`)).toBeNull()
    expect(page.text(`#evidence-${idCard.id}`)).toContain('your opening is recorded')
    expect(page.text('#timeline')).toContain('ID document opened')
  })
})
