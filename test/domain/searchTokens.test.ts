import { describe, expect, it } from 'vitest'
import { bigramText, matchQuery } from '../../src/search/tokens.js'

describe('search tokens', () => {
  it('turns each run of Chinese into overlapping bigrams plus its last character, keeping other words', () => {
    expect(bigramText('申请退款 refund 2次')).toBe('申请 请退 退款 款 refund 2 次')
    expect(bigramText('钱')).toBe('钱')
  })

  it('keeps Latin words next to Chinese apart from it', () => {
    expect(bigramText('Apple Pay扣款')).toBe('apple pay 扣款 款')
  })

  it('makes a two-character term one token and a longer one a phrase of bigrams', () => {
    expect(matchQuery('退款')).toBe('"退款"')
    expect(matchQuery('注销账户')).toBe('"注销 销账 账户"')
    expect(matchQuery('退')).toBe('"退"*')
    expect(matchQuery('refund 退款')).toBe('"refund" "退款"')
  })

  it('quotes everything so user input is never query syntax', () => {
    expect(matchQuery('a" OR b*')).toBe('"a" "or" "b"')
    expect(matchQuery('  ,.;  ')).toBeNull()
  })
})
