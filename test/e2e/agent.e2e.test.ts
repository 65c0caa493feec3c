import { beforeAll, expect, it } from 'vitest'
import {
  describeBrowser,
  desktop,
  devices,
  isPhone,
  press,
  signIn,
  useBrowser,
  type Harness,
  type InPage,
  type Page,
} from './browser.js'
import { fileOverHttp } from './files.js'

const LEVELS = ['platform', 'consumer_association', 'regulator', 'legal'] as const
const LEVEL_ZH: Record<(typeof LEVELS)[number], string> = {
  platform: '钱包平台',
  consumer_association: '消费者协会',
  regulator: '金融监管部门',
  legal: '法律途径',
}

/** Opens an action's <details> (a tap on the phone) and returns its form. */
async function openAction(page: Page, action: string) {
  const details = page.locator(`#action-${action}`)
  if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open)))
    await press(details.locator('summary'))
  await expect
    .poll(() => details.evaluate((d) => (d as unknown as { open: boolean }).open))
    .toBe(true)
  return page.locator(`#${action}-form`)
}

/** Submits a ticket action form and waits until the workspace shows the next version. */
async function act(
  h: Harness,
  page: Page,
  action: string,
  fill: (form: ReturnType<Page['locator']>) => Promise<void>,
) {
  const before = Number(await page.locator('#workspace').getAttribute('data-version'))
  const form = await openAction(page, action)
  await fill(form)
  await press(form.locator('button[type="submit"]'))
  // Escalation asks first: the confirmation names the next body; only its button escalates.
  if (action === 'escalate') {
    const confirm = page.locator('#escalate-confirm-form button[type="submit"]')
    await confirm.waitFor()
    await h.audit(page, 'escalation confirmation')
    await press(confirm)
  }
  await expect
    .poll(() => page.locator('#workspace').getAttribute('data-version'))
    .toBe(String(before + 1))
  await h.audit(page, `after ${action}`)
}

async function ladderOnTrackingPage(page: Page) {
  const current = await page
    .locator('#ladder li[aria-current="step"] .ladder-text strong')
    .innerText()
  const reached = await page.locator('#ladder li.is-reached .ladder-text strong').allInnerTexts()
  return { current, reached }
}

describeBrowser('agents in the browser', () => {
  const h = useBrowser()
  let agent: { email: string; password: string }
  let agent2: { email: string; password: string }

  beforeAll(async () => {
    await h.server.cli('demo', '--tickets', '60')
    agent = await h.server.staff('agent', 'li.e2e@example.com', '李专员')
    agent2 = await h.server.staff('agent', 'sam.e2e@example.com', 'Sam Green')
  }, 60_000)

  for (const [device, options] of devices) {
    it(`filters the queue without reloading, asks for information and escalates through every level (${device})`, async () => {
      const term = device === 'phone' ? '独角兽咖啡馆' : '麒麟书店'
      const { trackPath } = await fileOverHttp(
        h.server.url,
        `我在${term}付款后退款一直没有到账，已经等了两周。`,
      )

      const page = await h.open(options)
      await signIn(h, page, agent)
      const rowsBefore = await page.locator('#queue-rows > tr.qrow').count()
      expect(rowsBefore).toBeGreaterThan(1)

      // Filters swap the rows only: same document (the marker survives), same heading element,
      // and the address bar follows.
      await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'no reload'))
      await page.locator('#queue-title').evaluate((el) => el.setAttribute('data-kept', 'yes'))
      // On a phone the filters are folded away until asked for.
      const fold = page.locator('#queue-fold > summary')
      if (await fold.isVisible()) await fold.click()
      await page.locator('#f-level').selectOption('consumer_association')
      await page.waitForURL((u) => u.searchParams.get('level') === 'consumer_association')
      const levels = () => page.locator('#queue-rows td.level').allInnerTexts()
      await expect
        .poll(async () => [...new Set(await levels())], {
          message: 'the rows swapped in show only the chosen level',
        })
        .toEqual([LEVEL_ZH.consumer_association])
      expect(await page.locator('#queue-rows > tr.qrow').count()).toBeGreaterThan(0)
      await h.audit(page, 'filtered by level')

      await page.locator('#f-level').selectOption('platform')
      await page.waitForURL((u) => u.searchParams.get('level') === 'platform')
      await h.audit(page, 'filtered by another level')
      await page.locator('#q-input').fill(term)
      await page.locator('#q-input').press('Enter')
      await page.waitForURL(
        (u) => u.searchParams.get('q') === term && u.searchParams.get('level') === 'platform',
      )
      await expect
        .poll(() => page.locator('#queue-rows > tr.qrow').count(), {
          message: 'the search leaves one row',
        })
        .toBe(1)
      expect(await page.locator('#queue-rows .qrow-snippet').innerText()).toContain(term)
      expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe(
        'no reload',
      )
      expect(await page.locator('#queue-title').getAttribute('data-kept')).toBe('yes')
      await h.audit(page, 'filtered by level and search')

      // Fold the filters away again on a phone, as an agent would before reading the list.
      if (await fold.isVisible()) await fold.click()
      await press(page.locator('#queue-rows a.qrow-case'))
      await page.waitForURL(/\/tickets\/LD-\d{4}-\d{6}$/)
      const caseNumber = new URL(page.url()).pathname.split('/').pop()!
      await h.audit(page)

      await act(h, page, 'request_info', (f) =>
        f.locator('textarea[name="body"]').fill('请提供退款申请的截图和订单号。'),
      )
      expect(await page.locator('#workspace .ws-head .badge').getAttribute('class')).toContain(
        'status-waiting_complainant',
      )

      // The complainant answers from the tracking link, in their own browser.
      const complainant = await h.open(options)
      await complainant.goto(trackPath)
      expect(await complainant.locator('#case-number').innerText()).toBe(caseNumber)
      await h.audit(complainant)
      expect(await complainant.locator('#timeline').innerText()).toContain(
        '请提供退款申请的截图和订单号。',
      )
      await complainant.locator('#f-comment-body').fill('订单号 20260301-778899，截图已在附件中。')
      await press(complainant.locator('#action-comment button[type="submit"]'))
      await complainant.locator('#action-done').waitFor()
      await h.audit(complainant, 'after answering')
      expect(await complainant.locator('#timeline').innerText()).toContain('订单号 20260301-778899')
      expect(await ladderOnTrackingPage(complainant)).toEqual({
        current: expect.stringContaining(LEVEL_ZH.platform),
        reached: [],
      })

      await page.reload()
      await h.audit(page, 'after the answer')
      expect(await page.locator('#timeline').innerText()).toContain('订单号 20260301-778899')

      // The platform's own reference, then every level up with the next body's reference.
      await act(h, page, 'record_contact', async (f) => {
        await f.locator('select[name="outcome"]').selectOption('refused')
        await f.locator('textarea[name="body"]').fill('平台拒绝退款，称商家未确认。')
        await f.locator('input[name="external_ref"]').fill('PLAT-2026-001')
      })
      for (const [i, level] of LEVELS.slice(1).entries()) {
        const ref = `REF-${level}-${i + 1}`
        await act(h, page, 'escalate', async (f) => {
          await f.locator('select[name="reason"]').selectOption('refused')
          await f.locator('input[name="external_ref"]').fill(ref)
        })
        const stage = page.locator(`#ladder-panel .stages li[data-level="${level}"]`)
        expect(await stage.innerText()).toContain(ref)
        expect(
          await page.locator('#ladder-panel #ladder li[aria-current="step"]').innerText(),
        ).toContain(LEVEL_ZH[level])

        await complainant.reload()
        await h.audit(complainant, `at ${level}`)
        const ladder = await ladderOnTrackingPage(complainant)
        expect(ladder.current).toContain(LEVEL_ZH[level])
        expect(ladder.reached).toEqual(LEVELS.slice(0, i + 1).map((l) => LEVEL_ZH[l]))
        expect(await complainant.locator('#case-level').getAttribute('data-level')).toBe(level)
      }
      expect(await page.locator('#ladder-panel .stages').innerText()).toContain('PLAT-2026-001')
      expect(await page.locator('#action-escalate').count()).toBe(0) // the top of the ladder
    })

    it(`shows the second agent the 409 with the fresh state when both act on one ticket (${device})`, async () => {
      const { trackPath } = await fileOverHttp(h.server.url, `两位专员同时处理的投诉 ${device}`)
      const first = await h.open(options)
      const second = await h.open(options)
      await signIn(h, first, agent)
      await signIn(h, second, agent2)
      const tracking = await h.open(options)
      await tracking.goto(trackPath)
      await h.audit(tracking)
      const caseNumber = (await tracking.locator('#case-number').innerText()).trim()

      for (const p of [first, second]) {
        await p.goto(`/tickets/${caseNumber}`)
        await h.audit(p)
      }
      await act(h, first, 'note', (f) => f.locator('textarea[name="body"]').fill('我先联系平台。'))

      // The second agent's page still carries the old version.
      const form = await openAction(second, 'reply')
      await form.locator('textarea[name="body"]').fill('您好，我们已收到您的投诉。')
      await press(form.locator('button[type="submit"]'))
      const stale = second.locator('#stale')
      await stale.waitFor()
      expect(await stale.getAttribute('role')).toBe('alert')
      expect(await stale.innerText()).toContain('我先联系平台。')
      expect(await second.locator('#workspace').getAttribute('data-version')).toBe(
        await first.locator('#workspace').getAttribute('data-version'),
      )
      expect(await second.locator('#timeline').innerText()).toContain('我先联系平台。')
      // What they typed is still there, and sending it again now works.
      expect(await second.locator('#reply-form textarea[name="body"]').inputValue()).toBe(
        '您好，我们已收到您的投诉。',
      )
      await h.audit(second, 'after the 409')
      const version = Number(await second.locator('#workspace').getAttribute('data-version'))
      await press(second.locator('#reply-form button[type="submit"]'))
      await expect
        .poll(() => second.locator('#workspace').getAttribute('data-version'))
        .toBe(String(version + 1))
      expect(await second.locator('#stale').count()).toBe(0)
      await h.audit(second, 'after the retry')
      if (isPhone(second)) expect(second.viewportSize()?.width).toBe(390)
    })
  }

  it('replies to a complainant without JavaScript', async () => {
    const { trackPath } = await fileOverHttp(h.server.url, '没有脚本时专员也能回复。')
    const page = await h.open(desktop, { javaScriptEnabled: false })
    await signIn(h, page, agent)
    const tracking = await h.open(desktop, { javaScriptEnabled: false })
    await tracking.goto(trackPath)
    await h.audit(tracking)
    const caseNumber = (await tracking.locator('#case-number').innerText()).trim()

    await page.goto(`/tickets/${caseNumber}`)
    await h.audit(page)
    await page.locator('#action-reply summary').click()
    await page
      .locator('#reply-form textarea[name="body"]')
      .fill('您好，我们已联系平台，三个工作日内回复您。')
    await Promise.all([
      page.waitForURL(`**/tickets/${caseNumber}`),
      page.locator('#reply-form button[type="submit"]').click(),
    ])
    await page.locator('#timeline').getByText('三个工作日内回复您').waitFor()
    await h.audit(page, 'after the reply')
    await tracking.reload()
    await h.audit(tracking, 'after the reply')
    expect(await tracking.locator('#timeline').innerText()).toContain('三个工作日内回复您')
  })

  it('brings earlier timeline events in place, and as their own page without JavaScript', async () => {
    const { trackPath } = await fileOverHttp(h.server.url, '记录很多的案件，时间线分页显示。')
    const page = await h.open(desktop)
    await signIn(h, page, agent)
    await page.goto(trackPath)
    await h.audit(page)
    const caseNumber = (await page.locator('#case-number').innerText()).trim()
    // Sixty notes, each on the version the ticket page shows, as an agent's form would send.
    await page.evaluate(async (c) => {
      for (let i = 1; i <= 60; i++) {
        const html = await (await fetch(`/tickets/${c}`)).text()
        const version = /data-version="(\d+)"/.exec(html)![1]!
        const res = await fetch(`/tickets/${c}/actions/note`, {
          method: 'POST',
          body: new URLSearchParams({ version, body: `备注 ${i}` }),
        })
        if (!res.ok) throw new Error(`note ${i}: ${res.status}`)
      }
    }, caseNumber)
    await page.goto(`/tickets/${caseNumber}`)
    const events = page.locator('#timeline li.event')
    expect(await events.count()).toBe(50)
    expect(await events.first().innerText()).toContain('备注 60')
    await h.audit(page, 'a long timeline')
    await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'no reload'))
    await press(page.locator('#timeline-more a'))
    // The rest, oldest last, appended in place of the link.
    await expect.poll(() => events.count()).toBeGreaterThan(60)
    expect(await page.locator('#timeline-more').count()).toBe(0)
    expect(await events.last().innerText()).not.toContain('备注')
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe('no reload')
    await h.audit(page, 'after showing earlier events')

    const plain = await h.open(desktop, { javaScriptEnabled: false })
    await signIn(h, plain, agent)
    await plain.goto(`/tickets/${caseNumber}`)
    await h.audit(plain)
    await Promise.all([
      plain.waitForURL(/\/timeline\?before=\d+$/),
      plain.locator('#timeline-more a').click(),
    ])
    expect(await plain.locator('#timeline li.event').count()).toBe((await events.count()) - 50)
    await h.audit(plain, 'earlier events without JavaScript')
  })

  it('inserts a canned reply after the text typed so far and keeps unsent text in other forms', async () => {
    const { trackPath } = await fileOverHttp(h.server.url, '退款一直没有到账，请帮忙处理。')
    const page = await h.open(desktop)
    await signIn(h, page, agent)
    const tracking = await h.open(desktop)
    await tracking.goto(trackPath)
    await h.audit(tracking)
    const caseNumber = (await tracking.locator('#case-number').innerText()).trim()
    await page.goto(`/tickets/${caseNumber}`)
    await h.audit(page)
    await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'no reload'))
    const note = await openAction(page, 'note')
    await note.locator('textarea[name="body"]').fill('内部备注：先别关闭。')
    const reply = await openAction(page, 'reply')
    await reply.locator('textarea[name="body"]').fill('您好，')
    const option = page.locator('#canned-select option').first()
    const cannedTitle = (await option.innerText()).trim()
    await page.locator('#canned-select').selectOption({ label: cannedTitle })
    await press(page.locator('#canned-form button[type="submit"]'))
    const body = page.locator('#reply-form textarea[name="body"]')
    await expect
      .poll(async () => (await body.inputValue()).length)
      .toBeGreaterThan('您好，'.length + 10)
    expect(await body.inputValue()).toMatch(/^您好，\n\n\S/)
    expect(await page.locator('#note-form textarea[name="body"]').inputValue()).toBe(
      '内部备注：先别关闭。',
    )
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe('no reload')
    await h.audit(page, 'after inserting a canned reply')
    // The reply then goes out as usual.
    await Promise.all([
      page.waitForURL(`**/tickets/${caseNumber}`),
      press(page.locator('#reply-form button[type="submit"]')),
    ])
    await page.locator('#timeline').getByText('您好，').first().waitFor()
  })
})
