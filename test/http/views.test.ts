import type { Eta } from 'eta'
import { describe, expect, it } from 'vitest'
import { createViews, ETA_MERGES, rememberResolvedPaths } from '../../src/http/views.js'
import { translator } from '../../src/i18n/translate.js'

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
    const resolve = (template: string, filepath?: string) => eta.resolvePath!.call(eta, template, filepath ? { filepath } : {})
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
    const data = { t: translator('en'), name: 'reply-body', label: 'Reply', type: 'textarea', value: 'x < y', required: true }
    const first = views.render('/_field', data)
    expect(first).toContain('x &lt; y')
    expect(views.render('/_field', data)).toBe(first)
    expect(() => views.render('../package', {})).toThrow()
  })

  it("merges an include's or layout's data with Object.assign, keeping what the parent passed", () => {
    const views = createViews()
    views.loadTemplate('@child', '<%= it.own %>/<%= it.inherited %>')
    views.loadTemplate('@frame', '[<%= it.title %>|<%= it.inherited %>|<%~ it.body %>]')
    views.loadTemplate('@parent', "<% layout('@frame', { title: 'T' }) %><%~ include('@child', { own: 'o' }) %>")
    expect(views.render('@parent', { inherited: 'i' })).toBe('[T|i|o/i]')
    // Eta's own code spreads the data; a new Eta that generates other text must be looked at again.
    const source = views.compileToString("<% layout('@frame', {}) %><%~ include('@child', {}) %>", {})
    for (const [spread, assign] of ETA_MERGES) {
      expect(source).not.toContain(spread)
      expect(source).toContain(assign)
    }
  })
})
