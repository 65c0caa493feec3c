import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ORIGIN, type TestApp } from '../helpers/testApp.js'

// Shared by the complainant-side HTTP tests: a valid complaint as a browser would send it.

export const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3,
])
export const PDF = new TextEncoder().encode(
  '%PDF-1.4\n%âãÏÓ\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n',
)
export const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])
export const SVG = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
)

export interface Upload {
  name: string
  bytes: Uint8Array
  type?: string
}

export const validFields = (): Record<string, string | string[]> => ({
  category: 'refund_not_received',
  provider: 'alipay',
  occurred_at: '2026-11-20T14:30',
  amount: '128.50',
  currency: 'CNY',
  transaction_ref: 'T2026112000001',
  merchant: '美团外卖',
  description: '退款显示成功已经20天，钱包没有收到。',
  desired_outcome: 'refund',
  self_help: ['check_refund_status'],
  name: '王芳',
  email: 'wang@example.com',
  phone: '',
  consent: 'yes',
  idempotency_key: randomBytes(18).toString('base64url'),
})

export function multipart(
  fields: Record<string, string | string[] | undefined>,
  files: Upload[] = [],
  fileField = 'evidence',
): FormData {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    for (const one of Array.isArray(v) ? v : [v]) fd.append(k, one)
  }
  for (const f of files)
    fd.append(
      fileField,
      new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }),
      f.name,
    )
  return fd
}

export function postMultipart(
  t: TestApp,
  path: string,
  body: FormData,
  headers: Record<string, string> = {},
) {
  return t.request(path, { method: 'POST', body, headers: { origin: ORIGIN, ...headers } })
}

/** Files a valid complaint through HTTP and returns its tracking path and token. */
export async function fileViaHttp(
  t: TestApp,
  overrides: Record<string, string | string[] | undefined> = {},
  files: Upload[] = [],
  headers: Record<string, string> = {},
) {
  const res = await postMultipart(
    t,
    '/complaints',
    multipart({ ...validFields(), ...overrides }, files),
    headers,
  )
  if (res.status !== 303)
    throw new Error(`filing failed with ${res.status}: ${(await res.text()).slice(0, 500)}`)
  const location = res.headers.get('location')!
  return { location, token: location.split('/').pop()! }
}

export function evidenceFiles(t: TestApp): string[] {
  // Walks DATA_DIR/evidence/xx/sha256; temporary files count too.
  const root = t.config.evidenceDir
  if (!fs.existsSync(root)) return []
  return fs.readdirSync(root).flatMap((d) => {
    const sub = path.join(root, d)
    return fs.statSync(sub).isDirectory() ? fs.readdirSync(sub) : []
  })
}
