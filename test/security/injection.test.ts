import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/users.js'
import { REPORT_NAMES } from '../../src/reports/service.js'
import { parseHTML } from '../helpers/html.js'
import { createTestApp, ORIGIN, type TestApp } from '../helpers/testApp.js'
import {
  fileViaHttp,
  multipart,
  PNG,
  postMultipart,
  validFields,
} from '../http/complaints-helpers.js'
import { unzip } from '../http/dossier-helpers.js'

// Script and formula injection: a standard list of XSS vectors goes into every free-text field
// a complainant, an agent and an administrator can fill; every page, email and dossier that
// shows them must show them as text, and every CSV cell that a spreadsheet would run as a
// formula must be neutralised. Plus: the CSP forbids inline script, and cross-origin posts are
// refused before they write anything.

// After OWASP's XSS filter evasion cheat sheet and PortSwigger's cheat sheet, kept short enough
// for 100-character fields.
const XSS = [
  '<script>alert(1)</script>',
  '"><script>alert(2)</script>',
  "'><img src=x onerror=alert(3)>",
  '<img src=x onerror=alert(4)//',
  '<svg onload=alert(5)>',
  '<svg><script>alert(6)</script></svg>',
  '<body onload=alert(7)>',
  '<iframe src="javascript:alert(8)"></iframe>',
  '<a href="javascript:alert(9)">click</a>',
  '<a href=JaVaScRiPt:alert(10)>x</a>',
  '<math><mtext><img src=x onerror=alert(11)>',
  '<details open ontoggle=alert(12)>',
  '<input autofocus onfocus=alert(13)>',
  '<video><source onerror=alert(14)></video>',
  '<object data="data:text/html,<script>alert(15)</script>">',
  '<embed src="javascript:alert(16)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(17)">',
  '<base href="https://evil.example/">',
  '<form action="javascript:alert(19)"><button>x</button></form>',
  '<div style="background:url(javascript:alert(20))">',
  '</textarea><script>alert(21)</script>',
  '</title><script>alert(22)</script>',
  '{{constructor.constructor("alert(23)")()}}',
  '<%= 7*7 %><% it.x %>',
  '${alert(25)}`-alert(26)-`',
  '<scr<script>ipt>alert(27)</scr</script>ipt>',
  '&lt;script&gt;alert(28)&lt;/script&gt;',
  '\u003cscript\u003ealert(29)\u003c/script\u003e',
  'javascript:/*--></title></style></textarea></script><svg/onload=alert(30)>',
]
const FORMULAS = [
  '=HYPERLINK("http://evil.example","x")',
  '+SUM(1,2)',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '=1+1\tx',
  '=cmd|"/C calc"!A0',
]

let t: TestApp
let admin: string
let agent: string
let manager: string
const cases: { caseNumber: string; token: string; payload: string }[] = []

/** The inert-page rules: no inline script, no handlers, no script URLs, nothing that re-targets the page. */
function expectInert(markup: string, where: string, opts: { email?: boolean } = {}) {
  const { document } = parseHTML(markup)
  const all = [...document.querySelectorAll('*')]
  for (const el of all) {
    for (const attr of [...el.attributes]) {
      expect(
        attr.name.startsWith('on'),
        `${where}: <${el.tagName.toLowerCase()} ${attr.name}>`,
      ).toBe(false)
      // Pages carry no style attribute (the CSP forbids them); HTML mail needs inline styles.
      if (!opts.email) expect(attr.name, `${where}: style attribute`).not.toBe('style')
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(attr.name)) {
        expect(attr.value.trim().toLowerCase(), `${where}: ${attr.name}`).not.toMatch(
          /^(javascript|vbscript|data:text\/html)/,
        )
      }
    }
  }
  for (const s of document.querySelectorAll('script')) {
    expect(s.getAttribute('src') ?? '', `${where}: inline script`).toMatch(/^\/static\//)
  }
  for (const tag of ['iframe', 'object', 'embed', 'base', 'video', 'details[ontoggle]', 'math']) {
    expect(document.querySelector(tag), `${where}: <${tag}>`).toBeNull()
  }
  expect(
    document.querySelector('meta[http-equiv="refresh" i]'),
    `${where}: meta refresh`,
  ).toBeNull()
}

beforeAll(async () => {
  t = await createTestApp({ env: { TRUST_PROXY: 'true' } })
  const a = await t.createStaff('admin')
  admin = await t.signIn(a.email, a.password)
  const m = await t.createStaff('manager')
  manager = await t.signIn(m.email, m.password)
  // Staff named with payloads and formulas: their names appear in pages, history, reports.
  const evilAgent = await createUser(
    t.db,
    { email: 'evil-agent@ladder.test', name: XSS[1]!, role: 'agent', password: 'night-owl-42' },
    t.now(),
  )
  if (!evilAgent.ok) throw new Error(evilAgent.problem)
  agent = await t.signIn('evil-agent@ladder.test', 'night-owl-42')
  await createUser(
    t.db,
    { email: 'formula@ladder.test', name: FORMULAS[0]!, role: 'agent', password: 'paper-crane-42' },
    t.now(),
  )
  // Providers named with payloads and formulas, through the admin form.
  for (const [i, name] of [XSS[4]!, FORMULAS[1]!, FORMULAS[3]!].entries()) {
    const res = await t.postForm(
      '/admin/providers',
      { slug: `evil${i}`, name_zh: name, name_en: name },
      { cookie: admin },
    )
    expect(res.status, `provider ${name}`).toBe(303)
  }

  for (const [i, payload] of [...XSS, ...FORMULAS].entries()) {
    const provider = i % 4 === 0 ? 'other' : i % 4 === 1 ? `evil${i % 3}` : 'alipay'
    const filed = await fileViaHttp(
      t,
      {
        provider,
        provider_other: provider === 'other' ? payload.slice(0, 100) : '',
        merchant: payload,
        description: `${payload}\n${payload}`,
        transaction_ref: payload.slice(0, 100),
        name: payload.slice(0, 100),
        email: `c${i}@example.com`,
      },
      [{ name: `${payload.slice(0, 60)}.png`, bytes: new Uint8Array([...PNG, i]) }],
      { 'x-forwarded-for': `10.1.0.${i}` },
    )
    const row = await t.db
      .selectFrom('tickets')
      .select(['case_number', 'version'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    cases.push({ caseNumber: row.case_number, token: filed.token, payload })
    // The complainant writes, the agent answers, notes, records a contact and proposes.
    expect((await t.postForm(`/track/${filed.token}/messages`, { body: payload })).status).toBe(303)
    expect(
      (
        await t.postForm(`/track/${filed.token}/contacts`, {
          contacted_at: '2026-11-20T10:00',
          channel: 'phone',
          summary: payload,
          external_ref: payload.slice(0, 100),
        })
      ).status,
    ).toBe(303)
    let version = (
      await t.db
        .selectFrom('tickets')
        .select('version')
        .where('case_number', '=', row.case_number)
        .executeTakeFirstOrThrow()
    ).version
    const act = async (action: string, fields: Record<string, string>) => {
      const res = await t.postForm(
        `/tickets/${row.case_number}/actions/${action}`,
        { ...fields, version: String(version) },
        { cookie: agent },
      )
      expect(res.status, `${action} with ${payload}`).toBe(303)
      version++
    }
    await act('assign', { assignee: String(evilAgent.user.id) })
    await act('reply', { body: payload })
    await act('note', { body: payload })
    await act('record_contact', {
      body: payload,
      external_ref: payload.slice(0, 100),
      outcome: 'answered',
    })
    if (i % 2 === 0) await act('propose_resolution', { body: payload, relief: 'explanation' })
  }
}, 120_000)

afterAll(async () => {
  await t.close()
})

describe('XSS payloads are rendered as text', () => {
  it('on the complainant’s tracking page', async () => {
    for (const c of cases) {
      const res = await t.get(`/track/${c.token}`)
      const markup = await res.text()
      expectInert(markup, `track ${c.payload}`)
      expect(parseHTML(markup).document.body.textContent).toContain(c.payload.slice(0, 20))
    }
  })

  it('on the agent’s queue, search, ticket and history pages', async () => {
    expectInert(await (await t.get('/queue?status=all', { cookie: agent })).text(), 'queue')
    expectInert(
      await (
        await t.get('/queue?status=all', {
          cookie: agent,
          headers: { 'hx-request': 'true', 'hx-request-type': 'partial' },
        })
      ).text(),
      'queue fragment',
    )
    for (const q of ['script', 'onerror', 'javascript', '<svg', '"><']) {
      expectInert(
        await (
          await t.get(`/queue?status=all&q=${encodeURIComponent(q)}`, { cookie: agent })
        ).text(),
        `search ${q}`,
      )
    }
    for (const c of cases) {
      const page = await (await t.get(`/tickets/${c.caseNumber}`, { cookie: agent })).text()
      expectInert(page, `ticket ${c.payload}`)
      expect(parseHTML(page).document.body.textContent).toContain(c.payload.slice(0, 20))
      expectInert(
        await (await t.get(`/tickets/${c.caseNumber}/history`, { cookie: agent })).text(),
        `history ${c.payload}`,
      )
      // A 422 re-render keeps the typed value, as text.
      const invalid = await t.postForm(
        `/tickets/${c.caseNumber}/actions/close`,
        { version: '1', outcome: 'nonsense', note: c.payload },
        { cookie: agent },
      )
      expect([409, 422]).toContain(invalid.status)
      expectInert(await invalid.text(), `422 ${c.payload}`)
    }
  })

  it('on the reports and admin pages', async () => {
    expectInert(await (await t.get('/reports', { cookie: manager })).text(), 'reports')
    for (const path of ['/admin/users', '/admin/providers', '/admin/outbox']) {
      expectInert(await (await t.get(path, { cookie: admin })).text(), path)
    }
    const bad = await t.postForm(
      '/admin/invitations',
      { email: 'x', name: XSS[0]!, role: 'agent' },
      { cookie: admin },
    )
    expect(bad.status).toBe(422)
    expectInert(await bad.text(), 'admin 422')
  })

  it('in the complaint form sent back with errors', async () => {
    for (const payload of XSS) {
      const fields = {
        ...validFields(),
        merchant: payload,
        description: payload,
        name: payload.slice(0, 100),
        amount: payload,
      }
      const res = await postMultipart(t, '/complaints', multipart(fields), {
        'x-forwarded-for': '10.2.0.1',
      })
      expect(res.status).toBe(422)
      expectInert(await res.text(), `complaint 422 ${payload}`)
    }
  })

  it('in every email the outbox holds', async () => {
    const mails = await t.db.selectFrom('outbox').select(['kind', 'html_body', 'subject']).execute()
    expect(mails.length).toBeGreaterThan(cases.length)
    for (const m of mails) {
      expect(m.subject).not.toMatch(/[\r\n]/)
      if (m.html_body) expectInert(m.html_body, `mail ${m.kind}`, { email: true })
    }
    const replies = mails.filter((m) => m.kind === 'agent_replied')
    expect(
      replies.some((m) => m.html_body?.includes('&lt;script&gt;alert(1)&lt;/script&gt;')),
    ).toBe(true)
  })

  it('in the dossier’s summary', async () => {
    for (const c of cases.slice(0, 8)) {
      const res = await t.get(`/tickets/${c.caseNumber}/dossier.zip`, { cookie: agent })
      expect(res.status).toBe(200)
      const zip = await unzip(Buffer.from(await res.arrayBuffer()))
      const summary = zip.files.get('summary.html')!.toString('utf8')
      expectInert(summary, `dossier ${c.payload}`)
      // Uploaded names inside the archive never climb out of it (zip slip) or hide a path.
      for (const name of zip.names) {
        expect(name).not.toMatch(/(^|\/)\.\.(\/|$)|^\/|\\|[\u0000-\u001f]/)
        expect(
          name.startsWith('summary.html') ||
            name.startsWith('manifest.json') ||
            name.startsWith('evidence/'),
        ).toBe(true)
      }
    }
  })
})

describe('spreadsheet formulas in CSV', () => {
  /** RFC 4180, enough for our own output. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = []
    let row: string[] = []
    let cell = ''
    let quoted = false
    for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
      const ch = text[i]!
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++)
        else if (ch === '"') quoted = false
        else cell += ch
      } else if (ch === '"') quoted = true
      else if (ch === ',') (row.push(cell), (cell = ''))
      else if (ch === '\r' && text[i + 1] === '\n') {
        ;(row.push(cell), rows.push(row), (row = []), (cell = ''), i++)
      } else cell += ch
    }
    if (cell || row.length) (row.push(cell), rows.push(row))
    return rows
  }

  it('neutralises every cell that starts with = + - @, tab or CR in every report CSV', async () => {
    let sawPayload = false
    for (const name of REPORT_NAMES) {
      const res = await t.get(`/reports/${name}.csv`, { cookie: manager })
      expect(res.status, name).toBe(200)
      const text = await res.text()
      for (const row of parseCsv(text)) {
        for (const cell of row) {
          expect(cell, `${name}: ${cell}`).not.toMatch(/^[=+\-@\t\r]/)
          if (/^'[=+\-@]/.test(cell)) sawPayload = true
        }
      }
    }
    // The providers and staff named with formulas did reach the CSVs, and were neutralised.
    expect(sawPayload).toBe(true)
  })
})

describe('CSP and cross-origin posts', () => {
  it('sends a CSP without inline script on pages, fragments and errors', async () => {
    for (const [path, cookie] of [
      ['/', undefined],
      ['/queue', agent],
      ['/reports', manager],
      ['/admin/users', admin],
      ['/nope', undefined],
      [`/track/${cases[0]!.token}`, undefined],
    ] as const) {
      const res = await t.get(path, cookie ? { cookie } : {})
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/script-src 'self'(;|$)/)
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/)
      expect(csp, path).toMatch(/object-src 'none'/)
      expect(csp, path).toMatch(/base-uri 'none'/)
    }
  })

  it('refuses cross-origin posts to every kind of form with 403 before writing anything', async () => {
    const c = cases[0]!
    const count = async () =>
      Promise.all(
        (['tickets', 'events', 'evidence', 'outbox', 'users', 'providers'] as const).map(
          async (table) =>
            Number(
              (
                await t.db
                  .selectFrom(table)
                  .select((eb) => eb.fn.countAll().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
        ),
      )
    const before = await count()
    const evil = { origin: 'https://evil.example' }
    const attempts: [string, Record<string, string>, string | undefined][] = [
      [`/track/${c.token}/messages`, { body: 'csrf' }, undefined],
      [`/track/${c.token}/withdraw`, { reason: 'csrf', confirm: '1' }, undefined],
      [`/tickets/${c.caseNumber}/actions/note`, { body: 'csrf', version: '99' }, agent],
      ['/admin/invitations', { email: 'csrf@ladder.test', name: 'C', role: 'admin' }, admin],
      ['/admin/providers', { slug: 'csrfpay', name_zh: 'C', name_en: 'C' }, admin],
      ['/logout', {}, agent],
      ['/lang', { locale: 'en' }, undefined],
    ]
    for (const [path, fields, cookie] of attempts) {
      const res = await t.postForm(path, fields, { cookie, headers: evil })
      expect(res.status, path).toBe(403)
    }
    const complaint = await postMultipart(t, '/complaints', multipart(validFields()), {
      ...evil,
      'x-forwarded-for': '10.3.0.1',
    })
    expect(complaint.status).toBe(403)
    // A request a browser marks cross-site is refused even without an Origin header.
    const noOrigin = await t.request('/track/' + c.token + '/messages', {
      method: 'POST',
      body: new URLSearchParams({ body: 'csrf' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
      },
    })
    expect(noOrigin.status).toBe(403)
    expect(await count()).toEqual(before)
    // And the session survived the refused sign-out.
    expect((await t.get('/queue', { cookie: agent })).status).toBe(200)
    void ORIGIN
  })
})
