import { expect, it } from 'vitest'
import { chromiumPath, describeBrowser, desktop, hasChromium, useBrowser } from './browser.js'

// Without Chromium the browser suites skip themselves; in CI that would hide every journey.
it.runIf(process.env['CI'] === 'true')('has Chromium for the browser tests in CI', () => {
  expect(hasChromium, `${chromiumPath} is missing: .ci/run installs it with apt-get`).toBe(true)
})

describeBrowser('the browser harness', () => {
  const h = useBrowser()

  it('fails a page with a serious accessibility problem, naming the rule and the element', async () => {
    const page = await h.open(desktop)
    // A page served at the app's own origin (so its CSS and CSP apply) with an unlabelled field.
    await page.route('**/harness-check', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="en"><head><title>check</title><link rel="stylesheet" href="/static/css/app.css"></head><body><main><h1>Check</h1><form><input id="nameless" name="q"></form></main></body></html>',
      }),
    )
    await page.goto('/harness-check')
    const error = await h.audit(page).then(
      () => null,
      (e: unknown) => e as Error,
    )
    expect(error?.message).toMatch(/\[critical\] label:/)
    expect(error?.message).toContain('#nameless')
  })
})
