// Issue 21, item 11b: with a proposed resolution pending the header tells one story: the body's
// clock is paused, we wait for the complainant, and their window to accept or dispute is shown.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { formatDateTime } from '../../src/i18n/format.js'
import { DISPUTE_WINDOW_DAYS } from '../../src/domain/lifecycle.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
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

it('says paused, waiting for the complainant, until the end of the dispute window', async () => {
  const tk = await fileTicket(t)
  const running = await html(await t.get(`/tickets/${tk.case_number}`, { cookie, headers: EN }))
  expect(running.$('#deadline [data-clock]')?.getAttribute('data-clock')).toBe('body_answer')
  expect(running.text('#deadline')).toContain('the body must answer by')

  await act(t, tk.id, agent.id, {
    type: 'propose_resolution',
    body: 'The provider refunds the full amount.',
    relief: 'monetary',
    amountRecoveredMinor: 12_050,
  })
  const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie, headers: EN }))
  const line = page.$('#deadline .due')!
  expect(line.getAttribute('data-clock')).toBe('complainant_decision')
  expect(line.classList.contains('due-paused')).toBe(true)
  const text = page.text('#deadline') ?? ''
  const windowEnd = formatDateTime(t.now() + DISPUTE_WINDOW_DAYS * 86_400_000, 'en')!
  expect(text).toContain(`accept or dispute it until ${windowEnd}`)
  expect(text).toContain('Waiting for: the complainant.')
  // Not also "waiting for the body" nor the body's phase: one story.
  expect(text).not.toMatch(/must answer|must accept|outside body/)
  expect(page.$('#deadline .phase')).toBeNull()
  expect(page.$$('#deadline .due')).toHaveLength(1)
})
