import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/testApp.js'

let t: TestApp
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  const agent = await t.createStaff('agent')
  cookie = await t.signIn(agent.email, agent.password)
})
afterEach(async () => {
  await t.close()
})

describe('the queue URL', () => {
  it.each([
    ['/queue?q=&status=open&level=&category=&provider=&assignee=&sort=due', '/queue'],
    [
      '/queue?q=&status=open&level=legal&category=&provider=&assignee=me&sort=amount',
      '/queue?level=legal&assignee=me&sort=amount',
    ],
    ['/queue?status=all&level=', '/queue?status=all'],
  ])('sends a form with empty fields (%s) to its canonical URL', async (from, to) => {
    const res = await t.get(from, { cookie })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(to)
  })

  it('answers the canonical URL itself', async () => {
    const res = await t.get('/queue?level=legal', { cookie })
    expect(res.status).toBe(200)
  })
})
