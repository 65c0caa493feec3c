import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cachedResponse } from '../../src/http/responseCache.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

describe('cachedResponse', () => {
  const ask = (key: string, make: () => Response) => {
    let built = 0
    const get = async () =>
      cachedResponse(t.db, key, t.now(), undefined, async () => {
        built++
        return { response: make(), until: t.now() + 60_000 }
      })
    return { get, built: () => built }
  }

  it('caches a 200 until the data changes or its time is up', async () => {
    const page = ask(
      'page',
      () => new Response('<p>rows</p>', { headers: { 'content-type': 'text/html' } }),
    )
    expect(await (await page.get()).text()).toBe('<p>rows</p>')
    await page.get()
    expect(page.built()).toBe(1)
    await t.db
      .updateTable('providers')
      .set({ sort_order: 5 })
      .where('slug', '=', 'alipay')
      .execute()
    await page.get()
    expect(page.built()).toBe(2)
    t.advance(60_000)
    const res = await page.get()
    expect(page.built()).toBe(3)
    expect(res.headers.get('content-type')).toBe('text/html')
    expect(res.headers.get('vary')).toContain('Accept-Encoding')
  })

  it('never caches an error or a response that sets a cookie', async () => {
    const error = ask('error', () => new Response('busy', { status: 503 }))
    await error.get()
    await error.get()
    expect(error.built()).toBe(2)
    const cookie = ask(
      'cookie',
      () => new Response('hi', { headers: { 'set-cookie': 'ladder_locale=en; Path=/' } }),
    )
    expect((await cookie.get()).headers.get('set-cookie')).toContain('ladder_locale=en')
    await cookie.get()
    expect(cookie.built()).toBe(2)
  })
})
