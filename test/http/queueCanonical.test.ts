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

  const htmx = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' }

  it.each([
    ['/queue?q=&status=open&level=&category=&provider=&assignee=&sort=due', '/queue'],
    [
      '/queue?q=&status=open&level=legal&category=&provider=&assignee=me&sort=amount',
      '/queue?level=legal&assignee=me&sort=amount',
    ],
  ])(
    'answers the htmx filter form (%s) with the rows and %s for the address bar',
    async (from, to) => {
      const res = await t.get(from, { cookie, headers: htmx })
      expect(res.status).toBe(200)
      expect(res.headers.get('hx-push-url')).toBe(to)
      const body = await res.text()
      expect(body).toContain('id="queue-results"')
      expect(body).not.toContain('<html')
      // Asked again (now from the cache), the answer still names the canonical URL.
      const again = await t.get(from, { cookie, headers: htmx })
      expect(again.headers.get('hx-push-url')).toBe(to)
    },
  )

  it('pushes nothing for a canonical URL, so the 30 s refresh never touches the address bar', async () => {
    const res = await t.get('/queue?level=legal', { cookie, headers: htmx })
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-push-url')).toBeNull()
    expect(await res.text()).toContain('id="queue-results"')
  })

  it('answers the canonical URL itself', async () => {
    const res = await t.get('/queue?level=legal', { cookie })
    expect(res.status).toBe(200)
  })
})
