import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

describe('the HTTP shell', () => {
  it('answers /healthz with ok once the database answers', async () => {
    const res = await t.get('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('sends the security headers on every response, errors included', async () => {
    for (const path of ['/', '/healthz', '/no-such-page', '/static/css/app.css']) {
      const res = await t.get(path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("script-src 'self'")
      expect(csp, path).not.toContain('unsafe-inline')
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin')
    }
  })

  it('renders the start page in Chinese by default with the three ways in', async () => {
    const res = await t.get('/')
    expect(res.status).toBe(200)
    const { $, $$ } = await html(res)
    expect($('html')?.getAttribute('lang')).toBe('zh-CN')
    expect($('h1')?.textContent).toContain('钱包')
    const links = $$('main a').map((a) => a.getAttribute('href'))
    expect(links).toEqual(expect.arrayContaining(['/complaints/new', '/track', '/login']))
    expect($$('#ladder li')).toHaveLength(4)
  })

  it('serves htmx 4 from our own static folder, never a CDN', async () => {
    const { $$ } = await html(await t.get('/'))
    const scripts = $$('script').map((s) => s.getAttribute('src'))
    expect(scripts).toContain('/static/vendor/htmx.min.js')
    expect(scripts.every((s) => s?.startsWith('/static/'))).toBe(true)
    const js = await t.get('/static/vendor/htmx.min.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toContain('javascript')
    expect(await js.text()).toContain('HX-Request-Type')
  })

  it('has no inline script or style attribute, so the CSP holds', async () => {
    const { $$ } = await html(await t.get('/'))
    expect($$('script:not([src])')).toHaveLength(0)
    expect($$('[style]')).toHaveLength(0)
    expect($$('[onclick], [onsubmit], [onload]')).toHaveLength(0)
  })

  it('picks English from Accept-Language and lets the cookie choice win over it', async () => {
    const en = await html(
      await t.get('/', { headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } }),
    )
    expect(en.$('html')?.getAttribute('lang')).toBe('en')
    expect(en.text('h1')).toContain('wallet payment')
    const zh = await html(
      await t.get('/', { headers: { 'accept-language': 'en', cookie: 'lang=zh-CN' } }),
    )
    expect(zh.$('html')?.getAttribute('lang')).toBe('zh-CN')
  })

  it('remembers a language switch in a cookie and returns to the same page', async () => {
    const res = await t.postForm('/lang', { locale: 'en', return_to: '/login?next=%2F' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2F')
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lang='))
    expect(cookie).toMatch(/^lang=en;/)
    expect(cookie).toMatch(/HttpOnly/i)
  })

  it('refuses a language switch that would send the user to another site', async () => {
    const res = await t.postForm('/lang', { locale: 'en', return_to: '//evil.example/' })
    expect(res.headers.get('location')).toBe('/')
    const bad = await t.postForm('/lang', { locale: 'fr' })
    expect(bad.status).toBe(422)
  })

  it('answers an unknown page with a readable 404 page in the user language', async () => {
    const res = await t.get('/no-such-page', { headers: { 'accept-language': 'en' } })
    expect(res.status).toBe(404)
    const { text } = await html(res)
    expect(text('#error-message')).toContain('could not find')
  })

  it('returns only the error fragment to an htmx partial request', async () => {
    const res = await t.get('/no-such-page', {
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    expect(res.status).toBe(404)
    const body = await res.text()
    expect(body).not.toContain('<html')
    expect(body).toContain('id="error-message"')
  })

  it('refuses a cross-site form post with a localized 403', async () => {
    const res = await t.request('/lang', {
      method: 'POST',
      body: new URLSearchParams({ locale: 'en' }),
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': 'en',
      },
    })
    expect(res.status).toBe(403)
    expect((await html(res)).text('#error-message')).toContain('another site')
  })

  it('turns an unexpected failure into a 500 page with a request id and no internals', async () => {
    t.app.get('/boom', () => {
      throw new Error('secret internal detail')
    })
    const res = await t.get('/boom', { headers: { 'x-request-id': 'req-123' } })
    expect(res.status).toBe(500)
    const body = await res.text()
    expect(body).not.toContain('secret internal detail')
    expect(body).toContain('req-123')
    const logged = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'unhandled error')
    expect(logged?.['reqId']).toBe('req-123')
    expect(String(logged?.['error'])).toContain('secret internal detail')
  })

  it('logs one structured line per request', async () => {
    await t.get('/healthz')
    const line = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['path'] === '/healthz')
    expect(line).toMatchObject({ msg: 'request', method: 'GET', status: 200 })
    expect(typeof line?.['ms']).toBe('number')
  })

  it('refuses an oversized form body with 413 before reading it all', async () => {
    const res = await t.postForm('/login', { email: 'a@b.cn', password: 'x'.repeat(1_100_000) })
    expect(res.status).toBe(413)
  })
})
