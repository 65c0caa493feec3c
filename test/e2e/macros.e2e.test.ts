// Macros in the browser (issue 21, item 10): an admin adds one at /admin/macros, an agent applies
// it from the ticket page, and axe finds nothing serious on either page.
import { expect, it } from 'vitest'
import { describeBrowser, desktop, press, signIn, useBrowser } from './browser.js'
import { fileOverHttp } from './files.js'

describeBrowser('macros in the browser', () => {
  const h = useBrowser()

  it('adds a macro as an admin and applies it to a ticket as an agent', async () => {
    const admin = await h.server.staff('admin', 'admin.macros@example.com', '管理员')
    const agent = await h.server.staff('agent', 'agent.macros@example.com', '王专员')
    await fileOverHttp(h.server.url, '钱包付款失败但银行卡已扣款，请帮忙查询。')

    const page = await h.open(desktop)
    await signIn(h, page, admin)
    await page.goto('/admin/macros')
    await h.audit(page)
    const form = page.locator('#macro-add-form')
    await form.locator('#macro-name').fill('请补充扣款记录')
    await form.locator('#macro-reply').fill('您好，请上传银行卡扣款记录的截图（{case}）。')
    await form.locator('#macro-priority').selectOption('high')
    await form.locator('#macro-tag').fill('待补充')
    await press(form.locator('button[type="submit"]'))
    await page.waitForURL((u) => u.pathname === '/admin/macros')
    await h.audit(page, 'after adding')
    expect(await page.locator('main').innerText()).toContain('请补充扣款记录')

    const agentPage = await h.open(desktop)
    await signIn(h, agentPage, agent)
    await press(agentPage.locator('#queue-rows a.qrow-case').first())
    await agentPage.waitForURL(/\/tickets\/LD-/)
    await h.audit(agentPage)
    const caseNumber = new URL(agentPage.url()).pathname.split('/').pop()!
    const before = Number(await agentPage.locator('#workspace').getAttribute('data-version'))
    await agentPage.locator('#macro-select').selectOption({ label: '请补充扣款记录' })
    await press(agentPage.locator('#apply_macro-form button[type="submit"]'))
    await expect
      .poll(() => agentPage.locator('#workspace').getAttribute('data-version'))
      .not.toBe(String(before))
    await h.audit(agentPage, 'after the macro')
    const timeline = await agentPage.locator('#workspace').innerText()
    expect(timeline).toContain(`您好，请上传银行卡扣款记录的截图（${caseNumber}）。`)
    expect(timeline).toContain('待补充')
  })
})
