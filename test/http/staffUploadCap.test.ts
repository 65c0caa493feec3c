// The per-address upload cap guards the public forms against slow senders; a whole office of
// agents reaches us from one address, so an agent's attachments count per session instead.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import { fileViaHttp, multipart, PNG } from './complaints-helpers.js'
import { versionOf } from './ticketFixtures.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp({ env: { UPLOADS_PER_ADDRESS: '1' } })
})
afterEach(async () => {
  await t.close()
})

/** A multipart POST whose body stops half-way until `release()`: an upload under way. */
async function heldUpload(path: string, body: FormData, cookie?: string) {
  const encoded = new Response(body)
  const type = encoded.headers.get('content-type')!
  const bytes = new Uint8Array(await encoded.arrayBuffer())
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) {
        sent = 1
        return controller.enqueue(bytes.slice(0, 100))
      }
      await held
      controller.enqueue(bytes.slice(100))
      controller.close()
    },
  })
  const response = t.request(path, {
    method: 'POST',
    body: stream,
    cookie,
    headers: { origin: ORIGIN, 'content-type': type },
    duplex: 'half',
  } as RequestInit & { cookie?: string })
  // Let the server take the first part, so the upload counts as under way.
  await new Promise((r) => setTimeout(r, 50))
  return { response, release }
}

describe('the upload cap', () => {
  it('counts agents one session each, though they share an address, and complainants per address', async () => {
    const { token } = await fileViaHttp(t, {}, [])
    const { case_number: caseNumber } = await t.db
      .selectFrom('tickets')
      .select('case_number')
      .executeTakeFirstOrThrow()
    const a = await t.createStaff('agent')
    const b = await t.createStaff('agent')
    const cookieA = await t.signIn(a.email, a.password)
    const cookieB = await t.signIn(b.email, b.password)
    const version = String(await versionOf(t, caseNumber))
    const reply = (body: string) => multipart({ version, body }, [{ name: 'a.png', bytes: PNG }])

    const first = await heldUpload(`/tickets/${caseNumber}/actions/reply`, reply('一'), cookieA)
    const second = await t.request(`/tickets/${caseNumber}/actions/reply`, {
      method: 'POST',
      body: multipart({ version, body: '二' }),
      cookie: cookieB,
      headers: { origin: ORIGIN },
    })
    expect(second.status).toBe(303)
    first.release()
    // The first was built on the version before the second's reply: stale, but not refused as busy.
    expect((await first.response).status).toBe(409)

    // Two uploads of evidence by the complainant from one address: the second is refused.
    const complainant = await heldUpload(
      `/track/${token}/evidence`,
      multipart({}, [{ name: 'a.png', bytes: PNG }]),
    )
    const again = await t.request(`/track/${token}/evidence`, {
      method: 'POST',
      body: multipart({}, [{ name: 'a.png', bytes: PNG }]),
      headers: { origin: ORIGIN },
    })
    expect(again.status).toBe(429)
    complainant.release()
    expect((await complainant.response).status).toBeLessThan(500)
  })
})
