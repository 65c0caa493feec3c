import { describe, expect, it } from 'vitest'
import { formatAmountPlain, parseAmount } from '../../src/complaints/amount.js'

describe('parseAmount', () => {
  const ok: [string, number, number?][] = [
    ['128.50', 12850],
    ['128.5', 12850],
    ['128', 12800],
    ['0.01', 1],
    ['0.29', 29],
    ['.5', 50],
    ['1,234.56', 123456],
    ['1,234,567', 123456700],
    ['¥99.90', 9990],
    ['１２８．５０', 12850],
    [' 7 ', 700],
    ['10000000', 1_000_000_000],
    ['10000000.00', 1_000_000_000],
    ['500', 500, 0],
  ]
  for (const [input, minor, exp] of ok) {
    it(`reads ${JSON.stringify(input)} as ${minor}`, () => {
      expect(parseAmount(input, exp ?? 2)).toEqual({ ok: true, minor })
    })
  }
  const bad: [string, string, number?][] = [
    ['12.345', 'too_many_decimals'],
    ['1.5', 'too_many_decimals', 0],
    ['-5', 'not_positive'],
    ['-0.01', 'not_positive'],
    ['0', 'not_positive'],
    ['0.00', 'not_positive'],
    ['10000000.01', 'too_large'],
    ['99999999999999999999', 'too_large'],
    ['1,5', 'format'],
    ['12abc', 'format'],
    ['1e5', 'format'],
    ['.', 'format'],
    ['', 'format'],
    ['1.2.3', 'format'],
  ]
  for (const [input, problem, exp] of bad) {
    it(`refuses ${JSON.stringify(input)} as ${problem}`, () => {
      expect(parseAmount(input, exp ?? 2)).toEqual({ ok: false, problem })
    })
  }
  it('formats minor units back without floats', () => {
    expect(formatAmountPlain(12850)).toBe('128.50')
    expect(formatAmountPlain(5)).toBe('0.05')
    expect(formatAmountPlain(500, 0)).toBe('500')
  })
})
