// The evidence viewer and agents' attachments in a real browser (issue 21, items 8 and 9): an
// image opens over the ticket page, a PDF in a frame that runs no script, both closing again;
// a reply carries a file to the complainant's tracking page, with htmx and without JavaScript.
import { beforeAll, expect, it } from 'vitest'
import { describeBrowser, desktop, signIn, useBrowser, type Page } from './browser.js'
import { fileOverHttp, tinyPdf, tinyPng } from './files.js'

interface Shown {
  complete: boolean
  naturalWidth: number
}

/** Files a complaint, then adds a PNG and a PDF from its tracking page, over plain HTTP. */
async function caseWithFiles(baseUrl: string) {
  const { trackPath } = await fileOverHttp(baseUrl, '退款一直没有到账，截图和账单见附件。')
  const body = new FormData()
  body.append('evidence', new Blob([tinyPng()], { type: 'image/png' }), 'refund-screen.png')
  body.append('evidence', new Blob([tinyPdf()], { type: 'application/pdf' }), 'statement.pdf')
  const res = await fetch(`${baseUrl}${trackPath}/evidence`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { origin: baseUrl },
  })
  if (res.status !== 303) throw new Error(`adding evidence failed: ${res.status}`)
  const page = await (await fetch(`${baseUrl}${trackPath}`)).text()
  const caseNumber = /id="case-number"[^>]*>([^<]+)</.exec(page)![1]!.trim()
  return { trackPath, caseNumber }
}

/** The id of the evidence item whose name is `name` on the ticket page. */
const evidenceId = async (page: Page, name: string) =>
  (await page.locator('.evidence-item', { hasText: name }).getAttribute('id'))!.replace(
    'evidence-',
    '',
  )

describeBrowser('the evidence viewer and attachments', () => {
  const h = useBrowser()
  let agent: { email: string; password: string }

  beforeAll(async () => {
    agent = await h.server.staff('agent', 'view.e2e@example.com', '周专员')
  }, 60_000)

  it('previews an image and a PDF on the ticket page, and closes again', async () => {
    const { caseNumber } = await caseWithFiles(h.server.url)
    const page = await h.open(desktop)
    await signIn(h, page, agent)
    await page.goto(`/tickets/${caseNumber}`)
    await h.audit(page)

    const png = await evidenceId(page, 'refund-screen.png')
    const overlay = page.locator(`#preview-${png}`)
    await expect.poll(() => overlay.isVisible()).toBe(false)
    await page.locator(`#evidence-${png} a.preview-thumb`).click()
    await overlay.waitFor({ state: 'visible' })
    expect(new URL(page.url()).hash).toBe(`#preview-${png}`)
    const image = overlay.locator('img.preview-image')
    await expect
      .poll(() =>
        image.evaluate((img) => {
          const i = img as unknown as Shown
          return i.complete && i.naturalWidth
        }),
      )
      .toBe(2)
    await h.audit(page, 'image viewer open')
    await overlay.locator('a.preview-close').click()
    await overlay.waitFor({ state: 'hidden' })

    const pdf = await evidenceId(page, 'statement.pdf')
    const pdfUrl = `/tickets/${caseNumber}/evidence/${pdf}/preview`
    const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === pdfUrl)
    await page.locator(`#preview-open-${pdf}`).click()
    const viewer = page.locator(`#preview-${pdf}`)
    await viewer.waitFor({ state: 'visible' })
    const response = await loaded
    expect(response.status()).toBe(200)
    const headers = await response.allHeaders()
    expect(headers['content-type']).toBe('application/pdf')
    expect(headers['content-disposition']).toMatch(/^inline;/)
    // The document is sandboxed without scripts by its CSP; Chromium's own PDF viewer shows it.
    expect(headers['content-security-policy']).toMatch(/^sandbox;/)
    expect(headers['content-security-policy']).not.toContain('allow-scripts')
    const frame = viewer.locator('iframe.preview-frame')
    const box = await frame.boundingBox()
    expect(box && box.width > 300 && box.height > 300).toBe(true)
    await expect
      .poll(() => page.frames().some((f) => f.url().startsWith('chrome-extension://')))
      .toBe(true)
    expect(page.frames().some((f) => f.url().startsWith('chrome-error://'))).toBe(false)
    await h.audit(page, 'PDF viewer open')
    await viewer.locator('a.preview-close').click()
    await viewer.waitFor({ state: 'hidden' })
    // Downloads stay what they were.
    const download = page.waitForEvent('download')
    await page.locator(`#evidence-${pdf} a.download-link`).click()
    expect((await download).suggestedFilename()).toBe('statement.pdf')
  })

  it('sends a reply with a file to the complainant, with htmx and without JavaScript', async () => {
    const { trackPath, caseNumber } = await caseWithFiles(h.server.url)
    for (const javaScriptEnabled of [true, false]) {
      const page = await h.open(desktop, { javaScriptEnabled })
      await signIn(h, page, agent)
      await page.goto(`/tickets/${caseNumber}`)
      await h.audit(page)
      const before = Number(await page.locator('#workspace').getAttribute('data-version'))
      const name = javaScriptEnabled ? 'reply-htmx.png' : 'reply-plain.png'
      await page.locator('#action-reply summary').click()
      await page.locator('#reply-form textarea[name="body"]').fill('退款凭证见附件。')
      await page
        .locator('#f-reply-evidence')
        .setInputFiles({ name, mimeType: 'image/png', buffer: tinyPng() })
      await page.locator('#reply-form button[type="submit"]').click()
      await expect
        .poll(() => page.locator('#workspace').getAttribute('data-version'))
        .toBe(String(before + 1))
      const event = page.locator('#timeline .event-replied').first()
      await expect.poll(() => event.innerText()).toContain(name)
      await h.audit(page, 'after the reply with a file')

      const tracking = await h.open(desktop)
      await tracking.goto(trackPath)
      await h.audit(tracking)
      const item = tracking.locator('#evidence-list li', { hasText: name })
      expect(await item.innerText()).toContain('来自投诉处理人员')
      const download = tracking.waitForEvent('download')
      await item.locator('a.evidence-name').click()
      expect((await download).suggestedFilename()).toBe(name)
    }
  })
})
