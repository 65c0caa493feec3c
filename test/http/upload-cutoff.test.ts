// A body that grows past the upload cap while a file is streaming: the answer is a 413 at once,
// not a request left hanging, and nothing received stays on disk.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import { PNG, evidenceFiles, validFields } from './complaints-helpers.js'

let t: TestApp
beforeEach(async () => {
  // Cap: 1 file × 1 MB + 1 MB of fields.
  t = await createTestApp({ env: { EVIDENCE_MAX_FILE_MB: '1', EVIDENCE_MAX_FILES: '1' } })
})
afterEach(async () => {
  await t.close()
})

it('answers 413 when an undeclared body passes the cap inside a file, leaving nothing behind', async () => {
  const boundary = '----laddercutoff'
  const head = Object.entries(validFields())
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map(
        (one) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`,
      ),
    )
    .join('')
  const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode(head + fileHead))
      const piece = new Uint8Array(64 * 1024).fill(7)
      if (sent === 0) piece.set(PNG.subarray(0, 8))
      controller.enqueue(piece)
      // Never ends on its own: only the cap stops it.
      sent++
      if (sent > 200) controller.close()
    },
  })
  const res = await Promise.race([
    t.request('/complaints', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { origin: ORIGIN, 'content-type': `multipart/form-data; boundary=${boundary}` },
    } as RequestInit),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
  ])
  expect(res?.status).toBe(413)
  expect(sent * 64 * 1024).toBeLessThan(4 * 1024 * 1024)
  expect(evidenceFiles(t)).toEqual([])
  expect(await t.db.selectFrom('tickets').select('id').execute()).toEqual([])
})
