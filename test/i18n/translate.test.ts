import { describe, expect, it } from 'vitest'
import { en, zh, type MessageKey } from '../../src/i18n/messages/index.js'
import { translate } from '../../src/i18n/translate.js'

/** What filling a template means: each {name} the caller gives replaced, the others left as written. */
const fillByRegex = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))

describe('translate', () => {
  it('fills every message of both languages as a regular-expression replace would', () => {
    const keys = Object.keys(en) as MessageKey[]
    let withPlaceholders = 0
    for (const key of keys) {
      for (const [locale, table] of [
        ['en', en],
        ['zh-CN', zh],
      ] as const) {
        const names = [...table[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
        if (names.length) withPlaceholders++
        // Every name given, every other one given, and none: missing names stay as written.
        const all = Object.fromEntries(names.map((n, i) => [n, i % 2 ? `<${n}>` : i * 7]))
        const some = Object.fromEntries(
          names.filter((_, i) => i % 2 === 0).map((n) => [n, `$&${n}$1`]),
        )
        for (const params of [all, some, {}])
          expect(translate(locale, key, params), `${locale} ${key}`).toBe(
            fillByRegex(table[key], params),
          )
        expect(translate(locale, key)).toBe(table[key])
      }
    }
    expect(withPlaceholders).toBeGreaterThan(100)
  })

  it('fills templates at their edges, twice over and next to braces', () => {
    // An unknown key is its own template.
    const t = (template: string, params: Record<string, string | number>) =>
      translate('en', template as MessageKey, params)
    expect(t('{a}', { a: 1 })).toBe('1')
    expect(t('{a}{a} and {b}', { a: 'x', b: 2 })).toBe('xx and 2')
    expect(t('{{a}}', { a: 'x' })).toBe('{x}')
    expect(t('{a} {missing} {a-b} {}', { a: 'x' })).toBe('x {missing} {a-b} {}')
    expect(t('no placeholders', { a: 'x' })).toBe('no placeholders')
  })
})
