// Issue 21, item 11: the defects found when the workspace was tried as a new agent would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import type { ActionInput } from '../../src/domain/actions.js'
import { writerOf } from '../helpers/tickets.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp } from './complaints-helpers.js'

const EN = { 'accept-language': 'en' }
const ZH = { 'accept-language': 'zh-CN' }
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

const ticketRow = () =>
  t.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()

async function staffDoes(input: ActionInput) {
  const ticket = await ticketRow()
  const result = await actOnTicket(writerOf(t.db), {
    ticketId: ticket.id,
    expectedVersion: null,
    input,
    actor: { kind: 'staff', role: 'agent', userId: agent.id },
    now: t.now(),
  })
  if (!result.ok) throw new Error(`staff action refused: ${JSON.stringify(result)}`)
  return result.ticket
}

describe('staff and complainant wording', () => {
  it.each([
    [EN, 'Waiting on the complainant', 'Waiting for your answer'],
    [ZH, '等待投诉人补充', '等待您补充信息'],
  ])(
    'waiting_complainant speaks about the complainant to staff, to the complainant on the tracking page (%o)',
    async (headers, staffWords, complainantWords) => {
      const { location } = await fileViaHttp(t)
      await staffDoes({ type: 'request_info', body: 'Please send the refund screenshot.' })
      const tk = await ticketRow()
      const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie, headers }))
      expect(page.text('.ws-head h1 .badge')).toBe(staffWords)
      expect(page.text('body')).not.toContain(complainantWords)
      const queue = await html(await t.get('/queue?status=all', { cookie, headers }))
      expect(queue.text('body')).toContain(staffWords)
      expect(queue.text('body')).not.toContain(complainantWords)
      const track = await html(await t.get(location, { headers }))
      expect(track.text('body')).toContain(complainantWords)
      expect(track.text('body')).not.toContain(staffWords)
    },
  )
})

describe('escalation', () => {
  it('preselects no reason, names the next level, wants a reason and refuses no_answer before the deadline', async () => {
    await fileViaHttp(t)
    const tk = await staffDoes({ type: 'assign', assigneeId: agent.id })
    const url = `/tickets/${tk.case_number}`
    const page = await html(await t.get(url, { cookie, headers: EN }))
    expect(page.$('#escalate-reason option[selected]')?.getAttribute('value') ?? '').toBe('')
    expect(page.text('#escalate-form button[type=submit]')).toBe('Escalate to Consumer association')
    const post = (fields: Record<string, string>) =>
      t.postForm(
        `${url}/actions/escalate`,
        { version: String(tk.version), ...fields },
        { cookie, headers: EN },
      )
    expect((await post({})).status).toBe(422)
    const early = await post({ reason: 'no_answer' })
    expect(early.status).toBe(409)
    expect((await html(early)).text('#escalate-form')).toContain('has not passed yet')
    expect((await ticketRow()).level).toBe('platform')
  })
})
