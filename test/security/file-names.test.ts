// A file's name ends with the extension of what its bytes are: a text file named like a script
// or a shortcut cannot reach a download folder or a dossier under that name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { zipFileName } from '../../src/dossier/entries.js'
import { contentDisposition } from '../../src/evidence/serve.js'
import { createTestApp, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp, PDF, PNG } from '../http/complaints-helpers.js'
import { unzip } from '../http/dossier-helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const text = (s: string) => new TextEncoder().encode(s)
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1])
const GIF = text('GIF89a\x01\x00\x01\x00\x00\x00\x00;')

// [as uploaded, bytes, stored and served as]
const cases: [string, Uint8Array, string][] = [
  [
    'bank-statement.bat',
    text('@echo off\r\nstart https://evil.example\r\n'),
    'bank-statement.bat.txt',
  ],
  ['receipt.js', text('var refund = 128.50; // WScript.Shell\n'), 'receipt.js.txt'],
  [
    'refund-portal.url',
    text('[InternetShortcut]\r\nURL=https://evil.example/\r\n'),
    'refund-portal.url.txt',
  ],
  ['statement.csv.exe', text('date,amount\n2026-11-20,128.50\n'), 'statement.csv.exe.txt'],
  ['photo.exe', PNG, 'photo.exe.png'],
  ['scan.pdf', PNG, 'scan.pdf.png'],
  ['photo.png', PNG, 'photo.png'],
  ['scan.jpeg', JPEG, 'scan.jpeg'],
  ['SCAN.JPG', JPEG, 'SCAN.JPG'],
  ['anim.gif', GIF, 'anim.gif'],
  ['bill.pdf', PDF, 'bill.pdf'],
  ['notes.txt', text('called twice\n'), 'notes.txt'],
  ['notes.TEXT', text('called twice\n'), 'notes.TEXT'],
  ['export.csv', text('a,b\n1,2\n'), 'export.csv'],
  ['no-extension', text('plain words\n'), 'no-extension.txt'],
]

const plain = (s: string) => s.replace(/[^A-Za-z0-9 ._()+,=@~!#$&'[\]{}^-]/g, '_')

describe('the name a file is kept and served under', () => {
  for (const [uploaded, bytes, expected] of cases) {
    it(`keeps ${uploaded} as ${expected}, in the row and in both names of the download header`, async () => {
      const { token } = await fileViaHttp(t, {}, [{ name: uploaded, bytes }])
      const row = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
      expect(row.original_name).toBe(expected)
      const res = await t.get(`/track/${token}/evidence/${row.id}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="${plain(expected)}"; filename*=UTF-8''${encodeURIComponent(expected)}`,
      )
    })
  }

  it('keeps a Chinese name whole in filename*, with an ASCII stand-in of the right type in filename', async () => {
    const { token } = await fileViaHttp(t, {}, [
      { name: '银行流水 "11月".bat', bytes: text('转账记录\n') },
    ])
    const row = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
    expect(row.original_name).toBe('银行流水 "11月".bat.txt')
    const res = await t.get(`/track/${token}/evidence/${row.id}`)
    const disposition = res.headers.get('content-disposition')!
    expect(disposition).toBe(
      `attachment; filename="evidence-${row.id}.txt"; filename*=UTF-8''${encodeURIComponent('银行流水 "11月".bat.txt')}`,
    )
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!
    expect(decodeURIComponent(encoded)).toBe('银行流水 "11月".bat.txt')
    // Only attr-chars after UTF-8'': nothing a header parser could split on.
    expect(encoded).toMatch(/^[A-Za-z0-9%._~!$&+^`|-]+$/)
  })

  it('puts the same names in the dossier ZIP, and gives the ZIP itself both names', async () => {
    await fileViaHttp(t, {}, [
      { name: 'bank-statement.bat', bytes: text('@echo off\r\n') },
      { name: 'receipt.js', bytes: text('var a = 1\n') },
      {
        name: 'refund-portal.url',
        bytes: text('[InternetShortcut]\r\nURL=https://evil.example/\r\n'),
      },
      { name: '截图.png', bytes: PNG },
      { name: 'scan.jpeg', bytes: JPEG },
    ])
    const agent = await t.createStaff('agent')
    const cookie = await t.signIn(agent.email, agent.password)
    const { case_number: caseNumber } = await t.db
      .selectFrom('tickets')
      .select('case_number')
      .executeTakeFirstOrThrow()
    const res = await t.get(`/tickets/${caseNumber}/dossier.zip`, { cookie })
    expect(res.status).toBe(200)
    const zipName = `${caseNumber}-dossier.zip`
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${zipName}"; filename*=UTF-8''${zipName}`,
    )
    const zip = await unzip(Buffer.from(await res.arrayBuffer()))
    expect(zip.names.filter((n) => n.startsWith('evidence/'))).toEqual([
      'evidence/01-bank-statement.bat.txt',
      'evidence/02-receipt.js.txt',
      'evidence/03-refund-portal.url.txt',
      'evidence/04-截图.png',
      'evidence/05-scan.jpeg',
    ])
  })

  it('gives a report download both names too', async () => {
    const manager = await t.createStaff('manager')
    const cookie = await t.signIn(manager.email, manager.password)
    const res = await t.get('/reports/funnel.csv', { cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="ladder-funnel-[\d-]+to-[\d-]+\.csv"; filename\*=UTF-8''ladder-funnel-[\d-]+to-[\d-]+\.csv$/,
    )
  })

  it('also renames a row kept before names were tied to types, in downloads and dossiers', () => {
    expect(contentDisposition({ id: 7, mime: 'text/plain', original_name: 'receipt.js' })).toBe(
      `attachment; filename="receipt.js.txt"; filename*=UTF-8''receipt.js.txt`,
    )
    expect(zipFileName(3, 2, 'refund-portal.url', 'text/plain')).toBe('03-refund-portal.url.txt')
    expect(zipFileName(4, 2, 'photo.png', 'image/png')).toBe('04-photo.png')
  })
})
