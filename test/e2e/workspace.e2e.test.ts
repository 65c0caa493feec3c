// The agent's workspace in a real browser: how many queue rows fit, the folded filters on a phone,
// bulk work with a stale ticket, the queue's keys, presence across two sessions, links between
// cases, and axe on the queue, the bulk summary and a busy ticket page.
import { beforeAll, expect, it } from 'vitest'
import {
  describeBrowser,
  phone,
  signIn,
  useBrowser,
  type Harness,
  type InPage,
  type Page,
} from './browser.js'
import { fileOverHttp } from './files.js'

const wide = { viewport: { width: 1366, height: 900 } }

/** expect.poll with room for a loaded machine (its default gives up after one second). */
const soon = <T>(fn: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) =>
  expect.poll(fn, { timeout: 5_000, ...options })

interface Box {
  top: number
  bottom: number
  left: number
  right: number
}

/** What the tests read off the page's DOM (the project compiles without the DOM library). */
interface DomEl {
  getBoundingClientRect(): Box
  classList: { contains(c: string): boolean }
  closest(s: string): DomEl | null
  id: string
}
interface Dom {
  innerHeight: number
  document: {
    activeElement: DomEl | null
    querySelectorAll(s: string): ArrayLike<DomEl>
    elementFromPoint(x: number, y: number): DomEl | null
  }
}

/** The queue rows whose whole box is inside the window as it is now. */
function rowsFullyVisible(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Dom
    return Array.from(w.document.querySelectorAll('#queue-rows > tr.qrow')).filter((r) => {
      const b = r.getBoundingClientRect()
      return b.top >= 0 && b.bottom <= w.innerHeight
    }).length
  })
}

/** The case number behind a tracking link, read as the complainant's page shows it. */
async function caseOf(page: Page, trackPath: string): Promise<string> {
  const html = await (await page.request.get(trackPath)).text()
  const m = /id="case-number"[^>]*>\s*([^<\s]+)/.exec(html)
  if (!m) throw new Error(`no case number on ${trackPath}`)
  return m[1]!
}

/** The row marked by the keys, by its id (row-LD-…), or '' when none is. */
function markedRow(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Dom
    const rows = Array.from(w.document.querySelectorAll('#queue-rows > tr.qrow'))
    return rows.filter((r) => r.classList.contains('qrow-focus')).map((r) => r.id)[0] ?? ''
  })
}

/** The row the keyboard focus is in, by its id, or '' when the focus is not in a row. */
function focusedRow(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Dom
    return w.document.activeElement?.closest('tr.qrow')?.id ?? ''
  })
}

async function openDetails(page: Page, id: string) {
  const details = page.locator(`#${id}`)
  if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open)))
    await details.locator('summary').click()
  await soon(() => details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true)
}

/** The ticket's version as its page shows it now. */
async function versionOf(page: Page): Promise<number> {
  return Number(await page.locator('#workspace').getAttribute('data-version'))
}

describeBrowser('the agent workspace in the browser', () => {
  const h = useBrowser()
  let agent: { email: string; password: string }
  let agent2: { email: string; password: string }

  beforeAll(async () => {
    await h.server.cli('demo', '--tickets', '120')
    agent = await h.server.staff('agent', 'zhou.ws@example.com', '周专员')
    agent2 = await h.server.staff('agent', 'kim.ws@example.com', 'Kim Park')
  }, 120_000)

  it('shows at least 18 whole queue rows above the fold at 1366×900', async () => {
    const page = await h.open(wide)
    await signIn(h, page, agent)
    expect(await page.locator('#queue-rows > tr.qrow').count()).toBeGreaterThanOrEqual(30)
    const visible = await rowsFullyVisible(page)
    expect(visible, `${visible} rows fully visible at 1366×900`).toBeGreaterThanOrEqual(18)
  })

  it('folds the filters away on a 390×844 phone; the open fold pushes the rows down', async () => {
    const page = await h.open(phone)
    await signIn(h, page, agent)
    const fold = page.locator('#queue-fold')
    const isOpen = () => fold.evaluate((d) => (d as unknown as { open: boolean }).open)
    expect(await isOpen()).toBe(false)
    expect(await page.locator('#f-level').isVisible()).toBe(false)
    const firstRow = page.locator('#queue-rows > tr.qrow').first()
    const first = (await firstRow.boundingBox())!
    expect(first.y, 'the first row starts inside the window').toBeGreaterThanOrEqual(0)
    expect(first.y + first.height, 'the first row ends inside the window').toBeLessThanOrEqual(844)

    // Open: the filters take room of their own above the table instead of lying over it.
    await fold.locator(':scope > summary').tap()
    await soon(isOpen).toBe(true)
    await page.locator('#f-level').waitFor()
    await h.audit(page, 'filters open on a phone')
    const filters = (await page.locator('#queue-filters').boundingBox())!
    const table = (await page.locator('#queue-table').boundingBox())!
    expect(table.y, 'the table starts below the open filters').toBeGreaterThanOrEqual(
      filters.y + filters.height,
    )
    // Nothing lies over the first row's case link: the point a tap lands on is the link itself.
    const link = page.locator('#queue-rows a.qrow-case').first()
    await link.scrollIntoViewIfNeeded()
    const hit = await link.evaluate((a) => {
      const el = a as unknown as DomEl
      const b = el.getBoundingClientRect()
      const w = globalThis as unknown as Dom
      const top = w.document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)
      return top?.closest('a.qrow-case') === el
    })
    expect(hit, 'a tap on the first case link reaches the link').toBe(true)

    // Closed again, the first row is back where it was and a tap on it opens the ticket.
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    )
    await fold.locator(':scope > summary').tap()
    await soon(isOpen).toBe(false)
    const again = (await firstRow.boundingBox())!
    expect(again.y + again.height).toBeLessThanOrEqual(844)
    // The bulk bar stays out of the way until a row is ticked, then sits at the bottom.
    const bulkButton = page.locator('#bulk button[type="submit"]')
    expect(await bulkButton.isVisible()).toBe(false)
    const box = firstRow.locator('input[name="ticket"]')
    await box.tap()
    await soon(() => bulkButton.isVisible()).toBe(true)
    const bar = (await page.locator('#bulk fieldset').boundingBox())!
    expect(bar.y + bar.height).toBeLessThanOrEqual(844.5)
    await h.audit(page, 'a row ticked on a phone')
    await box.tap()
    await soon(() => bulkButton.isVisible()).toBe(false)
    const caseNumber = (await link.innerText()).trim()
    await link.tap()
    await page.waitForURL(`**/tickets/${caseNumber}`)
    await h.audit(page)

    // Open then tapped: the fold open, a row further down still takes the tap.
    await page.goBack()
    await page.locator('#queue-rows').waitFor()
    await h.audit(page, 'back on the queue')
    if (!(await isOpen())) await fold.locator(':scope > summary').tap()
    await soon(isOpen).toBe(true)
    const third = page.locator('#queue-rows a.qrow-case').nth(2)
    const thirdCase = (await third.innerText()).trim()
    await third.tap()
    await page.waitForURL(`**/tickets/${thirdCase}`)
    await h.audit(page)
  })

  it('assigns 20 tickets at once; the one changed meanwhile is refused with its reason', async () => {
    const page = await h.open(wide)
    await signIn(h, page, agent)
    await page.goto('/queue?assignee=none')
    await h.audit(page, 'unassigned')
    const boxes = page.locator('#queue-rows input[name="ticket"]')
    expect(await boxes.count()).toBeGreaterThanOrEqual(20)
    // The first box, then shift and the twentieth: the range between them.
    await boxes.nth(0).click()
    await boxes.nth(19).click({ modifiers: ['Shift'] })
    const checked = () =>
      page
        .locator('#queue-rows input[name="ticket"]:checked')
        .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))
    const chosen = await checked()
    expect(chosen).toHaveLength(20)
    expect(await page.locator('#queue-selected').innerText()).toContain('20')

    // Meanwhile a colleague, in their own session, writes a note on the seventh of them.
    const staleCase = chosen[6]!.split(':')[0]!
    const other = await h.open(wide)
    await signIn(h, other, agent2)
    await other.goto(`/tickets/${staleCase}`)
    await h.audit(other)
    await openDetails(other, 'action-note')
    const before = await versionOf(other)
    await other.locator('#note-form textarea[name="body"]').fill('我先看看这张。')
    await other.locator('#note-form button[type="submit"]').click()
    await soon(() => versionOf(other)).toBe(before + 1)
    await h.audit(other, 'after the note')

    await page.locator('#bulk-bulk-action').selectOption('assign')
    await page.locator('#bulk-assignee').selectOption('me')
    await Promise.all([
      page.waitForURL('**/queue/bulk'),
      page.locator('#bulk button[type="submit"]').click(),
    ])
    await h.audit(page, 'bulk summary')
    const done = page.locator('.bulk-results tr.bulk-done')
    const refused = page.locator('.bulk-results tr.bulk-refused')
    expect(await done.count()).toBe(19)
    expect(await refused.count()).toBe(1)
    expect(await refused.locator('td').first().innerText()).toBe(staleCase)
    expect(await refused.innerText()).toContain('其他人修改了此投诉')
    expect(await page.locator('.bulk-summary .lead').innerText()).toMatch(/19/)

    // The 19 are the agent's now; the refused one is not.
    await page.goto('/queue?assignee=me')
    await h.audit(page, 'assigned to me')
    const mine = await page.locator('#queue-rows a.qrow-case').allInnerTexts()
    const expected = chosen.map((v) => v.split(':')[0]!).filter((c) => c !== staleCase)
    expect(mine.map((s) => s.trim()).sort()).toEqual(expected.sort())
  }, 120_000)

  it('drives the queue with j, k, x, ? and o, and the keys keep out of the search field', async () => {
    const page = await h.open(wide)
    await signIn(h, page, agent)
    const rows = await page
      .locator('#queue-rows > tr.qrow')
      .evaluateAll((els) => els.map((e) => (e as unknown as DomEl).id))
    expect(rows.length).toBeGreaterThan(3)
    await page.locator('body').press('j')
    expect(await markedRow(page)).toBe(rows[0])
    expect(await focusedRow(page)).toBe(rows[0])
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    expect(await markedRow(page)).toBe(rows[2])
    await page.keyboard.press('k')
    expect(await markedRow(page)).toBe(rows[1])
    expect(await focusedRow(page)).toBe(rows[1])
    // The marker is visible: an outline drawn on the row.
    const outline = await page
      .locator(`#${rows[1]}`)
      .evaluate(
        (r) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }
          ).getComputedStyle(r).outlineStyle,
      )
    expect(outline).not.toBe('none')
    await h.audit(page, 'a row marked')

    await page.keyboard.press('x')
    const box = page.locator(`#${rows[1]} input[name="ticket"]`)
    expect(await box.isChecked()).toBe(true)
    expect(await page.locator('#queue-selected').innerText()).toContain('1')
    // The keys still work with the focus on the ticked box.
    await box.focus()
    await page.keyboard.press('j')
    expect(await markedRow(page)).toBe(rows[2])
    await page.keyboard.press('x')
    expect(await page.locator(`#${rows[2]} input[name="ticket"]`).isChecked()).toBe(true)

    await page.keyboard.press('?')
    const help = page.locator('#queue-keys')
    await soon(() => help.isVisible()).toBe(true)
    expect(await help.innerText()).toContain('j')
    await h.audit(page, 'key list')
    // Keys do nothing while the list is open; Escape closes it.
    await page.keyboard.press('j')
    expect(await markedRow(page)).toBe(rows[2])
    await page.keyboard.press('Escape')
    await soon(() => help.isVisible()).toBe(false)

    // `/` goes to the search field; what is typed there stays text.
    await page.keyboard.press('/')
    expect(
      await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id),
    ).toBe('q-input')
    await page.keyboard.type('jkx?o')
    expect(await page.locator('#q-input').inputValue()).toBe('jkx?o')
    expect(await markedRow(page)).toBe(rows[2])
    expect(await help.isVisible()).toBe(false)
    expect(await page.locator('#queue-rows input[name="ticket"]:checked').count()).toBe(2)
    expect(new URL(page.url()).pathname).toBe('/queue')

    // On a fresh page (leaving the search field would filter the rows), `o` opens the marked ticket.
    await page.reload()
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    expect(await markedRow(page)).toBe(rows[1])
    await Promise.all([page.waitForURL(/\/tickets\/LD-/), page.keyboard.press('o')])
    expect(new URL(page.url()).pathname).toBe(`/tickets/${rows[1]!.slice('row-'.length)}`)
    await h.audit(page)

    // `r` opens the marked ticket with its reply box open and the cursor in it.
    await page.goBack()
    await page.locator('#queue-rows').waitFor()
    await page.keyboard.press('j')
    await Promise.all([page.waitForURL(/#action-reply$/), page.keyboard.press('r')])
    await soon(() =>
      page.locator('#action-reply').evaluate((d) => (d as unknown as { open: boolean }).open),
    ).toBe(true)
    await soon(() =>
      page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id),
    ).toBe('f-reply-body')
    await h.audit(page, 'reply open')
  })

  it('assigns the marked ticket to me with a, and the rows follow at once', async () => {
    const { trackPath } = await fileOverHttp(h.server.url, '用键盘把这张工单分配给自己。')
    const page = await h.open(wide)
    await signIn(h, page, agent)
    const caseNumber = await caseOf(page, trackPath)
    await page.goto('/queue?assignee=none&sort=newest')
    await h.audit(page, 'unassigned, newest first')
    const row = page.locator(`#row-${caseNumber}`)
    expect(await page.locator('#queue-rows > tr.qrow').first().getAttribute('id')).toBe(
      `row-${caseNumber}`,
    )
    await page.keyboard.press('j')
    expect(await markedRow(page)).toBe(`row-${caseNumber}`)
    await page.keyboard.press('a')
    await soon(() => page.locator('#queue-key-status').innerText()).toContain('分配')
    // Refreshed at once: assigned now, it has left the list of unassigned tickets.
    await soon(() => row.count()).toBe(0)
    await h.audit(page, 'after a')
    await page.goto(`/tickets/${caseNumber}`)
    expect(await page.locator('#ws-assignee').innerText()).toBe('周专员')
    await h.audit(page)
  })

  it('keeps empty filters out of the address bar when filtering with htmx', async () => {
    const page = await h.open(wide)
    await signIn(h, page, agent)
    await page.evaluate(() => ((globalThis as unknown as InPage).__marker = 'no reload'))
    await page.locator('#f-level').selectOption('regulator')
    await page.waitForURL((u) => u.searchParams.get('level') === 'regulator')
    expect(new URL(page.url()).search).toBe('?level=regulator')
    await h.audit(page, 'filtered')
    await page.locator('#f-level').selectOption('')
    await page.waitForURL((u) => u.search === '')
    expect(page.url()).toBe(`${h.server.url}/queue`)
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__marker)).toBe('no reload')
    await h.audit(page, 'filters cleared')
  })

  it('shows a colleague on the same ticket and when they are writing a reply', async () => {
    const { trackPath } = await fileOverHttp(h.server.url, '两位专员同时打开这张工单。')
    const first = await h.open(wide)
    const second = await h.open(wide)
    await signIn(h, first, agent)
    await signIn(h, second, agent2)
    const caseNumber = await caseOf(first, trackPath)
    await first.goto(`/tickets/${caseNumber}`)
    await h.audit(first)
    await second.goto(`/tickets/${caseNumber}`)
    const presence = second.locator('#presence')
    expect(await presence.innerText()).toContain('周专员')
    expect(await second.locator('#presence .presence-typing').count()).toBe(0)
    await h.audit(second, 'a colleague here')

    // The heartbeats carry no draft: only the URL says "here" or "typing".
    const beats: string[] = []
    first.on('request', (r) => {
      if (/\/presence(\?|$)/.test(new URL(r.url()).pathname + new URL(r.url()).search))
        beats.push(`${r.url()} ${r.postData() ?? ''}`)
    })
    await openDetails(first, 'action-reply')
    await first.locator('#f-reply-body').pressSequentially('您好，')
    // The first agent's own line answers at once with who else is here.
    await soon(() => first.locator('#presence').innerText()).toContain('Kim Park')
    // The second sees the typing at their next poll (every 15 s).
    await soon(
      () =>
        second
          .locator('#presence .presence-typing')
          .innerText()
          .catch(() => ''),
      {
        timeout: 25_000,
        interval: 500,
      },
    ).toContain('周专员')
    await h.audit(second, 'a colleague writing')
    expect(beats.some((b) => b.includes('typing=1'))).toBe(true)
    expect(beats.join('\n')).not.toContain(encodeURIComponent('您好'))
    expect(beats.join('\n')).not.toContain('您好')
  }, 120_000)

  it('links two cases from the ticket page, shows the link on both, then unlinks', async () => {
    const a = await fileOverHttp(h.server.url, '第一张：退款没有到账。')
    const b = await fileOverHttp(h.server.url, '第二张：同一笔退款又投诉了一次。')
    const page = await h.open(wide)
    const colleague = await h.open(wide)
    await signIn(h, page, agent)
    await signIn(h, colleague, agent2)
    const caseA = await caseOf(page, a.trackPath)
    const caseB = await caseOf(page, b.trackPath)
    await page.goto(`/tickets/${caseA}`)
    await h.audit(page)
    // The same complainant email makes them related cases already.
    expect(await page.locator(`#related-cases tr[data-case="${caseB}"]`).count()).toBe(1)

    // A tag, for a page with everything on it.
    let v = await versionOf(page)
    await page.locator('#f-add_tag-tag').fill('重复投诉')
    await page.locator('#add_tag-form button[type="submit"]').click()
    await soon(() => versionOf(page)).toBe(v + 1)
    expect(await page.locator('#tag-list').innerText()).toContain('#重复投诉')

    await openDetails(page, 'action-link')
    v = await versionOf(page)
    await page.locator('#f-link-other').fill(caseB)
    await page.locator('#link-relation').selectOption('duplicate_of')
    await page.locator('#link-submit').click()
    await soon(() => versionOf(page)).toBe(v + 1)
    const onA = page.locator(`#case-links li[data-case="${caseB}"]`)
    expect(await onA.getAttribute('data-link')).toBe('duplicate_of')

    // A colleague on the page too: presence, related cases, a link and a tag at once for axe.
    await colleague.goto(`/tickets/${caseA}`)
    await h.audit(colleague, 'related, link, tag, presence')
    await page.reload()
    expect(await page.locator('#presence').innerText()).toContain('Kim Park')
    await h.audit(page, 'related, link, tag, presence')

    await page.goto(`/tickets/${caseB}`)
    const onB = page.locator(`#case-links li[data-case="${caseA}"]`)
    expect(await onB.count()).toBe(1)
    expect(await onB.getAttribute('data-link')).toBe('has_duplicate')
    await h.audit(page, 'the other end of the link')

    // Unlinked from B, it is gone on both.
    v = await versionOf(page)
    await onB.locator('button[type="submit"]').click()
    await soon(() => versionOf(page)).toBe(v + 1)
    expect(await page.locator('#case-links li').count()).toBe(0)
    await h.audit(page, 'after unlinking')
    await page.goto(`/tickets/${caseA}`)
    expect(await page.locator(`#case-links li[data-case="${caseB}"]`).count()).toBe(0)
    expect(await page.locator('#timeline').innerText()).toContain(caseB)
    await h.audit(page, 'unlinked')
  }, 120_000)
})

export type { Harness }
