import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COMMON_PASSWORDS_FILE, parseList, passwordProblem } from '../../src/auth/passwordPolicy.js'

describe('the password rule', () => {
  it.each([
    ['a1b2c3', 'too_short'],
    ['短密码1', 'too_short'],
    ['x1'.repeat(101), 'too_long'],
    ['onlyletters', 'weak'],
    ['12345678901', 'weak'],
    ['!@#$%^&*()', 'weak'],
    ['aaaa1111', 'repetitive'],
    ['abab1212', 'repetitive'],
    ['password1', 'common'],
    ['Password1', 'common'],
    ['P@ssw0rd', 'common'],
    ['1qaz2wsx', 'common'],
    ['qwer1234', 'common'],
    ['woaini1314', 'common'],
    ['ＰＡＳＳＷＯＲＤ１', 'common'],
  ])('refuses %j as %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem)
  })

  it.each([
    'zhang-wei-1988',
    'correct-horse-42',
    '新密码-2026',
    'pinyin4ever',
    'Tiger.Lily.77',
    '我的密码是2026年',
  ])('accepts %j', (password) => {
    expect(passwordProblem(password)).toBeNull()
  })

  it('accepts letters with digits only, the way many Chinese users write passwords', () => {
    expect(passwordProblem('lintao19880512')).toBeNull()
  })

  it('refuses the name or the address of the account it is for', () => {
    const owner = { email: 'wang.fang@ladder.test', name: 'Wang Fang' }
    expect(passwordProblem('wang.fang-2026', owner)).toBe('personal')
    expect(passwordProblem('WangFang!88', owner)).toBe('personal')
    expect(passwordProblem('my-fang-2026', owner)).toBe('personal')
    expect(passwordProblem('my-wang-2026', { email: 'wang@ladder.test' })).toBe('personal')
    // Too short a part to count: two-letter surnames are everywhere.
    expect(passwordProblem('li-river-2026', { email: 'li@ladder.test', name: 'Li Lei' })).toBeNull()
    expect(passwordProblem('correct-horse-42', owner)).toBeNull()
  })

  it('ships its list of common passwords in the repository, lower case, 8 characters or more', () => {
    const list = parseList(fs.readFileSync(COMMON_PASSWORDS_FILE, 'utf8'))
    expect(list.size).toBeGreaterThan(15_000)
    for (const p of list) {
      expect(p, p).toBe(p.toLowerCase())
      expect([...p].length, p).toBeGreaterThanOrEqual(8)
    }
    expect(list.has('baseball')).toBe(true)
    expect(list.has('# common passwords')).toBe(false)
  })
})
