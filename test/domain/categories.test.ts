import { describe, it, expect } from 'vitest'
import {
  CATEGORIES,
  CATEGORY_KEYS,
  getCategory,
  isCategoryKey,
  selfHelpKeys,
  type Text,
} from '../../src/domain/categories.js'

function allTexts(c: (typeof CATEGORIES)[number]): Text[] {
  return [
    c.title,
    c.summary,
    ...c.typicalCauses,
    ...c.selfHelp.map((s) => s.text),
    ...c.cannedReplies.flatMap((r) => [r.title, r.body]),
  ]
}

describe('categories', () => {
  it('has the seven keys in order', () => {
    expect(CATEGORY_KEYS).toEqual([
      'payment_failed',
      'refund_not_received',
      'termination_failed',
      'closure_failed',
      'activation_failed',
      'account_compromised',
      'other',
    ])
    expect(CATEGORIES.map((c) => c.key)).toEqual([...CATEGORY_KEYS])
  })

  describe.each(CATEGORIES.map((c) => [c.key, c] as const))('%s', (_key, category) => {
    it('has every text non-empty in both languages', () => {
      for (const text of allTexts(category)) {
        expect(text['zh-CN'].trim()).not.toBe('')
        expect(text.en.trim()).not.toBe('')
      }
    })

    it('has a self-help checklist of 3 to 6 items with unique snake_case keys', () => {
      const keys = category.selfHelp.map((s) => s.key)
      expect(keys.length).toBeGreaterThanOrEqual(3)
      expect(keys.length).toBeLessThanOrEqual(6)
      expect(new Set(keys).size).toBe(keys.length)
      for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/)
      expect(selfHelpKeys(category.key)).toEqual(keys)
    })

    it('has two canned replies with unique keys', () => {
      const keys = category.cannedReplies.map((r) => r.key)
      expect(keys).toHaveLength(2)
      expect(new Set(keys).size).toBe(2)
    })

    it('has a Chinese summary that reads as Chinese', () => {
      expect(category.summary['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    })
  })

  it('lists the closing steps for closure_failed', () => {
    const closure = getCategory('closure_failed')
    const steps = closure?.selfHelp.find((s) => s.key === 'follow_closure_steps')
    expect(steps?.text['zh-CN']).toContain('账户管理')
    expect(steps?.text.en).toContain('account management')
  })

  it('tells a compromised account to freeze, change password and record transactions', () => {
    expect(selfHelpKeys('account_compromised')).toEqual(
      expect.arrayContaining([
        'freeze_via_support',
        'change_password',
        'record_abnormal_transactions',
      ]),
    )
  })
})

describe('getCategory', () => {
  it('returns the category for a known key', () => {
    expect(getCategory('refund_not_received')?.title['zh-CN']).toBe('退款/还款不到账')
  })

  it.each(['', 'unknown', 'Payment_Failed', '__proto__', 'toString'])(
    'returns undefined for %j',
    (key) => {
      expect(getCategory(key)).toBeUndefined()
    },
  )
})

describe('isCategoryKey', () => {
  it.each(CATEGORY_KEYS.map((k) => [k]))('accepts %s', (key) => {
    expect(isCategoryKey(key)).toBe(true)
  })

  it.each(['', 'unknown', 'OTHER', ' other', '__proto__', 'constructor'])('rejects %j', (key) => {
    expect(isCategoryKey(key)).toBe(false)
  })
})
