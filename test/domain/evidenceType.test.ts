import { describe, expect, it } from 'vitest'
import { parseLocalDateTime, formatLocalDateTime } from '../../src/i18n/localTime.js'
import { sanitizeFileName } from '../../src/evidence/names.js'
import { detectEvidenceType } from '../../src/evidence/sniff.js'

const bytes = (...b: number[]) => new Uint8Array(b)
const text = (s: string) => new TextEncoder().encode(s)

describe('detectEvidenceType', () => {
  const cases: [string, Uint8Array, string, string | null][] = [
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), 'a.bin', 'image/png'],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'a', 'image/jpeg'],
    ['GIF89a', text('GIF89a\u0001\u0000'), 'x.txt', 'image/gif'],
    ['WebP', new Uint8Array([...text('RIFF'), 0, 0, 0, 0, ...text('WEBPVP8 ')]), 'w', 'image/webp'],
    ['PDF', text('%PDF-1.7\n'), 'doc.png', 'application/pdf'],
    ['plain UTF-8 text', text('退款未到账。\r\n第二行\t'), 'chat.txt', 'text/plain'],
    ['text named .csv', text('a,b\n1,2\n'), 'export.CSV', 'text/csv'],
    [
      'text with a BOM',
      new Uint8Array([0xef, 0xbb, 0xbf, ...text('hello')]),
      'a.txt',
      'text/plain',
    ],
    ['a Windows executable named .png', bytes(0x4d, 0x5a, 0x90, 0, 3, 0), 'a.png', null],
    ['an ELF binary', bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1), 'a.pdf', null],
    ['a zip', bytes(0x50, 0x4b, 3, 4, 20, 0), 'a.csv', null],
    ['SVG', text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.png', null],
    ['SVG after an XML prolog', text('<?xml version="1.0"?><svg/>'), 'a.txt', null],
    ['HTML', text('<!DOCTYPE html><html></html>'), 'a.txt', null],
    ['HTML after some text', text('hello\n<script>alert(1)</script>'), 'a.txt', null],
    ['a shell script', text('#!/bin/sh\necho hi\n'), 'a.txt', null],
    ['text with a NUL', text('abc\u0000def'), 'a.txt', null],
    ['invalid UTF-8', bytes(0xc3, 0x28, 0x41), 'a.txt', null],
    ['an empty file', bytes(), 'a.txt', null],
    [
      'MZ text is still text-checked',
      text('MZ is a valid two-letter start'),
      'a.txt',
      'text/plain',
    ],
  ]
  for (const [what, data, name, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${what}`, () => {
      expect(detectEvidenceType(data, name)).toBe(expected)
    })
  }
})

describe('sanitizeFileName', () => {
  it('strips path parts, control and bidi characters, and keeps the extension when shortening', () => {
    expect(sanitizeFileName('C:\\Users\\wang\\截图.png')).toBe('截图.png')
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd')
    expect(sanitizeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe')
    expect(sanitizeFileName('a\u0000b\u200Bc\n.txt')).toBe('abc.txt')
    expect(sanitizeFileName('..')).toBe('file')
    expect(sanitizeFileName('')).toBe('file')
    const long = sanitizeFileName('长'.repeat(300) + '.pdf')
    expect([...long].length).toBe(120)
    expect(long.endsWith('….pdf')).toBe(true)
  })
})

describe('parseLocalDateTime in Asia/Shanghai', () => {
  it('reads wall time as UTC+8', () => {
    expect(parseLocalDateTime('2026-11-20T14:30', 'Asia/Shanghai')).toBe(
      Date.UTC(2026, 10, 20, 6, 30),
    )
    expect(parseLocalDateTime('2026-01-01 00:00', 'Asia/Shanghai')).toBe(
      Date.UTC(2025, 11, 31, 16, 0),
    )
    expect(parseLocalDateTime('2026-11-20T14:30:15', 'Asia/Shanghai')).toBe(
      Date.UTC(2026, 10, 20, 6, 30, 15),
    )
  })
  it('refuses what is not a real date and time', () => {
    for (const s of [
      '2026-02-30T10:00',
      '2026-13-01T00:00',
      '2026-11-20T24:00',
      '2026-11-20',
      'yesterday',
      '1969-12-31T23:59',
    ]) {
      expect(parseLocalDateTime(s, 'Asia/Shanghai'), s).toBeNull()
    }
  })
  it('formats an instant for a datetime-local field', () => {
    expect(formatLocalDateTime(Date.UTC(2026, 10, 23, 2, 0), 'Asia/Shanghai')).toBe(
      '2026-11-23T10:00',
    )
  })
})
