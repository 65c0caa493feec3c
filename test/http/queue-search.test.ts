import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rebuildSearchIndex } from '../../src/search/ticketSearch.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import { act, fileTicket } from './ticketFixtures.js'

let t: TestApp
let cookie: string
let agentId: number
beforeEach(async () => {
  t = await createTestApp()
  const agent = await t.createStaff('agent')
  agentId = agent.id
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

const search = async (q: string, extra = '') => {
  const doc = await html(await t.get(`/queue?q=${encodeURIComponent(q)}${extra}`, { cookie }))
  return doc.$$('#queue-rows .qrow-case').map((a) => a.textContent)
}

describe('searching the queue', () => {
  it('finds the tickets containing a two-character Chinese term, and only those', async () => {
    const refund = await fileTicket(t, { description: '商家答应退款，但一直没有到账。' })
    const refund2 = await fileTicket(t, {
      description: '申请退款后第十天还是没有收到钱',
      merchant: null,
    })
    const close = await fileTicket(t, {
      description: '我想注销账户，但系统一直提示验证失败。',
      merchant: null,
    })
    const neither = await fileTicket(t, {
      description: '付款时提示网络错误，钱被扣了。',
      merchant: null,
    })
    const hits = await search('退款')
    expect(hits.sort()).toEqual([refund.case_number, refund2.case_number].sort())
    expect(await search('注销')).toEqual([close.case_number])
    expect(await search('网络')).toEqual([neither.case_number])
    // A longer term is a phrase: all its characters in a row.
    expect(await search('注销账户')).toEqual([close.case_number])
    expect(await search('退账')).toEqual([])
  })

  it('ranks the more relevant ticket first and matches English words with their inflections', async () => {
    const once = await fileTicket(t, {
      description: 'The refund for my order never arrived, they said wait.',
      merchant: 'Shop',
      locale: 'en',
    })
    const often = await fileTicket(t, {
      description: 'Refund refused. I asked for a refund twice; refunds take forever.',
      merchant: 'Shop',
      locale: 'en',
    })
    await fileTicket(t, {
      description: 'Payment failed at the till.',
      merchant: 'Shop',
      locale: 'en',
    })
    expect(await search('refund')).toEqual([often.case_number, once.case_number])
    expect(await search('REFUNDS')).toHaveLength(2)
  })

  it('finds a case by its exact number, typed loosely, closed cases included', async () => {
    const a = await fileTicket(t)
    const b = await fileTicket(t)
    await act(t, b.id, agentId, {
      type: 'close',
      outcome: 'resolved',
      note: null,
      duplicateOfId: null,
    })
    expect(await search(a.case_number)).toEqual([a.case_number])
    const [, year, seq] = b.case_number.split('-')
    expect(await search(`ld ${year} ${Number(seq)}`)).toEqual([b.case_number])
    // An explicit status filter still applies.
    expect(await search(b.case_number, '&status=open')).toEqual([])
  })

  it('finds a ticket by its exact transaction reference', async () => {
    const a = await fileTicket(t, { transactionRef: '2026112322001456789012' })
    await fileTicket(t, { transactionRef: '2026112322001456789013' })
    expect(await search('2026112322001456789012')).toEqual([a.case_number])
  })

  it('treats query syntax as plain text and finds the complainant by name', async () => {
    const a = await fileTicket(t, { name: '欧阳娜娜' })
    expect(await search('"欧阳 OR *')).toEqual([])
    expect(await search('欧阳')).toEqual([a.case_number])
  })

  it('can rebuild the index from the tickets', async () => {
    const a = await fileTicket(t, { description: '注销失败' })
    expect(await rebuildSearchIndex(t.db)).toBe(1)
    expect(await search('注销')).toEqual([a.case_number])
  })
})
