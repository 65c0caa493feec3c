import { beforeAll, expect, it } from 'vitest'
import { describeBrowser, devices, press, signIn, useBrowser, type Page } from './browser.js'

/** The provider column's heading and cells: shown or hidden by the view's columns. */
const providerCellsShown = (page: Page) =>
  page
    .locator('#queue-table tr > :nth-child(5)')
    .evaluateAll((cells) =>
      cells.map((c) => (c as unknown as { checkVisibility(): boolean }).checkVisibility()),
    )

describeBrowser('saved views in the browser', () => {
  const h = useBrowser()
  const agents: Record<string, { email: string; password: string }> = {}

  beforeAll(async () => {
    await h.server.cli('demo', '--tickets', '40')
    for (const [device] of devices)
      agents[device] = await h.server.staff(
        'agent',
        `views.${device}@example.com`,
        `视图 ${device}`,
      )
  }, 60_000)

  for (const [device, options] of devices) {
    it(`saves the queue's filter and columns as a view and opens it again (${device})`, async () => {
      const page = await h.open(options)
      await signIn(h, page, agents[device]!)
      const fold = page.locator('#queue-fold > summary')
      if (await fold.isVisible()) await press(fold)

      // Filter by level and hide the provider column, as an agent would set up a working view.
      await page.locator('#f-level').selectOption('consumer_association')
      await page.waitForURL((u) => u.searchParams.get('level') === 'consumer_association')
      await h.audit(page, 'filtered by level')
      await press(page.locator('#queue-columns > summary'))
      await press(page.locator('label[for="hide-provider"]'))
      await page.waitForURL((u) => u.searchParams.getAll('hide').join() === 'provider')
      await expect.poll(() => providerCellsShown(page)).not.toContain(true)
      await h.audit(page, 'filtered, a column hidden')

      // Save it under a name (the form takes the query shown now).
      await press(page.locator('#queue-save > summary'))
      const name = `协会案件 ${device}`
      await page.locator('#saved-view-save-name').fill(name)
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/queue' && u.searchParams.get('level') !== null),
        press(page.locator('#saved-view-save button[type="submit"]')),
      ])
      const saved = page.locator('#queue-saved a', { hasText: name })
      await expect.poll(() => saved.getAttribute('aria-current')).toBe('page')
      const count = Number(await saved.locator('.count').innerText())
      expect(count).toBeGreaterThan(0)
      await h.audit(page, 'view saved')

      // Back to the whole queue: every column again; then the saved view restores both.
      await page.goto('/queue')
      await expect.poll(() => providerCellsShown(page)).not.toContain(false)
      await h.audit(page, 'whole queue')
      await Promise.all([
        page.waitForURL(
          (u) =>
            u.searchParams.get('level') === 'consumer_association' &&
            u.searchParams.get('hide') === 'provider',
        ),
        press(page.locator('#queue-saved a', { hasText: name })),
      ])
      await expect.poll(() => providerCellsShown(page)).not.toContain(true)
      const levels = await page.locator('#queue-rows td.level').allInnerTexts()
      expect(levels.length).toBeGreaterThan(0)
      expect(new Set(levels)).toEqual(new Set(['消费者协会']))
      expect(await page.locator('#queue-rows tr.qrow').count()).toBe(Math.min(count, 50))
      await h.audit(page, 'saved view opened')

      // Managed from its page: renamed, then deleted.
      await page.goto('/queue/views')
      await h.audit(page, 'manage saved views')
      const row = page.locator('#saved-views-table tbody tr', { hasText: name })
      await row.locator('input[name="name"]').fill(`${name}（改）`)
      await Promise.all([
        page.waitForURL('**/queue/views?done=renamed'),
        press(row.locator('.saved-view-rename button')),
      ])
      expect(await page.locator('#admin-notice').isVisible()).toBe(true)
      await h.audit(page, 'renamed')
      const renamed = page.locator('#saved-views-table tbody tr', { hasText: `${name}（改）` })
      await Promise.all([
        page.waitForURL('**/queue/views?done=deleted'),
        press(renamed.locator('button.button-danger')),
      ])
      expect(await page.locator('#saved-views-table').count()).toBe(0)
      await h.audit(page, 'deleted')
    })
  }
})
