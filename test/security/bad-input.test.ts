import net from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterReplySettled } from '../../src/http/afterReply.js'
import { REPORT_NAMES } from '../../src/reports/service.js'
import { FORM_ACTIONS } from '../../src/tickets/schemas.js'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import { file } from '../helpers/tickets.js'
import { evidenceFiles, fileViaHttp, PNG, validFields } from '../http/complaints-helpers.js'
import { parseHTML } from '../helpers/html.js'

// Property-based: every form and query the app reads gets random Unicode, control characters,
// huge strings, numbers at and past their limits, malformed dates, repeated and missing fields,
// wrong content types and truncated multipart bodies; every query parameter and header the app
// reads also gets CR, LF, tab and backslash (in-process, and raw over a real socket). The answer
// is a 2xx/3xx for input that happens to be valid, otherwise a 4xx page with a message; never a
// 5xx; and a 4xx writes nothing (no ticket, event, evidence row or file, outbox mail, contact,
// user or provider).

const RUNS = Number(process.env['FC_RUNS'] ?? 100)

let t: TestApp
let admin: string
let token: string
let caseNumber: string

beforeAll(async () => {
  // Mail and ids are real; X-Forwarded-For spreads the filings over addresses, so the filing
  // rate limit (tested in abuse.test.ts) does not turn every later valid filing into a 429.
  t = await createTestApp({ env: { TRUST_PROXY: 'true' } })
  const staff = await t.createStaff('admin')
  admin = await t.signIn(staff.email, staff.password)
  ;({ token } = await fileViaHttp(t))
  caseNumber = (await file(t.db, t.now())).ticket.case_number
})
afterAll(async () => {
  await t.close()
})

// ---------------------------------------------------------------------------------------------
// Values

const HUGE = [
  'x'.repeat(300_000),
  '字'.repeat(50_000),
  '𝕏'.repeat(30_000),
  '\u0000'.repeat(10_000),
  'a\r\n'.repeat(20_000),
]
const EDGE_NUMBERS = [
  '0',
  '-0',
  '-1',
  '1',
  '0.001',
  '0.005',
  '1e309',
  '-1e309',
  '1e-400',
  'NaN',
  'Infinity',
  '-Infinity',
  '9007199254740991',
  '9007199254740993',
  '99999999999999999999',
  '999999999999.99',
  '1000000000000',
  '0x10',
  '1_000',
  '１２３',
  '١٢٣',
  '12,50',
  '12.345',
  '  7  ',
  '+5',
  '2147483648',
  '-2147483649',
  '1'.repeat(400),
]
const EDGE_DATES = [
  '',
  '2026-02-30T10:00',
  '2026-13-01T00:00',
  '2026-11-23T24:00',
  '2026-11-23T23:60',
  '0000-01-01T00:00',
  '9999-12-31T23:59',
  '+275760-09-13T00:00',
  '2026-11-23',
  '2026-11-23T10:00:00Z',
  '2026-11-23T10:00+08:00',
  '23/11/2026 10:00',
  'yesterday',
  '2026-11-23T10:00\u0000',
  '2026-03-29T02:30',
  '1969-12-31T23:59',
  '2026-1-1T1:1',
  '2026-11-22',
  '2026-00-10',
  '2099-01-01',
]
const CONTROL = fc.string({
  unit: fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u0007',
    '\b',
    '\t',
    '\n',
    '\r',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u2029',
    '\u202e',
    '\u200b',
    '\ufeff',
    '\ud800',
    '\udfff',
    'a',
    '%',
    '&',
    '=',
    '"',
    "'",
    '<',
  ),
})

const nasty: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }), weight: 2 },
  { arbitrary: CONTROL, weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_DATES), weight: 2 },
  { arbitrary: fc.constantFrom(...HUGE), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'none',
      'me',
      'all',
      'open',
      'null',
      'undefined',
      '[]',
      '{}',
      "' OR 1=1 --",
      '../../etc/passwd',
      '%00',
      '%ZZ',
    ),
    weight: 2,
  },
)

/** A field: missing, once, or repeated. */
const fieldValue = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: nasty, weight: 6 },
  { arbitrary: fc.array(nasty, { minLength: 2, maxLength: 3 }), weight: 1 },
)

type Fields = Record<string, string | string[] | undefined>

/** Some of `valid` replaced with hostile values, so parsing gets past the first check. */
function mutated(valid: () => Fields, names: string[]): fc.Arbitrary<Fields> {
  const changes = fc.record(
    Object.fromEntries(
      names.map((n) => [n, fc.option(fieldValue, { nil: null, freq: 2 })]),
    ) as Record<string, fc.Arbitrary<string | string[] | undefined | null>>,
  )
  return changes.map((c) => {
    const out: Fields = { ...valid() }
    for (const [k, v] of Object.entries(c)) if (v !== null) out[k] = v
    return out
  })
}

type Encoding = 'urlencoded' | 'multipart' | 'truncated' | 'text' | 'json' | 'none'
const encoding = fc.oneof(
  { arbitrary: fc.constantFrom<Encoding>('urlencoded', 'multipart'), weight: 6 },
  { arbitrary: fc.constantFrom<Encoding>('truncated', 'text', 'json', 'none'), weight: 3 },
)

// ---------------------------------------------------------------------------------------------
// Sending and checking

async function encode(
  fields: Fields,
  how: Encoding,
  cut: number,
  files: { name: string; bytes: Uint8Array }[] = [],
) {
  const flat: [string, string][] = []
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    for (const one of Array.isArray(v) ? v : [v]) flat.push([k, one])
  }
  if (how === 'urlencoded')
    return { body: new URLSearchParams(flat).toString(), type: 'application/x-www-form-urlencoded' }
  if (how === 'text')
    return { body: flat.map(([k, v]) => `${k}=${v}`).join('\n'), type: 'text/plain' }
  if (how === 'json')
    return { body: JSON.stringify(Object.fromEntries(flat)), type: 'application/json' }
  if (how === 'none') return { body: new URLSearchParams(flat).toString(), type: null }
  const fd = new FormData()
  for (const [k, v] of flat) fd.append(k, v)
  for (const f of files) fd.append('evidence', new Blob([f.bytes]), f.name)
  const res = new Response(fd)
  const type = res.headers.get('content-type')!
  const bytes = new Uint8Array(await res.arrayBuffer())
  if (how === 'multipart') return { body: bytes, type }
  return { body: bytes.slice(0, Math.floor(bytes.length * cut)), type }
}

async function snapshot() {
  const n = async (
    table:
      | 'tickets'
      | 'events'
      | 'evidence'
      | 'outbox'
      | 'contact_attempts'
      | 'users'
      | 'providers'
      | 'ladder_stages'
      | 'calendar_days',
  ) =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    tickets: await n('tickets'),
    events: await n('events'),
    evidence: await n('evidence'),
    outbox: await n('outbox'),
    contacts: await n('contact_attempts'),
    users: await n('users'),
    providers: await n('providers'),
    stages: await n('ladder_stages'),
    days: await n('calendar_days'),
    files: evidenceFiles(t).length,
  }
}

const seen = new Map<string, Set<number>>()

/** The invariant: never a 5xx; a 4xx has a readable page and wrote nothing. */
async function expectSafe(label: string, send: () => Promise<Response>) {
  // A lost-link request finishes its work after its answer: let it, before counting rows.
  await afterReplySettled()
  const before = await snapshot()
  const res = await send()
  const body = await res.text()
  await afterReplySettled()
  const statuses = seen.get(label) ?? new Set()
  statuses.add(res.status)
  seen.set(label, statuses)
  if (res.status >= 500) throw new Error(`${label} answered ${res.status}: ${body.slice(0, 300)}`)
  // A fragment request from someone not signed in: htmx is told to load the sign-in page.
  if (res.status === 401 && res.headers.get('hx-redirect')) return res
  if (res.status >= 400) {
    const { document } = parseHTML(body)
    const text = document.body?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
    if (text.length < 4)
      throw new Error(`${label} answered ${res.status} without a message: ${body.slice(0, 200)}`)
    const after = await snapshot()
    expect(after, `${label} ${res.status} wrote something`).toEqual(before)
  }
  return res
}

function post(
  path: string,
  fields: Fields,
  how: Encoding,
  cut: number,
  files: { name: string; bytes: Uint8Array }[] = [],
  cookie?: string,
) {
  return async () => {
    const { body, type } = await encode(fields, how, cut, files)
    const headers: Record<string, string> = {
      origin: ORIGIN,
      'x-forwarded-for': `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    }
    if (type) headers['content-type'] = type
    return t.request(path, { method: 'POST', body, headers, cookie })
  }
}

const cut = fc.double({ min: 0.05, max: 0.98, noNaN: true })

// CR, LF, tab and backslash, alone and doubled, percent-encoded, and among pieces of paths and
// URLs; half of them start like a path, to get past a first check for one.
const BREAKERS = ['\r', '\n', '\r\n', '\t', '\\', '\\\\', '%0d%0a', '%0A', '%09', '%5c', '\u0000']
const breaking = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...BREAKERS), weight: 3 },
      {
        arbitrary: fc.constantFrom(
          '/',
          '//',
          '/\\',
          'evil.example',
          'https:',
          'a',
          '1',
          'en',
          'me',
          '=',
          '&',
          ';',
          ',',
          ' ',
          '"',
          '%',
          '字',
        ),
        weight: 2,
      },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((parts) => fc.constantFrom('', '/').map((start) => start + parts.join('')))

/** Sends `request` as bytes and reads until the server closes the connection. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let answer = ''
    socket.setTimeout(10_000, () =>
      socket.destroy(new Error(`no answer to ${JSON.stringify(request)}`)),
    )
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')))
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' ? resolve(answer) : reject(err),
    )
    socket.on('close', () => resolve(answer))
    socket.end(Buffer.from(request, 'latin1'))
  })
}

// ---------------------------------------------------------------------------------------------

describe('bad input never reaches a 5xx and a 4xx writes nothing', { timeout: 120_000 }, () => {
  it('POST /complaints', async () => {
    const names = Object.keys(validFields()).concat(['unexpected'])
    const files = fc.array(
      fc.record({
        name: fc.oneof(nasty, fc.constant('a.png')),
        bytes: fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.constant(PNG),
          fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => new Uint8Array([...PNG, ...b])),
        ),
      }),
      { maxLength: 3 },
    )
    await fc.assert(
      fc.asyncProperty(mutated(validFields, names), encoding, cut, files, (fields, how, c, fs) =>
        expectSafe('complaints', post('/complaints', fields, how, c, fs)).then(() => undefined),
      ),
      { numRuns: RUNS * 2 },
    )
  })

  it('POST /track/{token}/{messages,evidence,contacts,accept,dispute,withdraw}', async () => {
    const valid = () => ({
      body: 'hello',
      contacted_at: '2026-11-20T10:00',
      channel: 'phone',
      summary: 'called',
      external_ref: 'R1',
      reason: 'because',
      confirm: '1',
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('messages', 'evidence', 'contacts', 'accept', 'dispute', 'withdraw'),
        mutated(valid, Object.keys(valid())),
        encoding,
        cut,
        (what, fields, how, c) =>
          expectSafe(`track/${what}`, post(`/track/${token}/${what}`, fields, how, c)).then(
            () => undefined,
          ),
      ),
      { numRuns: RUNS * 2 },
    )
  })

  it('POST /login, /setup, /lang, /track, /logout', async () => {
    const valid = () => ({
      email: 'a@b.cn',
      password: 'x',
      name: 'n',
      password_confirm: 'x',
      locale: 'en',
      return_to: '/',
      case_number: 'LD-2026-000001',
      token: 'abc',
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/login', '/setup', '/setup?token=x', '/lang', '/track'),
        mutated(valid, Object.keys(valid())),
        encoding,
        cut,
        (path, fields, how, c) =>
          expectSafe(path, post(path, fields, how, c)).then(() => undefined),
      ),
      { numRuns: RUNS * 2 },
    )
  })

  it('POST /tickets/{case}/actions/{action} for every action', async () => {
    const valid = (): Fields => ({
      version: '1',
      body: 'text',
      assignee: 'none',
      external_ref: 'R',
      outcome: 'answered',
      relief: 'explanation',
      amount_recovered: '1.00',
      reason: 'other',
      note: 'n',
      duplicate_of: 'LD-2026-000001',
      priority: 'high',
      complex: '1',
      reminder_at: '2026-12-01',
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORM_ACTIONS, 'unknown', 'add_evidence'),
        mutated(valid, Object.keys(valid())),
        encoding,
        cut,
        (action, fields, how, c) =>
          expectSafe(
            `actions/${action}`,
            post(`/tickets/${caseNumber}/actions/${action}`, fields, how, c, [], admin),
          ).then(() => undefined),
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('POST /admin forms', async () => {
    const valid = (): Fields => ({
      email: 'new@ladder.test',
      name: 'N',
      role: 'agent',
      password: 'pass-word-42',
      name_zh: '新',
      name_en: 'New',
      direction: 'up',
      preset: 'cn',
      date: '2026-12-24',
      kind: 'holiday',
      slug: 'newpay',
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/admin/invitations',
          '/admin/invitations/1/resend',
          '/admin/invitations/1/revoke',
          '/admin/invitations/x/revoke',
          '/admin/users/1/role',
          '/admin/users/1/deactivate',
          '/admin/users/99999/reactivate',
          '/admin/users/abc/role',
          '/admin/providers',
          '/admin/providers/1',
          '/admin/providers/1/move',
          '/admin/providers/99999/activate',
          '/admin/providers/x/deactivate',
          '/admin/deadlines/preset',
          '/admin/deadlines/days',
          '/admin/deadlines/days/remove',
          '/admin/outbox/1/retry',
          '/admin/outbox/abc/retry',
        ),
        mutated(valid, Object.keys(valid())),
        encoding,
        cut,
        (path, fields, how, c) =>
          expectSafe(path, post(path, fields, how, c, [], admin)).then(() => undefined),
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('POST /queue/views forms (saved views)', async () => {
    const valid = (): Fields => ({
      name: 'My view',
      query: 'assignee=me&hide=provider',
      shared: '1',
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/queue/views',
          '/queue/views/1/rename',
          '/queue/views/1/delete',
          '/queue/views/x/rename',
          '/queue/views/99999/delete',
        ),
        mutated(valid, Object.keys(valid())),
        encoding,
        cut,
        (path, fields, how, c) =>
          expectSafe(path, post(path, fields, how, c, [], admin)).then(() => undefined),
      ),
      { numRuns: RUNS * 2 },
    )
  })

  it('GET /queue, /reports and report CSVs with hostile query strings, garbage cursors included', async () => {
    const cursor = fc.oneof(
      nasty,
      fc.base64String({ maxLength: 200 }),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc
        .tuple(fc.integer(), fc.integer(), fc.string())
        .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
    )
    const query = fc.record({
      status: fieldValue,
      level: fieldValue,
      category: fieldValue,
      provider: fieldValue,
      assignee: fieldValue,
      overdue: fieldValue,
      q: fieldValue,
      sort: fieldValue,
      cursor: fc.option(cursor, { nil: undefined }),
      part: fc.option(fc.constantFrom('more', 'x'), { nil: undefined }),
      shown: fieldValue,
      hide: fieldValue,
      start: fc.option(cursor, { nil: undefined }),
      limit: fieldValue,
      from: fieldValue,
      to: fieldValue,
      due: fieldValue,
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/queue',
          '/reports',
          ...REPORT_NAMES.map((n) => `/reports/${n}.csv`),
          '/reports/nope.csv',
          '/complaints/new',
          '/track',
        ),
        query,
        fc.boolean(),
        async (path, q, partial) => {
          const params = new URLSearchParams()
          for (const [k, v] of Object.entries(q)) {
            if (v === undefined) continue
            // A huge query string is the proxy's business; keep each value to a URL's worth.
            for (const one of Array.isArray(v) ? v : [v]) params.append(k, one.slice(0, 2000))
          }
          const headers: Record<string, string> = partial
            ? { 'hx-request': 'true', 'hx-request-type': 'partial' }
            : {}
          await expectSafe(`GET ${path}`, () =>
            t.request(`${path}?${params}`, { method: 'GET', headers, cookie: admin }),
          )
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('GET pages with hostile path segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/tickets/',
          '/track/',
          '/tickets/LD-2026-000001/evidence/',
          `/track/${'a'.repeat(43)}/evidence/`,
          '/admin/providers/',
          '/reports/',
        ),
        nasty,
        async (prefix, segment) => {
          await expectSafe(`GET ${prefix}*`, () =>
            t.request(prefix + encodeURIComponent(Buffer.from(segment.slice(0, 3000)).toString()), {
              method: 'GET',
              cookie: admin,
            }),
          )
        },
      ),
      { numRuns: RUNS * 2 },
    )
  })

  it('GET with CR, LF, tab and backslash in every query parameter the app reads', async () => {
    const reads: [path: string, params: string[], signedIn: boolean][] = [
      ['/', ['welcome'], false],
      ['/login', ['next', 'signed_out'], false],
      ['/login', ['next'], true],
      ['/setup', ['token'], false],
      ['/complaints/new', ['category'], false],
      [`/track/${token}`, ['done'], false],
      [
        '/queue',
        [
          'status',
          'level',
          'category',
          'provider',
          'assignee',
          'overdue',
          'due',
          'q',
          'sort',
          'cursor',
          'part',
          'shown',
          'start',
          'limit',
          'hide',
        ],
        true,
      ],
      ['/queue/views', ['done'], true],
      ['/reports', ['from', 'to', 'provider', 'category', 'assignee'], true],
      ...REPORT_NAMES.map((n): [string, string[], boolean] => [
        `/reports/${n}.csv`,
        ['from', 'to', 'provider', 'category', 'assignee'],
        true,
      ]),
      [`/tickets/${caseNumber}`, ['canned'], true],
      [`/tickets/${caseNumber}/timeline`, ['before'], true],
      [`/tickets/${caseNumber}/dossier.zip`, ['unmasked', 'lang'], true],
      ['/admin/users', ['done'], true],
      ['/admin/providers', ['done'], true],
      ['/admin/outbox', ['done'], true],
      ['/admin/deadlines', ['done', 'year'], true],
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.array(breaking, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async ([path, names, signedIn], values, partial) => {
          const params = new URLSearchParams()
          names.forEach((name, i) => params.append(name, values[i % values.length]!))
          const headers: Record<string, string> = partial
            ? { 'hx-request': 'true', 'hx-request-type': 'partial' }
            : {}
          await expectSafe(`GET ${path}?${names.join(',')}`, () =>
            t.request(`${path}?${params}`, {
              method: 'GET',
              headers,
              cookie: signedIn ? admin : undefined,
            }),
          )
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('tab and backslash in every header the app reads, CR and LF where it decodes one (cookies)', async () => {
    const pages: [method: 'GET' | 'POST', path: string, fields?: Fields][] = [
      ['GET', '/'],
      ['GET', '/queue'],
      ['GET', `/tickets/${caseNumber}`],
      ['GET', `/track/${token}`],
      ['GET', '/admin/users'],
      ['POST', '/login', { email: 'nobody@ladder.test', password: 'wrong-password-1' }],
      ['POST', '/track', { case_number: caseNumber, email: 'nobody@example.com' }],
      ['POST', '/lang', { locale: 'en', return_to: '/' }],
      ['POST', `/track/${token}/messages`, { body: 'hello' }],
    ]
    const header = fc.constantFrom(
      'hx-request',
      'hx-request-type',
      'user-agent',
      'x-forwarded-for',
      'x-request-id',
      'accept-language',
      'accept-encoding',
      'content-type',
      'origin',
      'sec-fetch-site',
      'cookie',
    )
    // Header values cannot hold CR, LF or NUL (the socket test below sends them raw); a cookie's
    // value is percent-decoded, so there they arrive encoded.
    const headerValue = breaking.map((v) =>
      v.replace(/[\r\n\u0000]/g, '\t').replace(/[^\u0000-\u00ff]/g, '?'),
    )
    const cookie = fc
      .tuple(fc.constantFrom('ladder_session', 'ladder_locale', 'ladder_device'), breaking)
      .map(([name, v]) => `${name}=${encodeURIComponent(v).replace(/%5C/g, '\\')}`)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pages),
        header,
        headerValue,
        cookie,
        fc.boolean(),
        async ([method, path, fields], name, value, crumb, signedIn) => {
          const headers = new Headers({ origin: ORIGIN })
          let body: string | undefined
          if (method === 'POST') {
            body = new URLSearchParams(fields as Record<string, string>).toString()
            headers.set('content-type', 'application/x-www-form-urlencoded')
          }
          headers.set(
            'cookie',
            [signedIn ? admin : '', name === 'cookie' ? value : crumb].filter(Boolean).join('; '),
          )
          if (name !== 'cookie') headers.set(name, value)
          await expectSafe(`${method} ${path} ${name}`, async () =>
            t.app.request(new URL(path, ORIGIN).toString(), { method, body, headers }),
          )
        },
      ),
      { numRuns: RUNS * 3 },
    )
  })

  it('over a real socket: CR, LF, tab and backslash raw in header values and the request line', async () => {
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    const port = (server.address() as net.AddressInfo).port
    const rawValue = fc
      .array(
        fc.constantFrom(
          '\r',
          '\n',
          '\r\n',
          '\t',
          '\\',
          'a',
          '/',
          ' ',
          ':',
          'x-evil: 1',
          'HTTP/1.1',
          '\u00ff',
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((p) => p.join(''))
    const rawTarget = fc
      .array(
        fc.constantFrom(
          '/',
          '\\',
          '\t',
          '\r',
          '\n',
          '%0d%0a',
          '?next=',
          '//evil.example',
          'login',
          'queue',
          'track',
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((p) => '/' + p.join(''))
    const header = fc.constantFrom(
      'Host',
      'Cookie',
      'X-Forwarded-For',
      'X-Request-Id',
      'Accept-Language',
      'Accept-Encoding',
      'User-Agent',
      'HX-Request',
      'HX-Request-Type',
      'Content-Type',
      'Content-Length',
      'Origin',
      'Sec-Fetch-Site',
    )
    try {
      await fc.assert(
        fc.asyncProperty(rawTarget, header, rawValue, async (target, name, value) => {
          const request = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${name}: ${value}\r\nCookie: ${admin}\r\nConnection: close\r\n\r\n`
          const answer = await rawExchange(port, request)
          const statuses = [...answer.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]))
          const label = seen.get('raw socket') ?? new Set()
          for (const s of statuses) label.add(s)
          seen.set('raw socket', label)
          for (const s of statuses)
            expect(s, `${JSON.stringify(request)} → ${answer.slice(0, 300)}`).toBeLessThan(500)
        }),
        { numRuns: RUNS * 2 },
      )
      // And the server still serves.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  afterAll(() => {
    // What the runs saw, for someone reading a failure: valid input did get through somewhere.
    const summary = [...seen].map(([k, v]) => `${k}: ${[...v].sort().join(',')}`).join('\n')
    if (process.env['FC_VERBOSE']) console.log(summary)
  })
})
