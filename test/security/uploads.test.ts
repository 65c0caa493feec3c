import { createHash } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, html, type TestApp } from '../helpers/testApp.js'
import {
  evidenceFiles,
  fileViaHttp,
  multipart,
  PDF,
  PNG,
  postMultipart,
  validFields,
} from '../http/complaints-helpers.js'
import { startChildServer, type ChildServer } from '../reliability/server.js'

// Hostile uploads beyond the plain cases in test/http/complaints.test.ts (renamed executable,
// SVG, HTML, shell script, ELF, zip, empty file, too many, too large): polyglots, which pass a
// byte check and must then be harmless when served; hostile names; and an oversized body sent
// slowly to the real server.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => {
  await t.close()
})

const EN = { 'accept-language': 'en' }
const enc = (s: string) => new TextEncoder().encode(s)
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const ZIP_TAIL = cat(
  new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]),
  enc('payload.exe'),
  new Uint8Array(64).fill(0x41),
)

const polyglots: [string, { name: string; bytes: Uint8Array }, string][] = [
  [
    'a GIF that is also JavaScript',
    {
      name: 'pic.gif',
      bytes: enc('GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;alert(document.domain)//'),
    },
    'image/gif',
  ],
  [
    'a PDF with an HTML page inside',
    { name: 'doc.pdf', bytes: cat(PDF, enc('<html><script>alert(1)</script></html>')) },
    'application/pdf',
  ],
  [
    'a PNG with a ZIP archive appended',
    { name: 'shot.png', bytes: cat(PNG, ZIP_TAIL) },
    'image/png',
  ],
  [
    'a JPEG with a script in its comment',
    {
      name: 'a.jpg',
      bytes: cat(new Uint8Array([0xff, 0xd8, 0xff, 0xfe, 0, 40]), enc('<script>alert(1)</script>')),
    },
    'image/jpeg',
  ],
]

describe('polyglot files', () => {
  for (const [what, file, mime] of polyglots) {
    it(`stores ${what} only as its sniffed type, and serves it as an inert download`, async () => {
      const { token } = await fileViaHttp(t, {}, [file])
      const row = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
      expect(row.mime).toBe(mime)
      const res = await t.get(`/track/${token}/evidence/${row.id}`)
      expect(res.status).toBe(200)
      // Never text/html or a script type, never inline, never sniffed, never run in our origin.
      expect(res.headers.get('content-type')).toBe(mime)
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="${file.name}"; filename*=UTF-8''${file.name}`,
      )
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(file.bytes)
      // The agent's copy is served the same way.
      const staff = await t.createStaff('agent')
      const cookie = await t.signIn(staff.email, staff.password)
      const ticket = await t.db
        .selectFrom('tickets')
        .select('case_number')
        .executeTakeFirstOrThrow()
      const agentRes = await t.get(`/tickets/${ticket.case_number}/evidence/${row.id}`, { cookie })
      expect(agentRes.status).toBe(200)
      expect(agentRes.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(agentRes.headers.get('content-security-policy')).toMatch(/^sandbox/)
    })
  }
})

const refused: [string, { name: string; bytes: Uint8Array }][] = [
  [
    'HTML behind a byte-order mark and blank lines',
    { name: 'a.txt', bytes: enc('\ufeff\n\n  <html><body onload=alert(1)>') },
  ],
  [
    'HTML encoded as UTF-16',
    {
      name: 'a.txt',
      bytes: new Uint8Array(Buffer.from('\ufeff<html><script>alert(1)</script>', 'utf16le')),
    },
  ],
  [
    'text with a script tag in the middle',
    {
      name: 'notes.txt',
      bytes: enc('Order 123 refunded\n<script src=//evil.example/x.js></script>\n'),
    },
  ],
  [
    'an XML/SVG document without the .svg name',
    {
      name: 'img.png',
      bytes: enc(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      ),
    },
  ],
  [
    'a Windows executable named .pdf with a PDF header later on',
    { name: 'x.pdf', bytes: cat(new Uint8Array([0x4d, 0x5a, 0x90, 0]), PDF) },
  ],
  ['a CSV with a NUL byte', { name: 'a.csv', bytes: enc('a,b\n1,\u00002\n') }],
]

describe('files that look harmless but are not', () => {
  for (const [what, file] of refused) {
    it(`refuses ${what}, storing nothing`, async () => {
      const res = await postMultipart(t, '/complaints', multipart(validFields(), [file]), EN)
      expect(res.status).toBe(422)
      expect((await html(res)).text('#f-evidence-error')).toContain('not an accepted kind of file')
      expect(evidenceFiles(t)).toEqual([])
      expect(await t.db.selectFrom('tickets').selectAll().execute()).toHaveLength(0)
    })
  }
})

describe('hostile file names', () => {
  const names: [string, string, (stored: string) => void][] = [
    ['a path that climbs out', '../../../../etc/passwd.png', (s) => expect(s).toBe('passwd.png')],
    ['a Windows path', '..\\..\\boot.ini.png', (s) => expect(s).toBe('boot.ini.png')],
    ['only dots', '..', (s) => expect(s).toBe('file.png')],
    ['a NUL byte', 'good.png\u0000.exe', (s) => expect(s).not.toContain('\u0000')],
    [
      'a right-to-left override',
      'invoice\u202Egnp.exe',
      (s) => expect(s).toBe('invoicegnp.exe.png'),
    ],
    [
      'zero-width and control characters',
      'a\u200Bb\u0007c\r\n.png',
      (s) => expect(s).toBe('abc.png'),
    ],
    [
      '300 characters',
      `${'很'.repeat(296)}.png`,
      (s) => expect([...s].length).toBeLessThanOrEqual(120),
    ],
    [
      'quotes and a header break',
      'a";\r\nSet-Cookie: x=1.png',
      (s) => expect(s).not.toMatch(/[\r\n]/),
    ],
  ]
  for (const [what, name, expectName] of names) {
    it(`keeps ${what} out of the stored name, the disk and the download header`, async () => {
      const { token } = await fileViaHttp(t, {}, [{ name, bytes: PNG }])
      const row = await t.db.selectFrom('evidence').selectAll().executeTakeFirstOrThrow()
      expectName(row.original_name)
      // On disk the file is only ever evidence/xx/<sha256>.
      const sha = createHash('sha256').update(PNG).digest('hex')
      expect(evidenceFiles(t)).toEqual([sha])
      expect(fs.readdirSync(t.dataDir).sort()).toEqual(
        expect.arrayContaining(['evidence', 'ladder.db']),
      )
      expect(
        fs
          .readdirSync(t.dataDir)
          .filter((f) => !/^(evidence|mail|ladder\.db(-wal|-shm)?)$/.test(f)),
      ).toEqual([])
      const res = await t.get(`/track/${token}/evidence/${row.id}`)
      const disposition = res.headers.get('content-disposition') ?? ''
      expect(disposition).toMatch(
        /^attachment; filename="[\w .()+,=@~!#$&'[\]{}^-]+\.png"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+^`|-]*\.png$/,
      )
      expect(res.headers.get('set-cookie')).toBeNull()
      // Shown as text on the tracking page, never as markup.
      const page = await html(await t.get(`/track/${token}`))
      expect(page.document.querySelector('[onload], script:not([src])')).toBeNull()
    })
  }
})

// ---------------------------------------------------------------------------------------------
// An oversized body trickled to the real server over a socket.

describe('an oversized body sent slowly to the running server', () => {
  let server: ChildServer | null = null
  let dataDir = ''
  afterEach(async () => {
    await server?.stop()
    server = null
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  function rssKb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  }

  /** Sends the head, then trickles up to `total` body bytes; resolves with what came back and when. */
  function trickle(port: number, head: string, total: number, chunked: boolean) {
    return new Promise<{ response: string; sentWhenAnswered: number; closed: boolean }>(
      (resolve) => {
        const socket = net.connect(port, '127.0.0.1')
        let sent = 0
        let sentWhenAnswered = -1
        let response = ''
        let done = false
        const finish = (closed: boolean) => {
          if (done) return
          done = true
          clearInterval(timer)
          socket.destroy()
          resolve({
            response,
            sentWhenAnswered: sentWhenAnswered < 0 ? sent : sentWhenAnswered,
            closed,
          })
        }
        socket.on('data', (d) => {
          if (sentWhenAnswered < 0) sentWhenAnswered = sent
          response += d.toString('latin1')
          if (/\r\n\r\n/.test(response)) setTimeout(() => finish(false), 50)
        })
        socket.on('error', () => finish(true))
        socket.on('close', () => finish(true))
        socket.write(head)
        const piece = Buffer.alloc(64 * 1024, 0x41)
        const timer = setInterval(() => {
          if (done || socket.destroyed) return
          if (sent >= total) {
            clearInterval(timer)
            if (chunked) socket.write('0\r\n\r\n')
            return
          }
          sent += piece.length
          socket.write(
            chunked
              ? Buffer.concat([
                  Buffer.from(`${piece.length.toString(16)}\r\n`),
                  piece,
                  Buffer.from('\r\n'),
                ])
              : piece,
          )
        }, 5)
      },
    )
  }

  it('streams a large accepted file to disk instead of holding it in memory', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-big-'))
    server = await startChildServer(dataDir, {
      EVIDENCE_MAX_FILE_MB: '64',
      EVIDENCE_MAX_FILES: '1',
    })
    // Settle the server's own start-up allocations before the baseline.
    expect((await fetch(`${server.base}/complaints/new?category=refund_not_received`)).status).toBe(
      200,
    )
    const pid = server.child.pid!
    const rssBefore = rssKb(pid)
    let peak = rssBefore
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 20)

    const boundary = '----ladderbigupload'
    const text = Object.entries(validFields())
      .flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map(
          (one) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`,
        ),
      )
      .join('')
    const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="长截图.png"\r\nContent-Type: image/png\r\n\r\n`
    const pieces = 48 * 16 // 48 MB in 64 KB pieces, a PNG signature first
    const hash = createHash('sha256')
    let n = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n === 0) controller.enqueue(enc(text + fileHead))
        if (n < pieces) {
          const piece = new Uint8Array(64 * 1024).fill(n % 251)
          if (n === 0) piece.set(PNG.subarray(0, 8))
          hash.update(piece)
          controller.enqueue(piece)
        } else if (n === pieces) controller.enqueue(enc(`\r\n--${boundary}--\r\n`))
        else controller.close()
        n++
      },
    })
    const res = await fetch(`${server.base}/complaints`, {
      method: 'POST',
      body,
      headers: { origin: server.base, 'content-type': `multipart/form-data; boundary=${boundary}` },
      redirect: 'manual',
      duplex: 'half',
    } as RequestInit)
    clearInterval(sampler)
    expect(res.status).toBe(303)
    const sha = hash.digest('hex')
    // Stored whole under its hash, and nothing left behind in the receiving directory.
    expect(fs.statSync(path.join(dataDir, 'evidence', sha.slice(0, 2), sha)).size).toBe(
      pieces * 64 * 1024,
    )
    expect(fs.readdirSync(path.join(dataDir, 'evidence', 'incoming'))).toEqual([])
    // Parsed in memory, this upload raised RSS by ≈ 280 MB (the body and the file alone are
    // 96 MB); streamed, by ≈ 35 MB of read pieces waiting for the garbage collector.
    expect(peak - rssBefore).toBeLessThan(80 * 1024)
  }, 60_000)

  it('answers 413 early, whether the size is declared or not, with bounded memory and nothing stored', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-slow-'))
    // A cap of 1 file × 1 MB + 1 MB of fields = 2 MB.
    server = await startChildServer(dataDir, { EVIDENCE_MAX_FILE_MB: '1', EVIDENCE_MAX_FILES: '1' })
    const cap = 2 * 1024 * 1024
    const rssBefore = rssKb(server.child.pid!)
    const boundary = '----ladderslowupload'
    const total = 40 * 1024 * 1024
    const common = `POST /complaints HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.base}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n`

    // Declared too large: refused before the body is read.
    const declared = await trickle(
      server.port,
      `${common}Content-Length: ${total}\r\n\r\n`,
      total,
      false,
    )
    expect(declared.response).toMatch(/^HTTP\/1\.1 413/)
    expect(declared.sentWhenAnswered).toBeLessThan(cap)

    // Undeclared (chunked): counted as it arrives, refused once past the cap.
    const chunked = await trickle(
      server.port,
      `${common}Transfer-Encoding: chunked\r\n\r\n`,
      total,
      true,
    )
    expect(chunked.response).toMatch(/^HTTP\/1\.1 413/)
    expect(chunked.sentWhenAnswered).toBeLessThan(cap + 2 * 1024 * 1024)

    // Lying: a small declared length with more bytes behind it never gets past the parser.
    const lying = await trickle(
      server.port,
      `${common}Content-Length: 1000\r\n\r\n`,
      4 * 1024 * 1024,
      false,
    )
    expect(lying.response).toMatch(/^HTTP\/1\.1 (400|413|415|422)/)

    const rssAfter = rssKb(server.child.pid!)
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024)
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200)
    const stored = fs.existsSync(path.join(dataDir, 'evidence'))
      ? fs.readdirSync(path.join(dataDir, 'evidence'))
      : []
    expect(stored).toEqual([])
  }, 60_000)
})
