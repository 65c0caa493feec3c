import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, expect, it } from 'vitest'
import {
  describeBrowser,
  desktop,
  devices,
  press,
  signIn,
  useBrowser,
  type InPage,
  type Page,
} from './browser.js'
import { CURRENCIES } from '../../src/complaints/form.js'
import { DEMO_ACCOUNTS } from '../../src/demo/generate.js'
import { fileOverHttp } from './files.js'

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/

/**
 * Visible text of the page's own words: what the user typed or the demo data holds (complaint
 * text, names, providers, categories' user-chosen values…) is not UI and is left out, and so is
 * anything marked as being in another language (`lang` attribute: the language buttons).
 */
async function uiText(page: Page, data: string[]): Promise<string> {
  const text = await page.evaluate(() => {
    const userData = [
      '.user-text',
      '.maskable',
      '#complaint h3 + dl.facts dd',
      '.qrow-snippet',
      '.evidence-name',
      '.evidence-meta strong',
      '#detail-merchant',
      '#detail-transaction-ref',
      '.event-meta',
      '.timeline-head .hint',
      '.contact-log',
      'textarea',
      'input',
      'code',
      'title',
      'script',
      'style',
    ].join(',')
    const doc = (
      globalThis as unknown as {
        document: {
          body: {
            cloneNode(deep: boolean): {
              querySelectorAll(s: string): { remove(): void }[]
              innerText: string
              textContent: string
            }
          }
        }
      }
    ).document
    const body = doc.body.cloneNode(true)
    for (const el of body.querySelectorAll(
      `${userData}, [lang]:not(html), [hidden], .visually-hidden-off`,
    ))
      el.remove()
    return body.textContent ?? ''
  })
  // Staff and provider names are data too, wherever they appear (longest first).
  return [...data]
    .sort((a, b) => b.length - a.length)
    .reduce((t, name) => t.split(name).join(' '), text)
}

/** Words of Latin letters that are not part of the product's own names or codes. */
function englishWords(text: string): string[] {
  const allowed = new Set([
    ...CURRENCIES,
    'Ladder',
    'PDF',
    'CSV',
    'SHA',
    'LD',
    'Alipay',
    'WeChat',
    'Pay',
    'Apple',
    'Google',
    'UTC',
    'ID',
    'QQ',
    'App',
    'APP',
    // File types, sizes and Wi-Fi are written this way in Chinese too.
    'PNG',
    'JPEG',
    'JPG',
    'WebP',
    'GIF',
    'TXT',
    'MB',
    'KB',
    'ZIP',
    'Wi',
    'Fi',
    // The demo's outside references (REF-12345) are data, shown as typed.
    'REF',
  ])
  return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((w) => !allowed.has(w))
}

async function switchTo(page: Page, locale: 'en' | 'zh-CN') {
  const url = page.url()
  await press(page.locator(`.lang-switch button[value="${locale}"]`))
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale)
  expect(page.url()).toBe(url)
}

describeBrowser('managers, languages and the CSP in the browser', () => {
  const h = useBrowser()
  let manager: { email: string; password: string }
  let trackPath = ''
  let dataNames: string[] = []

  beforeAll(async () => {
    await h.server.cli('demo', '--tickets', '60')
    manager = await h.server.staff('manager', 'chen.e2e@example.com', '陈主管')
    ;({ trackPath } = await fileOverHttp(h.server.url, '我的钱包退款没有到账，客服不回复。'))
    const db = new Database(path.join(h.server.dataDir, 'ladder.db'), { readonly: true })
    const providers = db.prepare('SELECT name_zh, name_en FROM providers').all() as {
      name_zh: string
      name_en: string
    }[]
    db.close()
    dataNames = [
      ...DEMO_ACCOUNTS.map((a) => a.name),
      '陈主管',
      ...providers.flatMap((p) => [p.name_zh, p.name_en]),
    ]
  }, 60_000)

  for (const [device, options] of devices) {
    it(`opens the reports, changes the date range in place and downloads a CSV (${device})`, async () => {
      const page = await h.open(options)
      await signIn(h, page, manager)
      await page.goto('/reports')
      await page.locator('#report-body').waitFor()
      await h.audit(page)

      await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'no reload'))
      const scopeBefore = await page.locator('#report-scope').innerText()
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
      await page.locator('#f-from').fill(from)
      await press(page.locator('#report-filters button[type="submit"]'))
      await page.waitForURL((u) => u.pathname === '/reports' && u.searchParams.get('from') === from)
      await expect.poll(() => page.locator('#report-scope').innerText()).not.toBe(scopeBefore)
      expect(await page.locator('#report-scope').innerText()).toContain(from)
      expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe(
        'no reload',
      )
      expect(await page.locator('#f-from').inputValue()).toBe(from)
      await h.audit(page, 'after the date change')

      const csvLink = page.locator('#csv-funnel')
      expect(await csvLink.getAttribute('href')).toContain(`from=${from}`)
      const [download] = await Promise.all([page.waitForEvent('download'), press(csvLink)])
      expect(download.suggestedFilename()).toMatch(/^ladder-funnel-.*\.csv$/)
      const csv = fs.readFileSync((await download.path())!, 'utf8')
      expect(csv.charCodeAt(0)).toBe(0xfeff)
      expect(csv.split('\r\n')[0]).toMatch(CJK) // headers in the chosen language
      expect(csv.split('\r\n').filter(Boolean).length).toBeGreaterThan(1)
    })

    it(`draws every chart text inside its chart, in both languages (${device})`, async () => {
      const page = await h.open(options)
      await signIn(h, page, manager)
      for (const locale of ['zh-CN', 'en'] as const) {
        await page.goto('/reports')
        await h.audit(page)
        if ((await page.locator('html').getAttribute('lang')) !== locale) {
          await switchTo(page, locale)
          await h.audit(page, `in ${locale}`)
        }
        const outside = await page.evaluate(() => {
          type Box = { x: number; y: number; width: number; height: number }
          type El = { getBBox(): Box; textContent: string | null }
          type Svg = El & {
            id: string
            viewBox: { baseVal: Box }
            querySelectorAll(s: string): El[]
          }
          const doc = (
            globalThis as unknown as { document: { querySelectorAll(s: string): Svg[] } }
          ).document
          const found: string[] = []
          const charts = [...doc.querySelectorAll('svg.chart')]
          for (const svg of charts) {
            const box = svg.viewBox.baseVal
            for (const text of svg.querySelectorAll('text')) {
              const b = text.getBBox()
              if (
                b.x < box.x - 0.5 ||
                b.x + b.width > box.x + box.width + 0.5 ||
                b.y < box.y - 0.5 ||
                b.y + b.height > box.y + box.height + 0.5
              )
                found.push(`${svg.id}: ${text.textContent}`)
            }
          }
          return { charts: charts.length, found }
        })
        expect(outside.charts, 'the reports draw their charts').toBe(2)
        expect(outside.found, `chart text outside its chart (${locale})`).toEqual([])
        // Chinese pages name a Chinese font first, so full-width punctuation is drawn by one.
        const fonts = await page.evaluate(
          () =>
            (
              globalThis as unknown as {
                getComputedStyle(e: unknown): { fontFamily: string }
                document: { body: unknown }
              }
            ).getComputedStyle(
              (globalThis as unknown as { document: { body: unknown } }).document.body,
            ).fontFamily,
        )
        if (locale === 'zh-CN') expect(fonts).toMatch(/^"?PingFang SC"?, "?Noto Sans CJK SC/)
        else expect(fonts).toMatch(/^system-ui/)
        // A funnel bar opens the queue of the cases it counts.
        expect(await page.locator('#funnel-chart a').first().getAttribute('href')).toMatch(
          /^\/queue\?status=all&level=platform/,
        )
      }
    })

    it(`switches every visible string between Chinese and English (${device})`, async () => {
      const page = await h.open(options)
      const expectOnlyUiIn = async (locale: 'zh-CN' | 'en', where: string) => {
        expect(await page.locator('html').getAttribute('lang')).toBe(locale)
        const text = await uiText(page, dataNames)
        if (locale === 'zh-CN') {
          expect(text).toMatch(CJK)
          expect(englishWords(text), `English words on the Chinese ${where}`).toEqual([])
        } else {
          expect(englishWords(text).length).toBeGreaterThan(5)
          const cjk = [...new Set(text.match(new RegExp(`${CJK.source}+`, 'g')) ?? [])]
          expect(cjk, `Chinese on the English ${where}`).toEqual([])
          expect(await page.locator('.lang-switch button[value="zh-CN"]').innerText()).toBe('中文')
        }
      }
      // Each page is seen in the language it opens in, then switched: the languages alternate
      // from page to page, so both directions of the switch are exercised.
      let locale: 'zh-CN' | 'en' = 'zh-CN'
      const check = async (path: string) => {
        if (path) await page.goto(path)
        const where = path || new URL(page.url()).pathname
        await h.audit(page)
        await expectOnlyUiIn(locale, where)
        locale = locale === 'zh-CN' ? 'en' : 'zh-CN'
        await switchTo(page, locale)
        await h.audit(page, `in ${locale}`)
        await expectOnlyUiIn(locale, where)
      }
      for (const path of [
        '/',
        '/complaints/new',
        '/complaints/new?category=payment_failed',
        trackPath,
        '/track',
        '/login',
      ])
        await check(path)
      await signIn(h, page, manager)
      await check('')
      await press(page.locator('#queue-rows a.qrow-case').first())
      await page.waitForURL(/\/tickets\/LD-/)
      await check('')
      await check('/reports')
    })
  }

  it('raises no CSP violation while htmx swaps, and would notice one', async () => {
    const page = await h.open(desktop)
    await signIn(h, page, manager)
    await page.locator('#f-level').selectOption('platform')
    await page.waitForURL((u) => u.searchParams.get('level') === 'platform')
    await h.audit(page)
    await page.locator('#q-input').fill('退款')
    await page.locator('#q-input').press('Enter')
    await page.waitForURL((u) => u.searchParams.get('q') === '退款')
    await h.audit(page)
    await page.goto('/reports')
    await h.audit(page)
    await page.locator('#f-to').fill(new Date().toISOString().slice(0, 10))
    await page.locator('#report-filters button[type="submit"]').click()
    await page.waitForURL((u) => u.searchParams.has('to'))
    await h.audit(page)
    expect(h.cspViolations).toEqual([])
    expect(h.consoleErrors).toEqual([])

    // The collector is live: an inline style attribute is refused and reported.
    await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { body: { insertAdjacentHTML(p: string, html: string): void } }
        }
      ).document
      doc.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>')
    })
    await expect.poll(() => h.cspViolations.length).toBeGreaterThan(0)
    expect(h.cspViolations[0]!.directive).toMatch(/^style-src/)
    h.cspViolations.length = 0
  })
})
