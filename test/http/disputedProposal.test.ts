// Issue 21, item 11d: a disputed proposal is shown as proposed and disputed, not as the outcome.
// Recovered amounts count only from accepted resolutions, in the report rollups (kept with each
// change, and rebuilt from scratch alike), on the ticket page and in the dossier.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { actOnTicket } from '../../src/change/ticketChanges.js'
import type { ActionInput } from '../../src/domain/actions.js'
import { localDate } from '../../src/domain/zoneTime.js'
import { DISPLAY_TIME_ZONE } from '../../src/i18n/format.js'
import { rebuildReportRollups } from '../../src/reports/rebuild.js'
import { writerOf } from '../helpers/tickets.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { unzip } from './dossier-helpers.js'
import { act, fileTicket } from './ticketFixtures.js'

const EN = { 'accept-language': 'en' }
let t: TestApp
let agent: { id: number; email: string; password: string }
let cookie: string
let managerCookie: string
beforeEach(async () => {
  t = await createTestApp()
  agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
  const m = await t.createStaff('manager')
  managerCookie = await t.signIn(m.email, m.password)
})
afterEach(async () => {
  await t.close()
})

async function complainant(ticketId: number, input: ActionInput) {
  const r = await actOnTicket(writerOf(t.db), {
    ticketId,
    expectedVersion: null,
    input,
    actor: { kind: 'complainant' },
    now: t.now(),
  })
  expect(r.ok).toBe(true)
}

const propose = (id: number, minor: number) =>
  act(t, id, agent.id, {
    type: 'propose_resolution',
    body: 'The provider refunds the amount.',
    relief: 'monetary',
    amountRecoveredMinor: minor,
  })

/** The money report's row for all providers in CNY: [claimed, recovered]. */
async function moneyAllCny(): Promise<[string, string]> {
  const day = localDate(t.now(), DISPLAY_TIME_ZONE)
  const res = await t.get(`/reports/money.csv?from=${day}&to=${day}`, {
    cookie: managerCookie,
    headers: EN,
  })
  expect(res.status).toBe(200)
  const line = (await res.text()).split(/\r?\n/).find((l) => l.startsWith('All providers,CNY'))!
  const cells = line.split(',')
  return [cells[4]!, cells[5]!]
}

describe('a disputed proposal', () => {
  it('is not recovered money in the reports; an accepted one is', async () => {
    const disputed = await fileTicket(t, { amountMinor: 20_000 })
    await propose(disputed.id, 12_050)
    await complainant(disputed.id, { type: 'dispute', reason: 'Only half was refunded.' })
    // Closed as resolved later on: still the disputed proposal's amount, not an accepted one.
    await act(t, disputed.id, agent.id, {
      type: 'close',
      outcome: 'resolved',
      note: null,
      duplicateOfId: null,
    })
    const accepted = await fileTicket(t, { amountMinor: 5_000 })
    await propose(accepted.id, 3_000)
    await complainant(accepted.id, { type: 'accept', reason: null })

    expect(await moneyAllCny()).toEqual(['250.00', '30.00'])
    // The full rebuild counts the same way as the rollups kept with each change.
    await rebuildReportRollups(t.db, t.now())
    expect(await moneyAllCny()).toEqual(['250.00', '30.00'])

    // Disputing after accepting takes the amount back out.
    await complainant(accepted.id, { type: 'dispute', reason: 'The refund was reversed.' })
    expect(await moneyAllCny()).toEqual(['250.00', '0.00'])
  })

  it('shows as proposed and disputed in the dossier and not as recovered on the ticket page', async () => {
    const tk = await fileTicket(t, { amountMinor: 20_000 })
    await propose(tk.id, 12_050)
    await complainant(tk.id, { type: 'dispute', reason: 'Only half was refunded.' })

    const page = await html(await t.get(`/tickets/${tk.case_number}`, { cookie, headers: EN }))
    expect(page.text('#complaint')).not.toContain('120.50')

    const res = await t.get(`/tickets/${tk.case_number}/dossier.zip?lang=en`, { cookie })
    expect(res.status).toBe(200)
    const summary = (await unzip(Buffer.from(await res.arrayBuffer()))).files
      .get('summary.html')!
      .toString('utf8')
    const facts = summary.slice(summary.indexOf('id="facts"'), summary.indexOf('id="description"'))
    expect(facts).toContain('Proposed resolution')
    expect(facts).toContain('Disputed by the complainant')
    expect(facts).toContain('120.50')
    expect(facts).not.toContain('Amount recovered')

    // Accepted, the same case shows the remedy and the amount recovered.
    await propose(tk.id, 15_000)
    await complainant(tk.id, { type: 'accept', reason: null })
    const after = (
      await unzip(
        Buffer.from(
          await (
            await t.get(`/tickets/${tk.case_number}/dossier.zip?lang=en`, { cookie })
          ).arrayBuffer(),
        ),
      )
    ).files
      .get('summary.html')!
      .toString('utf8')
    expect(after).toContain('Amount recovered')
    expect(after).not.toContain('Disputed by the complainant on')
  })
})
