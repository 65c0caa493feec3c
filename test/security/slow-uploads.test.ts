// Slow senders against the real server (startServer, as `npm start` runs it, over sockets): one
// client address cannot take every upload slot, an upload that trickles is cut off with a 408
// and leaves nothing on disk, and headers that never finish are cut off by Node itself.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/http/logger.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { en } from '../../src/i18n/messages/common.js'
import { multipart, PNG, validFields } from '../http/complaints-helpers.js'
import { freePort } from '../reliability/server.js'

let server: RunningServer | null = null
let dataDir = ''
const sockets: net.Socket[] = []

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await server?.close()
  server = null
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function start(env: Record<string, string>) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-slowup-'))
  const port = await freePort()
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...env,
  })
  server = await startServer(config, silentLogger())
  return { port, base: `http://127.0.0.1:${port}` }
}

const incoming = () => {
  const dir = path.join(dataDir, 'evidence', 'incoming')
  return fs.existsSync(dir) ? fs.readdirSync(dir) : []
}

/** A whole filing with one PNG, as a browser encodes it. */
async function filingBody() {
  const encoded = new Response(multipart(validFields(), [{ name: 'shot.png', bytes: PNG }]))
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    type: encoded.headers.get('content-type')!,
  }
}

/** Posts a whole filing from `localAddress` (127.0.0.0/8 is all this host on Linux). */
async function fileFrom(
  port: number,
  localAddress: string,
): Promise<{ status: number; text: string }> {
  const { body, type } = await filingBody()
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/complaints',
        headers: {
          origin: `http://127.0.0.1:${port}`,
          'content-type': type,
          'content-length': body.length,
          'accept-language': 'en',
        },
      },
      (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode!, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

interface SlowUpload {
  /** What the server answered so far. */
  response(): string
  /** Sends more of the file. */
  send(bytes: Uint8Array): void
  closed(): boolean
}

/** Opens an upload from `localAddress` that sends its fields and the start of a file, then only what `send` adds. */
function slowUpload(
  port: number,
  localAddress: string,
  firstFileBytes: Uint8Array = PNG.subarray(0, 8),
): Promise<SlowUpload> {
  const boundary = '----ladderslowsender'
  const fields = Object.entries(validFields())
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map(
        (one) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`,
      ),
    )
    .join('')
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`
  const head =
    `POST /complaints HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nAccept-Language: en\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n`
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress })
    sockets.push(socket)
    let response = ''
    let closed = false
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')))
    socket.on('close', () => (closed = true))
    socket.on('error', () => (closed = true))
    socket.once('connect', () => {
      socket.write(head + fields + fileHead)
      socket.write(firstFileBytes)
      resolve({
        response: () => response,
        send: (b) => void (socket.destroyed || socket.write(b)),
        closed: () => closed,
      })
    })
    socket.once('error', reject)
  })
}

const until = async (what: () => boolean, ms: number) => {
  const end = Date.now() + ms
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
  return what()
}

describe('slow uploads', () => {
  it('lets a filing from another address through while forty slow uploads from one address hang', async () => {
    // A window long enough that the slow senders are never cut off during the test.
    const { port } = await start({ UPLOAD_MIN_RATE_WINDOW_S: '600' })
    const slow = await Promise.all(Array.from({ length: 40 }, () => slowUpload(port, '127.0.0.2')))
    // One byte every two seconds from each of them, as the attack did.
    const trickle = setInterval(() => slow.forEach((s) => s.send(new Uint8Array([7]))), 2000)
    try {
      // All but the allowed three are refused at once, in the sender's language.
      expect(
        await until(
          () => slow.filter((s) => /^HTTP\/1\.1 429/.test(s.response())).length === 37,
          10_000,
        ),
      ).toBe(true)
      const refused = slow.find((s) => s.response() !== '')!
      expect(refused.response()).toMatch(/\r\nconnection: close\r\n/i)
      expect(refused.response()).toContain(en['error.uploadsBusy'])

      const filed = await fileFrom(port, '127.0.0.3')
      expect(filed.status).toBe(303)
      // The three still hang, holding their slots, and the slow address itself is still capped.
      expect(slow.filter((s) => s.response() === '')).toHaveLength(3)
      const fourth = await slowUpload(port, '127.0.0.2')
      expect(await until(() => /^HTTP\/1\.1 429/.test(fourth.response()), 5000)).toBe(true)
    } finally {
      clearInterval(trickle)
    }
  }, 30_000)

  it('counts per address: when its uploads end, the same address may file again', async () => {
    const { port } = await start({ UPLOAD_MIN_RATE_WINDOW_S: '600', UPLOADS_PER_ADDRESS: '2' })
    const held = await Promise.all([slowUpload(port, '127.0.0.4'), slowUpload(port, '127.0.0.4')])
    const third = await slowUpload(port, '127.0.0.4')
    expect(await until(() => /^HTTP\/1\.1 429/.test(third.response()), 5000)).toBe(true)
    expect((await fileFrom(port, '127.0.0.4')).status).toBe(429)
    expect((await fileFrom(port, '127.0.0.5')).status).toBe(303)
    // The two held uploads give up: their slots are that address's again.
    for (const s of sockets.splice(0)) s.destroy()
    expect(await until(() => held.every((s) => s.closed()), 2000)).toBe(true)
    // The server learns of the closed sockets a moment later.
    let status = 0
    for (let i = 0; i < 50 && status !== 303; i++) {
      status = (await fileFrom(port, '127.0.0.4')).status
      if (status !== 303) await new Promise((r) => setTimeout(r, 100))
    }
    expect(status).toBe(303)
  }, 30_000)

  it('answers 408 to an upload that arrives too slowly, and removes what it had staged', async () => {
    const { port } = await start({
      UPLOAD_MIN_RATE_BYTES_PER_S: '1000',
      UPLOAD_MIN_RATE_WINDOW_S: '1',
    })
    // Enough at once for the file to be written out to a temporary file, then a trickle.
    const head = new Uint8Array(300 * 1024).fill(9)
    head.set(PNG.subarray(0, 8))
    const upload = await slowUpload(port, '127.0.0.6', head)
    expect(await until(() => incoming().length === 1, 3000)).toBe(true)
    const trickle = setInterval(() => upload.send(new Uint8Array([7])), 200)
    try {
      expect(await until(() => /\r\n\r\n/.test(upload.response()), 10_000)).toBe(true)
    } finally {
      clearInterval(trickle)
    }
    expect(upload.response()).toMatch(/^HTTP\/1\.1 408/)
    expect(upload.response()).toMatch(/\r\nconnection: close\r\n/i)
    expect(await until(() => upload.response().includes(en['error.408']), 2000)).toBe(true)
    expect(incoming()).toEqual([])
    // The server is fine, and the sender's address may file at once.
    expect((await fileFrom(port, '127.0.0.6')).status).toBe(303)
  }, 30_000)

  it('cuts off a client whose headers never finish', async () => {
    const { port } = await start({ HTTP_HEADERS_TIMEOUT_S: '1' })
    const socket = net.connect({ port, host: '127.0.0.1' })
    sockets.push(socket)
    let response = ''
    let closed = false
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')))
    socket.on('close', () => (closed = true))
    socket.on('error', () => (closed = true))
    socket.write(`POST /complaints HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `)
    expect(await until(() => closed, 8000)).toBe(true)
    expect(response).toMatch(/^HTTP\/1\.1 408/)
  }, 20_000)
})
