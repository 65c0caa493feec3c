import { describe, expect, it } from 'vitest'
import { normalizeTag } from '../../src/domain/tags.js'

describe('normalizeTag', () => {
  const TABLE: [string, string | { problem: string }][] = [
    ['vip', 'vip'],
    ['  VIP ', 'vip'],
    ['Ｆｒａｕｄ', 'fraud'], // full-width letters fold to ASCII
    ['退款', '退款'],
    ['refund-2026', 'refund-2026'],
    ['a.b_c', 'a.b_c'],
    ['', { problem: 'empty' }],
    ['   ', { problem: 'empty' }],
    ['two words', { problem: 'bad_characters' }],
    ['a,b', { problem: 'bad_characters' }],
    ['<b>', { problem: 'bad_characters' }],
    ['-lead', { problem: 'bad_characters' }],
    ['x'.repeat(32), 'x'.repeat(32)],
    ['x'.repeat(33), { problem: 'too_long' }],
  ]
  it.each(TABLE)('%j → %j', (raw, expected) => {
    const r = normalizeTag(raw)
    if (typeof expected === 'string') expect(r).toEqual({ ok: true, tag: expected })
    else expect(r).toEqual({ ok: false, problem: expected.problem })
  })
})
