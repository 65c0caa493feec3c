// Tiny but valid evidence files and form values for the browser journeys.
import crypto from 'node:crypto'
import zlib from 'node:zlib'

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A 2×2 red PNG. */
export function tinyPng(): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(2, 0)
  ihdr.writeUInt32BE(2, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  const rows = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A one-page PDF with a correct cross-reference table. */
export function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out))
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(out)
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

/** `YYYY-MM-DDTHH:MM` in China time (the form's zone), `daysAgo` days before now. */
export function chinaLocal(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000 + 8 * 3_600_000)
  return d.toISOString().slice(0, 16)
}

/**
 * Files a complaint over plain HTTP, as the no-JavaScript form does, and returns the tracking
 * path: for journeys that start after the filing (the filing itself has its own browser tests).
 */
export async function fileOverHttp(
  baseUrl: string,
  description: string,
): Promise<{ trackPath: string }> {
  const form = await (await fetch(`${baseUrl}/complaints/new?category=refund_not_received`)).text()
  const key = /name="idempotency_key" value="([^"]+)"/.exec(form)?.[1]
  const provider = /<select id="f-provider"[\s\S]*?<option value="([^"]+)"/.exec(form)?.[1]
  if (!key || !provider)
    throw new Error('the complaint form changed: no idempotency key or provider')
  const body = new FormData()
  const fields: [string, string][] = [
    ['category', 'refund_not_received'],
    ['idempotency_key', key],
    ['provider', provider],
    ['occurred_at', chinaLocal(5)],
    ['amount', '88.00'],
    ['currency', 'CNY'],
    ['description', description],
    ['desired_outcome', 'refund'],
    ['name', '王女士'],
    ['email', 'wang@example.com'],
    ['consent', 'yes'],
  ]
  for (const [k, v] of fields) body.append(k, v)
  const res = await fetch(`${baseUrl}/complaints`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { origin: baseUrl },
  })
  const location = res.headers.get('location')
  if (res.status !== 303 || !location?.startsWith('/track/'))
    throw new Error(`filing failed: ${res.status} ${await res.text()}`)
  return { trackPath: location }
}
