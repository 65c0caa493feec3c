import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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
const bySlug = (slug: string) =>
  t.db.selectFrom('providers').selectAll().where('slug', '=', slug).executeTakeFirst()
/** What the complaint form offers: active providers in their order. */
const offered = async () =>
  (
    await t.db
      .selectFrom('providers')
      .select('slug')
      .where('active', '=', 1)
      .orderBy('sort_order')
      .orderBy('id')
      .execute()
  ).map((p) => p.slug)

describe('admin: providers', () => {
  it('lists every provider in order with its status', async () => {
    const res = await t.get('/admin/providers', { cookie })
    expect(res.status).toBe(200)
    const { $$ } = await html(res)
    const slugs = $$('#providers-table tbody tr').map((r) => r.getAttribute('data-slug'))
    expect(slugs).toEqual(await offered())
    expect(slugs[0]).toBe('alipay')
  })

  it('adds a provider at the end of the list, active', async () => {
    const res = await t.postForm(
      '/admin/providers',
      { slug: 'bocpay', name_zh: '中银支付', name_en: 'BOC Pay' },
      { cookie },
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/providers?done=added')
    expect(await bySlug('bocpay')).toMatchObject({
      name_zh: '中银支付',
      name_en: 'BOC Pay',
      active: 1,
    })
    expect((await offered()).at(-1)).toBe('bocpay')
    const { $ } = await html(await t.get('/admin/providers?done=added', { cookie }))
    expect($('#admin-notice')).not.toBeNull()
    expect($('tr[data-slug="bocpay"]')).not.toBeNull()
  })

  it('refuses a malformed or taken key with 422 and keeps the values', async () => {
    const bad = await t.postForm(
      '/admin/providers',
      { slug: 'Bad Key!', name_zh: '坏', name_en: 'Bad' },
      { cookie, headers: EN },
    )
    expect(bad.status).toBe(422)
    const page = await html(bad)
    expect(page.$('#f-slug')?.getAttribute('aria-invalid')).toBe('true')
    expect(page.$('#f-name_en')?.getAttribute('value')).toBe('Bad')
    const taken = await t.postForm(
      '/admin/providers',
      { slug: 'alipay', name_zh: '又一个', name_en: 'Again' },
      { cookie, headers: EN },
    )
    expect(taken.status).toBe(422)
    expect((await html(taken)).text('#f-slug-error')).toBe(
      'A provider with this key exists already.',
    )
    const empty = await t.postForm(
      '/admin/providers',
      { slug: 'okslug', name_zh: '', name_en: 'x'.repeat(101) },
      { cookie },
    )
    expect(empty.status).toBe(422)
    expect(await bySlug('okslug')).toBeUndefined()
  })

  it('edits a provider’s names', async () => {
    const alipay = (await bySlug('alipay'))!
    const form = await html(await t.get(`/admin/providers/${alipay.id}`, { cookie }))
    expect(form.$('#f-name_zh')?.getAttribute('value')).toBe('支付宝')
    const res = await t.postForm(
      `/admin/providers/${alipay.id}`,
      { name_zh: '支付宝（蚂蚁）', name_en: 'Alipay (Ant)' },
      { cookie },
    )
    expect(res.status).toBe(303)
    expect(await bySlug('alipay')).toMatchObject({
      name_zh: '支付宝（蚂蚁）',
      name_en: 'Alipay (Ant)',
    })
    const invalid = await t.postForm(
      `/admin/providers/${alipay.id}`,
      { name_zh: '', name_en: 'Kept' },
      { cookie },
    )
    expect(invalid.status).toBe(422)
    expect((await html(invalid)).$('#f-name_en')?.getAttribute('value')).toBe('Kept')
    expect((await bySlug('alipay'))?.name_en).toBe('Alipay (Ant)')
    expect((await t.get('/admin/providers/999', { cookie })).status).toBe(404)
  })

  it('deactivates a provider so the complaint form stops offering it, and activates it again', async () => {
    const paypal = (await bySlug('paypal'))!
    const res = await t.postForm(`/admin/providers/${paypal.id}/deactivate`, {}, { cookie })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/providers?done=deactivated')
    expect((await bySlug('paypal'))?.active).toBe(0)
    expect(await offered()).not.toContain('paypal')
    const { $ } = await html(await t.get('/admin/providers', { cookie }))
    expect($(`#provider-${paypal.id}`)?.getAttribute('data-active')).toBe('0')

    expect(
      (await t.postForm(`/admin/providers/${paypal.id}/activate`, {}, { cookie })).status,
    ).toBe(303)
    expect(await offered()).toContain('paypal')
  })

  it('takes a deactivated provider off the complaint form itself', async () => {
    const formOptions = async () =>
      (await html(await t.get('/complaints/new?category=payment_failed')))
        .$$('select[name=provider] option')
        .map((o) => o.getAttribute('value'))
    expect(await formOptions()).toContain('paypal')
    const paypal = (await bySlug('paypal'))!
    await t.postForm(`/admin/providers/${paypal.id}/deactivate`, {}, { cookie })
    const after = await formOptions()
    expect(after).not.toContain('paypal')
    expect(after).toContain('alipay')
  })

  it('moves a provider up and down the list', async () => {
    const before = await offered()
    const second = (await bySlug(before[1]!))!
    expect(
      (await t.postForm(`/admin/providers/${second.id}/move`, { direction: 'up' }, { cookie }))
        .status,
    ).toBe(303)
    const after = await offered()
    expect(after.slice(0, 2)).toEqual([before[1], before[0]])
    expect(after.slice(2)).toEqual(before.slice(2))
    await t.postForm(`/admin/providers/${second.id}/move`, { direction: 'down' }, { cookie })
    expect(await offered()).toEqual(before)
    // The first one cannot move further up; nothing changes.
    const first = (await bySlug(before[0]!))!
    await t.postForm(`/admin/providers/${first.id}/move`, { direction: 'up' }, { cookie })
    expect(await offered()).toEqual(before)
    expect(
      (await t.postForm(`/admin/providers/${first.id}/move`, { direction: 'sideways' }, { cookie }))
        .status,
    ).toBe(422)
  })
})
