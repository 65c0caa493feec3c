import type { Eta } from 'eta'
import { describe, expect, it } from 'vitest'
import { createViews, ETA_MERGES, rememberResolvedPaths } from '../../src/http/views.js'
import { translator } from '../../src/i18n/translate.js'
import { parseHTML } from '../helpers/html.js'

describe('views', () => {
  it('resolves each template path once per including file, and still refuses names outside the views', () => {
    const asked: string[] = []
    const eta = {
      resolvePath(template: string, options?: { filepath?: string }) {
        asked.push(`${options?.filepath ?? '-'}:${template}`)
        if (template.startsWith('..')) throw new Error('not in the views directory')
        return `/views${template}.eta`
      },
    } as unknown as Eta
    rememberResolvedPaths(eta)
    const resolve = (template: string, filepath?: string) =>
      eta.resolvePath!.call(eta, template, filepath ? { filepath } : {})
    expect(resolve('/_field', '/views/a.eta')).toBe('/views/_field.eta')
    expect(resolve('/_field', '/views/a.eta')).toBe('/views/_field.eta')
    expect(resolve('/_field', '/views/b.eta')).toBe('/views/_field.eta')
    expect(resolve('/_field')).toBe('/views/_field.eta')
    expect(asked).toEqual(['/views/a.eta:/_field', '/views/b.eta:/_field', '-:/_field'])
    expect(() => resolve('../secret')).toThrow(/views directory/)
    expect(() => resolve('../secret')).toThrow(/views directory/)
    expect(asked.filter((a) => a.endsWith('../secret'))).toHaveLength(2)
  })

  it('renders a page with its partials the same every time', () => {
    const views = createViews()
    const data = {
      t: translator('en'),
      name: 'reply-body',
      label: 'Reply',
      value: 'x < y',
      required: true,
    }
    const first = views.render('/fields/_textarea', data)
    expect(first).toContain('x &lt; y')
    expect(views.render('/fields/_textarea', data)).toBe(first)
    expect(() => views.render('../package', {})).toThrow()
  })

  it("merges an include's or layout's data with Object.assign, keeping what the parent passed", () => {
    const views = createViews()
    views.loadTemplate('@child', '<%= it.own %>/<%= it.inherited %>')
    views.loadTemplate('@frame', '[<%= it.title %>|<%= it.inherited %>|<%~ it.body %>]')
    views.loadTemplate(
      '@parent',
      "<% layout('@frame', { title: 'T' }) %><%~ include('@child', { own: 'o' }) %>",
    )
    expect(views.render('@parent', { inherited: 'i' })).toBe('[T|i|o/i]')
    // Eta's own code spreads the data; a new Eta that generates other text must be looked at again.
    const source = views.compileToString(
      "<% layout('@frame', {}) %><%~ include('@child', {}) %>",
      {},
    )
    for (const [spread, assign] of ETA_MERGES) {
      expect(source).not.toContain(spread)
      expect(source).toContain(assign)
    }
  })
})

describe('the field partials', () => {
  const views = createViews()
  const t = translator('en')
  const base = { t, label: 'Label', hint: 'A hint', error: 'form.required', required: true }
  const cases: [string, Record<string, unknown>][] = [
    ['/fields/_text', { name: 'amount', value: '1' }],
    ['/fields/_textarea', { name: 'amount', value: '1' }],
    ['/fields/_select', { name: 'amount', options: [{ value: 'a', label: 'A' }], value: 'a' }],
    ['/fields/_file', { name: 'amount' }],
    ['/fields/_checkbox', { name: 'amount' }],
  ]

  it.each(cases)(
    '%s ties its label, hint and error to the control the same way',
    (template, data) => {
      const { $ } = parseHTML(views.render(template, { ...base, ...data }))
      const control = $('#f-amount')!
      expect(control.getAttribute('name')).toBe('amount')
      expect(control.getAttribute('aria-invalid')).toBe('true')
      expect(control.getAttribute('aria-describedby')).toBe('f-amount-hint f-amount-error')
      expect($('label[for="f-amount"]')?.textContent).toContain('Label')
      expect($('#f-amount-hint')?.textContent).toBe('A hint')
      expect($('#f-amount-error')?.textContent).toBe(t('form.required'))
      expect($('.has-error')).not.toBeNull()
    },
  )

  it('draws a group of choices in a fieldset described by its hint and error, and a valid field without them', () => {
    const group = parseHTML(
      views.render('/fields/_choices', {
        ...base,
        type: 'radio',
        name: 'pick',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
        value: 'b',
      }),
    )
    expect(group.$('fieldset#f-pick')?.getAttribute('aria-describedby')).toBe(
      'f-pick-hint f-pick-error',
    )
    expect(group.$('#f-pick-1')?.hasAttribute('checked')).toBe(true)
    expect(group.$$('input[aria-invalid="true"]')).toHaveLength(2)
    const valid = parseHTML(
      views.render('/fields/_text', { t, name: 'q', id: 'q-input', label: 'Search' }),
    )
    expect(valid.$('#q-input')?.hasAttribute('aria-invalid')).toBe(false)
    expect(valid.$('#q-input')?.hasAttribute('aria-describedby')).toBe(false)
    expect(valid.$('.field-error')).toBeNull()
  })

  it('lists several messages for one field in its one error element', () => {
    const { $, $$ } = parseHTML(
      views.render('/fields/_file', {
        t,
        name: 'evidence',
        label: 'Files',
        error: 'form.invalid',
        errorLines: ['a.exe: no', 'b.svg: no'],
      }),
    )
    expect($$('#f-evidence-error p').map((p) => p.textContent)).toEqual(['a.exe: no', 'b.svg: no'])
  })
})
