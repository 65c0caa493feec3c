import { expect, it } from 'vitest'
import {
  describeBrowser,
  desktop,
  devices,
  isPhone,
  press,
  useBrowser,
  type Harness,
  type InPage,
  type Page,
} from './browser.js'
import { chinaLocal, sha256, tinyPdf, tinyPng } from './files.js'

const png = tinyPng()
const pdf = tinyPdf()

const chinese = {
  merchant: '杭州某某便利店',
  transactionRef: 'TX2026052012345',
  description:
    '我在便利店用钱包付款 128.50 元，商家说没有收到，钱包显示已扣款。申请退款十天了还没有到账，客服一直说在处理。',
  name: '张小明',
  email: 'xiaoming@example.com',
}

/** From the home page to a filled-in form for "refund not received", two self-help items ticked. */
async function fillComplaint(
  h: Harness,
  page: Page,
  values: { amount: string; occurredAt: string },
) {
  await page.goto('/')
  await h.audit(page)
  await press(page.locator('main a[href="/complaints/new"]').first())
  await page.waitForURL('**/complaints/new')
  await h.audit(page)
  await press(page.locator('a[data-category="refund_not_received"]'))
  await page.waitForURL('**/complaints/new?category=refund_not_received')
  await h.audit(page)

  const selfHelp = page.locator('input[name="self_help"]')
  for (const i of [0, 2]) {
    if (isPhone(page)) await selfHelp.nth(i).tap()
    else await selfHelp.nth(i).check()
    await expect.poll(() => selfHelp.nth(i).isChecked()).toBe(true)
  }
  await page.locator('#f-provider').selectOption({ index: 1 })
  await page.locator('#f-occurred_at').fill(values.occurredAt)
  await page.locator('#f-amount').fill(values.amount)
  await page.locator('#f-transaction_ref').fill(chinese.transactionRef)
  await page.locator('#f-merchant').fill(chinese.merchant)
  await page.locator('#f-description').fill(chinese.description)
  await page.locator('input[name="desired_outcome"]').first().check()
  await page.locator('#f-name').fill(chinese.name)
  await page.locator('#f-email').fill(chinese.email)
  await page.locator('#f-consent').check()
  await page.locator('#f-evidence').setInputFiles([
    { name: '付款截图.png', mimeType: 'image/png', buffer: png },
    { name: '账单.pdf', mimeType: 'application/pdf', buffer: pdf },
  ])
}

/** Every control in a form has an accessible name (axe checks it too; this names the culprit). */
async function unlabelledControls(page: Page, form: string): Promise<string[]> {
  return page
    .locator(`${form} input:not([type=hidden]), ${form} select, ${form} textarea`)
    .evaluateAll((els) =>
      els
        .filter((el) => {
          const c = el as unknown as {
            labels: unknown[] | null
            getAttribute(n: string): string | null
          }
          return (
            !(c.labels && c.labels.length) &&
            !c.getAttribute('aria-label') &&
            !c.getAttribute('aria-labelledby')
          )
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    )
}

async function expectTrackingPageWithFiles(h: Harness, page: Page) {
  await page.waitForURL(/\/track\/[\w-]{20,}$/)
  await expect.poll(() => page.locator('#case-number').textContent()).toMatch(/^LD-\d{4}-\d{6}$/)
  await h.audit(page)
  const files = page.locator('#evidence-list li')
  await expect.poll(() => files.count()).toBe(2)
  const listed = await page.locator('#evidence-list').innerText()
  expect(listed).toContain('付款截图.png')
  expect(listed).toContain('账单.pdf')
  expect(listed).toContain(sha256(png))
  expect(listed).toContain(sha256(pdf))
  expect(await page.locator('#detail-description').innerText()).toBe(chinese.description)
  expect(await page.locator('#case-details li').count()).toBe(2) // the two self-help items
}

describeBrowser('a complainant in the browser', () => {
  const h = useBrowser()

  for (const [device, options] of devices) {
    it(`files in Chinese with two self-help items, a PNG and a PDF, and sees both hashes (${device})`, async () => {
      const page = await h.open(options)
      await fillComplaint(h, page, { amount: '128.50', occurredAt: chinaLocal(3) })
      expect(await unlabelledControls(page, '#complaint-form')).toEqual([])
      await press(page.locator('#complaint-submit'))
      await expectTrackingPageWithFiles(h, page)
      expect(await page.locator('#detail-amount').innerText()).toContain('128.50')
    })

    it(`shows a wrong field's message in place, keeps the other values and focuses it (${device})`, async () => {
      const page = await h.open(options)
      await fillComplaint(h, page, { amount: '12.345', occurredAt: chinaLocal(-2) })
      await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'same page'))
      await press(page.locator('#complaint-submit'))

      // htmx swaps the 422 form in place: same document, both errors tied to their fields.
      const dateError = page.locator('#f-occurred_at-error')
      await dateError.waitFor()
      expect(await dateError.innerText()).toBe('该日期时间在将来。')
      expect(await page.locator('#f-amount-error').innerText()).toBe(
        '小数位过多：最多两位（到分）。',
      )
      expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe(
        'same page',
      )
      expect(new URL(page.url()).pathname).toBe('/complaints/new')
      for (const [field, error] of [
        ['f-occurred_at', 'f-occurred_at-error'],
        ['f-amount', 'f-amount-error'],
      ]) {
        const input = page.locator(`#${field}`)
        expect(await input.getAttribute('aria-invalid')).toBe('true')
        expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(error)
      }
      // The first field in error (the date comes before the amount) has the focus.
      expect(
        await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id),
      ).toBe('f-occurred_at')
      await h.audit(page, 'form with errors')

      // Nothing else was lost, and the correction files the complaint.
      expect(await page.locator('#f-description').inputValue()).toBe(chinese.description)
      expect(await page.locator('#f-merchant').inputValue()).toBe(chinese.merchant)
      expect(await page.locator('#f-name').inputValue()).toBe(chinese.name)
      expect(await page.locator('#f-amount').inputValue()).toBe('12.345')
      expect(await page.locator('input[name="self_help"]:checked').count()).toBe(2)
      expect(await page.locator('input[name="desired_outcome"]:checked').count()).toBe(1)
      expect(await page.locator('#f-consent').isChecked()).toBe(true)
      expect(await unlabelledControls(page, '#complaint-form')).toEqual([])

      await page.locator('#f-occurred_at').fill(chinaLocal(1))
      await page.locator('#f-amount').fill('12.34')
      await page.locator('#f-evidence').setInputFiles([
        { name: '付款截图.png', mimeType: 'image/png', buffer: png },
        { name: '账单.pdf', mimeType: 'application/pdf', buffer: pdf },
      ])
      await press(page.locator('#complaint-submit'))
      await expectTrackingPageWithFiles(h, page)
    })
  }

  it('files the complaint, and corrects a wrong field, without JavaScript', async () => {
    const page = await h.open(desktop, { javaScriptEnabled: false })
    await fillComplaint(h, page, { amount: '12.345', occurredAt: chinaLocal(2) })
    await page.locator('#complaint-submit').click()
    await page.locator('#f-amount-error').waitFor()
    await h.audit(page, 'form with errors, no JavaScript')
    expect(await page.locator('#f-description').inputValue()).toBe(chinese.description)
    expect(await page.locator('input[name="self_help"]:checked').count()).toBe(2)
    await page.locator('#f-amount').fill('12.30')
    await page.locator('#f-evidence').setInputFiles([
      { name: '付款截图.png', mimeType: 'image/png', buffer: png },
      { name: '账单.pdf', mimeType: 'application/pdf', buffer: pdf },
    ])
    await page.locator('#complaint-submit').click()
    await expectTrackingPageWithFiles(h, page)
  })
})
