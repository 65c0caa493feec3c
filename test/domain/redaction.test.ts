import { describe, it, expect } from 'vitest'
import {
  containsSensitive,
  findSensitive,
  luhnValid,
  prcIdValid,
  redact,
  type RedactionKind,
} from '../../src/domain/redaction.js'

// Synthetic IDs only: the check character is computed here, independently of the code under test.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
function withCheckChar(body17: string): string {
  const sum = [...body17].reduce((acc, c, i) => acc + Number(c) * WEIGHTS[i]!, 0)
  return body17 + '10X98765432'[sum % 11]
}

const ID_X = withCheckChar('11010119900307109')
const ID_DIGIT = withCheckChar('11010119900307104')
// Also passes Luhn, so it checks that an ID wins over a card.
const ID_LUHN = withCheckChar('11010119900307110')
const ID_BAD_DATE = withCheckChar('11010119901301105')

describe('generated test IDs', () => {
  it('have the check characters the tables below rely on', () => {
    expect(ID_X).toBe('11010119900307109X')
    expect(ID_DIGIT).toBe('110101199003071049')
    expect(ID_LUHN).toBe('110101199003071102')
    expect(ID_BAD_DATE).toBe('110101199013011058')
  })
})

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111 1111 1111 1111', true],
    ['6222021234567890128', true],
    ['4222222222222', true],
    ['4111111111111112', false],
    ['6222021234567890123', false],
    ['4111x111', false],
  ])('%s -> %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected)
  })
})

describe('prcIdValid', () => {
  it.each([
    [ID_X, true],
    [ID_X.toLowerCase(), true],
    [ID_DIGIT, true],
    ['110101199003071040', false],
    [ID_BAD_DATE, false],
    [withCheckChar('11010118991231100'), false],
    [withCheckChar('11010119900230100'), false],
    [withCheckChar('11010120000229100'), true],
    [withCheckChar('11010119000229100'), false],
    ['11010119900307109', false],
    ['1101011990030710XX', false],
  ])('%s -> %s', (id, expected) => {
    expect(prcIdValid(id)).toBe(expected)
  })
})

describe('redact: true positives', () => {
  it.each([
    ['card 16 plain', '4111111111111111', '************1111'],
    ['card 16 other', '6228480012345671', '************5671'],
    ['card 16 spaces', '4111 1111 1111 1111', '**** **** **** 1111'],
    ['card 16 dashes', '4111-1111-1111-1111', '****-****-****-1111'],
    ['card 19 plain', '6222021234567890128', '***************0128'],
    ['card 19 spaces', '6222 0212 3456 7890 128', '**** **** **** ***0 128'],
    ['card 19 dashes', '6222-0212-3456-7890-128', '****-****-****-***0-128'],
    ['card 19 6+13', '622202 1234567890128', '****** *********0128'],
    ['card in Chinese text', '卡号：4111111111111111。', '卡号：************1111。'],
    ['ID with X', ID_X, '**************109X'],
    ['ID with lower-case x', ID_X.toLowerCase(), '**************109x'],
    ['ID with digit', ID_DIGIT, '**************1049'],
    ['ID in text', `身份证号${ID_DIGIT}，请核实`, '身份证号**************1049，请核实'],
    ['phone plain', '13812345678', '*******5678'],
    ['phone spaces', '138 1234 5678', '*** **** 5678'],
    ['phone dashes', '138-1234-5678', '***-****-5678'],
    ['phone +86', '+8613812345678', '+*********5678'],
    ['phone 86', '8613812345678', '*********5678'],
    ['phone +86 space', '+86 13812345678', '+** *******5678'],
    ['phone +86 grouped', '+86 138 1234 5678', '+** *** **** 5678'],
    ['phone 19x', '联系电话19912345678', '联系电话*******5678'],
    [
      'several in one sentence',
      '我的卡号是6222021234567890128，手机13812345678',
      '我的卡号是***************0128，手机*******5678',
    ],
    [
      'ID, card and phone',
      `身份证${ID_X}，卡号4111 1111 1111 1111，电话+86 138-1234-5678。`,
      '身份证**************109X，卡号**** **** **** 1111，电话+** ***-****-5678。',
    ],
    [
      'card and phone separated only by a space',
      '6222021234567890128 13812345678',
      '***************0128 *******5678',
    ],
  ])('%s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected)
    expect(containsSensitive(input)).toBe(true)
  })
})

describe('redact: false positives stay untouched', () => {
  it.each([
    ['16 digits failing Luhn', '卡号4111111111111112'],
    ['19 digits failing Luhn', '6222021234567890123'],
    ['18 digits with a wrong ID check digit', '110101199003071040'],
    ['ID with an impossible date', ID_BAD_DATE],
    ['12 digits', '编号123456789012'],
    ['22-digit order reference', '订单号2026112312345678901234'],
    ['order reference containing a valid card', '单号A4111111111111111'],
    ['card followed by letters', '4111111111111111abc'],
    ['amount', '金额12345.67元'],
    ['amount with a Luhn-valid integer part', '4222222222222.50'],
    ['phone-like number starting with 12', '12812345678'],
    ['phone inside a longer digit run', '9913812345678123'],
    ['phone with a leading digit', '013812345678'],
    ['phone with a trailing digit', '138123456789'],
    ['date', '2026-11-23'],
    ['date and time', '2026-11-23 10:30:00'],
    ['mixed separators', '4111 1111-1111 1111'],
    ['empty', ''],
  ])('%s', (_name, input) => {
    expect(redact(input)).toBe(input)
    expect(findSensitive(input)).toEqual([])
    expect(containsSensitive(input)).toBe(false)
  })
})

describe('redact: idempotence', () => {
  it.each([
    '我的卡号是6222021234567890128，手机13812345678',
    `身份证${ID_X}，卡号4111 1111 1111 1111，电话+86 138-1234-5678。`,
    '6222 0212 3456 7890 128 and 138 1234 5678',
    '+86 138 1234 5678',
    ID_LUHN,
    '无敏感信息 2026-11-23 金额 12345.67',
  ])('%s', (input) => {
    const once = redact(input)
    expect(redact(once)).toBe(once)
    expect(containsSensitive(once)).toBe(false)
  })
})

describe('findSensitive', () => {
  it('reports kinds, positions and masks in order', () => {
    const text = `电话 13812345678，卡 4111-1111-1111-1111，证件 ${ID_DIGIT}`
    const found = findSensitive(text)
    expect(found.map((f) => f.kind)).toEqual<RedactionKind[]>(['phone', 'card', 'id_number'])
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.original)
    expect(found[0]).toEqual({
      kind: 'phone',
      start: 3,
      end: 14,
      original: '13812345678',
      masked: '*******5678',
    })
    expect(found[1]).toEqual({
      kind: 'card',
      start: 17,
      end: 36,
      original: '4111-1111-1111-1111',
      masked: '****-****-****-1111',
    })
    expect(found[2]).toMatchObject({ kind: 'id_number', start: 40, end: 58 })
  })

  it('masks a valid ID that also passes Luhn once, as an ID', () => {
    expect(luhnValid(ID_LUHN)).toBe(true)
    expect(findSensitive(ID_LUHN)).toEqual([
      {
        kind: 'id_number',
        start: 0,
        end: 18,
        original: ID_LUHN,
        masked: '**************1102',
      },
    ])
  })

  it('reports a +86 phone as a phone, not as a 13-digit card', () => {
    expect(luhnValid('8613812345678')).toBe(true)
    expect(findSensitive('8613812345678').map((f) => f.kind)).toEqual(['phone'])
  })
})

describe('performance', () => {
  const texts: [string, string][] = [
    ['digits', '1'.repeat(5000)],
    ['spaced single digits', '1 '.repeat(2500)],
    ['dashed groups', '1234-'.repeat(1000)],
    ['repeated +86', '+86 '.repeat(1250)],
    ['repeated phone prefix', '138 '.repeat(1250)],
    [
      'mixed text',
      `我的卡号是6222021234567890128，手机13812345678，金额12345.67，${ID_X}。`.repeat(80),
    ],
  ]
  it.each(texts)('handles 5,000 characters of %s quickly', (_name, text) => {
    const started = performance.now()
    redact(text)
    expect(performance.now() - started).toBeLessThan(250)
  })
})
