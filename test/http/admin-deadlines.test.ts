import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadDeadlineContext } from '../../src/deadlines/context.js'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'

let t: TestApp
let cookie: string
beforeEach(async () => {
  t = await createTestApp()
  const admin = await t.createStaff('admin')
  cookie = await t.signIn(admin.email, admin.password)
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }
const day = (calendar: string, date: string) =>
  t.db
    .selectFrom('calendar_days')
    .selectAll()
    .where('calendar', '=', calendar)
    .where('date', '=', date)
    .executeTakeFirst()

describe('admin: deadline rules', () => {
  it('describes each level’s clock in words for both presets', async () => {
    const res = await t.get('/admin/deadlines', { cookie, headers: EN })
    expect(res.status).toBe(200)
    const { text, $ } = await html(res)
    expect(text('#preset-cn dd[data-level="platform"]')).toBe(
      'answer within 15 calendar days, 60 when complex',
    )
    expect(text('#preset-cn dd[data-level="consumer_association"]')).toBe(
      'accept the case within 7 working days; then answer within 45 working days',
    )
    expect(text('#preset-cn dd[data-level="legal"]')).toContain('no clock')
    expect(text('#preset-gb dd[data-level="platform"]')).toBe(
      'answer within 15 working days, 35 when complex',
    )
    expect($('#preset-cn')?.classList.contains('is-current')).toBe(true)
    expect($('#preset-gb form input[name=preset]')?.getAttribute('value')).toBe('gb')
    const zh = await html(await t.get('/admin/deadlines', { cookie }))
    expect(zh.text('#preset-cn dd[data-level="platform"]')).toContain('15 个自然日')
  })

  it('switching the preset changes the policy and calendar every deadline is computed with', async () => {
    expect((await loadDeadlineContext(t.db)).policy.key).toBe('cn')
    const res = await t.postForm('/admin/deadlines/preset', { preset: 'gb' }, { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/deadlines?done=preset')
    const row = await t.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'deadline_preset')
      .executeTakeFirst()
    expect(row?.value).toBe('"gb"')
    const ctx = await loadDeadlineContext(t.db)
    expect(ctx.policy.key).toBe('gb')
    expect(ctx.calendar.timeZone).toBe('Europe/London')
    expect(ctx.calendar.holidays.has('2026-12-25')).toBe(true)
    expect(ctx.calendar.holidays.has('2026-10-01')).toBe(false)
    const page = await html(await t.get('/admin/deadlines?year=2026', { cookie }))
    expect(page.$('#preset-gb')?.classList.contains('is-current')).toBe(true)
    expect(page.$('#day-2026-12-25')).not.toBeNull()

    expect((await t.postForm('/admin/deadlines/preset', { preset: 'xx' }, { cookie })).status).toBe(
      422,
    )
    expect((await loadDeadlineContext(t.db)).policy.key).toBe('gb')
  })
})

describe('admin: working-day calendar', () => {
  it('lists the chosen calendar’s days by year with holidays and make-up working days', async () => {
    const { $, text, $$ } = await html(
      await t.get('/admin/deadlines?year=2026', { cookie, headers: EN }),
    )
    expect($('#day-2026-10-01')?.getAttribute('data-kind')).toBe('holiday')
    expect($('#day-2026-09-20')?.getAttribute('data-kind')).toBe('workday')
    expect(text('#day-2026-09-20')).toContain('Sunday')
    expect($$('.year-nav a').map((a) => a.textContent)).toContain('2026')
    const empty = await html(await t.get('/admin/deadlines?year=2031', { cookie }))
    expect(empty.$('#calendar-empty')).not.toBeNull()
  })

  it('adds a holiday and a make-up Saturday that the deadline calendar then uses', async () => {
    const holiday = await t.postForm(
      '/admin/deadlines/days',
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { cookie },
    )
    expect(holiday.status).toBe(303)
    expect(holiday.headers.get('location')).toBe('/admin/deadlines?year=2027&done=added')
    const saturday = await t.postForm(
      '/admin/deadlines/days',
      { date: '2027-01-09', kind: 'workday', name: '元旦调休' },
      { cookie },
    )
    expect(saturday.status).toBe(303)
    expect(await day('CN', '2027-01-09')).toMatchObject({ kind: 'workday', name: '元旦调休' })
    const ctx = await loadDeadlineContext(t.db)
    expect(ctx.calendar.holidays.has('2027-01-01')).toBe(true)
    expect(ctx.calendar.workdays.has('2027-01-09')).toBe(true)
    const page = await html(await t.get('/admin/deadlines?year=2027&done=added', { cookie }))
    expect(page.$('#admin-notice')).not.toBeNull()
    expect(page.$('#day-2027-01-09')).not.toBeNull()
  })

  it('refuses a make-up working day on a weekday with 422 and a message', async () => {
    const res = await t.postForm(
      '/admin/deadlines/days',
      { date: '2027-01-04', kind: 'workday', name: 'Monday' },
      { cookie, headers: EN },
    )
    expect(res.status).toBe(422)
    const { text, $ } = await html(res)
    expect(text('#f-date-error')).toContain('must be a Saturday or Sunday')
    expect($('#f-date')?.getAttribute('value')).toBe('2027-01-04')
    expect($('#f-kind option[selected]')?.getAttribute('value')).toBe('workday')
    expect(await day('CN', '2027-01-04')).toBeUndefined()
  })

  it('refuses a holiday on a date already marked as a make-up working day with 409', async () => {
    const res = await t.postForm(
      '/admin/deadlines/days',
      { date: '2026-10-10', kind: 'holiday', name: 'Oops' },
      { cookie, headers: EN },
    )
    expect(res.status).toBe(409)
    expect((await html(res)).text('#form-error')).toContain(
      '2026-10-10 is already marked as: Make-up working day',
    )
    expect(await day('CN', '2026-10-10')).toMatchObject({ kind: 'workday', name: '国庆节调休' })
  })

  it('refuses dates that are not real or not YYYY-MM-DD with 422', async () => {
    for (const date of ['2027-02-30', '2027-2-3', '03/01/2027', '', '2027-13-01']) {
      const res = await t.postForm(
        '/admin/deadlines/days',
        { date, kind: 'holiday', name: 'x' },
        { cookie },
      )
      expect(res.status, date).toBe(422)
    }
    expect(
      (
        await t.postForm(
          '/admin/deadlines/days',
          { date: '2027-03-01', kind: 'party', name: 'x' },
          { cookie },
        )
      ).status,
    ).toBe(422)
    expect(
      (
        await t.postForm(
          '/admin/deadlines/days',
          { date: '2027-03-01', kind: 'holiday', name: '' },
          { cookie },
        )
      ).status,
    ).toBe(422)
    const count = await t.db
      .selectFrom('calendar_days')
      .select('date')
      .where('date', '>=', '2027-01-01')
      .execute()
    expect(count).toEqual([])
  })

  it('removes a day, which then counts as an ordinary day again', async () => {
    const res = await t.postForm('/admin/deadlines/days/remove', { date: '2026-10-10' }, { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/deadlines?year=2026&done=removed')
    expect(await day('CN', '2026-10-10')).toBeUndefined()
    expect((await loadDeadlineContext(t.db)).calendar.workdays.has('2026-10-10')).toBe(false)
    // Now the date is free, a holiday may go there.
    expect(
      (
        await t.postForm(
          '/admin/deadlines/days',
          { date: '2026-10-10', kind: 'holiday', name: 'x' },
          { cookie },
        )
      ).status,
    ).toBe(303)
    expect(
      (await t.postForm('/admin/deadlines/days/remove', { date: '2031-01-01' }, { cookie })).status,
    ).toBe(404)
  })

  it('edits the calendar of the preset in force', async () => {
    await t.postForm('/admin/deadlines/preset', { preset: 'gb' }, { cookie })
    await t.postForm(
      '/admin/deadlines/days',
      { date: '2027-01-01', kind: 'holiday', name: "New Year's Day" },
      { cookie },
    )
    expect(await day('GB', '2027-01-01')).toBeDefined()
    expect(await day('CN', '2027-01-01')).toBeUndefined()
    // The CN calendar's 2026-10-01 is not GB's to remove.
    expect(
      (await t.postForm('/admin/deadlines/days/remove', { date: '2026-10-01' }, { cookie })).status,
    ).toBe(404)
    expect(await day('CN', '2026-10-01')).toBeDefined()
  })
})
