// What the bench asks of the real server: the pages agents and managers load most, filing a
// complaint with a screenshot, and an agent's reply. Each scenario builds its own requests (a
// fresh idempotency key per filing, a different ticket per reply) and says what counts as met.
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { selfHelpKeys } from '../../src/domain/categories.js'
import { addLocalDays, localDate } from '../../src/domain/zoneTime.js'
import { DISPLAY_TIME_ZONE } from '../../src/i18n/format.js'
import { BENCH_AGENT, BENCH_MANAGER, BENCH_PASSWORD } from './generate.js'
import { noisePng, pngChunk } from './png.js'
import { seededRandom } from '../../src/demo/generate.js'
import type { LoadResult } from './load.js'
import { overHttp } from '../helpers/staffSignIn.js'

const BUSY_REPLIES_PER_S = 20

type Request = {
  method?: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
}

export interface Scenario {
  key: string
  title: string
  expect: readonly number[]
  request: () => Request
  target: string
  /** null: no target for this one. */
  judge: (r: LoadResult, ceilingRps: number | null) => boolean | null
  note?: (r: LoadResult) => string | null
  connections?: number
  timeoutSeconds?: number
  /** Runs right before the measurement (fresh versions for replies). */
  before?: () => Promise<void>
  /** Runs right after it, also when it failed (stops a background writer). */
  after?: () => Promise<void>
  warm?: boolean
}

/** Through the password and the second factor (set up at the first sign-in, codes from otpauth). */
async function signIn(url: string, email: string): Promise<string> {
  return (await overHttp(url).signIn(email, BENCH_PASSWORD)).cookie
}

/** The page-N link of the open queue, found by following "next" links as an agent would. */
async function cursorOfPage(
  url: string,
  cookie: string,
  page: number,
): Promise<{ path: string; page: number }> {
  let href = '/queue'
  for (let p = 1; p < page; p++) {
    const html = await (await fetch(url + href, { headers: { cookie } })).text()
    const more = /id="queue-more"[\s\S]*?href="([^"]+)"/.exec(html)
    if (!more) return { path: href, page: p }
    href = more[1]!.replaceAll('&amp;', '&')
  }
  return { path: href, page }
}

/** A multipart complaint with one PNG of about 200 KB whose bytes differ per filing. */
function complaintBodies(origin: string) {
  const rnd = seededRandom(7)
  const png = noisePng(260, 256, rnd)
  const iend = png.length - 12
  const head = png.subarray(0, iend)
  const end = png.subarray(iend)
  const boundary = '----LadderBench7f3a9c'
  const occurred = `${addLocalDays(localDate(Date.now(), DISPLAY_TIME_ZONE), -3)}T14:30`
  const fields: [string, string][] = [
    ['category', 'refund_not_received'],
    ['provider', 'alipay'],
    ['occurred_at', occurred],
    ['amount', '268.50'],
    ['currency', 'CNY'],
    ['transaction_ref', '2026112300001234'],
    ['merchant', '京东商城'],
    [
      'description',
      '商家已经同意退款268.50元，退款单显示“退款成功”已经过去20天，钱包余额和银行卡都没有收到。联系客服三次都说会核实，一直没有结果，请帮忙处理。',
    ],
    ['desired_outcome', 'refund'],
    ['self_help', selfHelpKeys('refund_not_received')[0]!],
    ['name', '王芳'],
    ['email', 'bench-complainant@example.com'],
    ['phone', '13912345678'],
    ['consent', 'on'],
  ]
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const before = Buffer.from(fields.map(([k, v]) => part(k, v)).join(''))
  const fileHead = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="screenshot.png"\r\nContent-Type: image/png\r\n\r\n`,
  )
  const close = Buffer.from(`\r\n--${boundary}--\r\n`)
  const run = Date.now().toString(36)
  // A different block of addresses each run, so runs within the hour do not meet the
  // per-address filing limit left by the previous one.
  let n = Math.floor(Math.random() * 0xff0000)
  return (): Request => {
    n++
    const key = `bench${run}x${String(n).padStart(10, '0')}`
    const text = pngChunk('tEXt', Buffer.from(`Comment\0${key}`, 'latin1'))
    return {
      method: 'POST',
      path: '/complaints',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        origin,
        'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      },
      body: Buffer.concat([
        before,
        Buffer.from(part('idempotency_key', key)),
        fileHead,
        head,
        text,
        end,
        close,
      ]),
    }
  }
}

export async function prepareScenarios(opts: {
  url: string
  dataDir: string
  log: (s: string) => void
}): Promise<Scenario[]> {
  const { url } = opts
  // A reused bench database keeps the second factors an earlier run set up, whose keys that run
  // alone knew: take them away, so these sign-ins set up new ones.
  const rw = new SQLite(path.join(opts.dataDir, 'ladder.db'), { fileMustExist: true })
  rw.prepare(
    'delete from two_factor where user_id in (select id from users where email in (?, ?))',
  ).run(BENCH_AGENT, BENCH_MANAGER)
  rw.close()
  const agent = await signIn(url, BENCH_AGENT)
  const manager = await signIn(url, BENCH_MANAGER)
  const db = new SQLite(path.join(opts.dataDir, 'ladder.db'), {
    readonly: true,
    fileMustExist: true,
  })
  const rnd = seededRandom(11)
  const maxId = Number((db.prepare('select max(id) as n from tickets').get() as { n: number }).n)
  const firstAt = Number(
    (db.prepare('select min(created_at) as t from tickets').get() as { t: number }).t,
  )
  const sampleIds = Array.from({ length: 5000 }, () => rnd.int(1, maxId))
  const caseOf = db.prepare('select case_number from tickets where id = ?')
  const cases = sampleIds.map((id) => (caseOf.get(id) as { case_number: string }).case_number)

  const page = await cursorOfPage(url, agent, 200)
  opts.log(`  queue page ${page.page} found by following ${page.page - 1} "next" links`)
  const from = localDate(firstAt, DISPLAY_TIME_ZONE)
  const to = localDate(Date.now(), DISPLAY_TIME_ZONE)
  const range = `from=${from}&to=${to}`

  let replyTargets: { case_number: string; version: number }[] = []
  let replyNext = 0
  let caseNext = 0
  const openForReply = () =>
    db
      .prepare(
        `select case_number, version from tickets
         where status not in ('resolved','closed','withdrawn') order by id desc limit 60000`,
      )
      .all() as typeof replyTargets
  const replyRequest = (): Request => {
    const t = replyTargets[replyNext++ % replyTargets.length]!
    return {
      method: 'POST',
      path: `/tickets/${t.case_number}/actions/reply`,
      headers: { cookie: agent, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: `version=${t.version}&body=${encodeURIComponent('您好，我们已收到您的补充材料，正在与平台核实，请耐心等待。')}`,
    }
  }
  // The queue while another agent replies BUSY_REPLIES_PER_S times a second: every reply changes
  // the data, so the cached queue answers are recomputed that often (src/tickets/queueView.ts).
  let writer: NodeJS.Timeout | null = null
  let busyReplies = 0
  // Pages are asked for as a browser asks: it always says which compressions it takes.
  const get =
    (p: string, cookie: string, headers: Record<string, string> = {}) =>
    (): Request => ({
      path: p,
      headers: { cookie, 'accept-encoding': 'gzip, deflate, br, zstd', ...headers },
    })

  return [
    {
      key: 'queue',
      title: 'Queue, default view (open, soonest due), full page',
      expect: [200],
      request: get('/queue', agent),
      target: '≥ 20 % of ceiling, p99 < 50 ms',
      judge: (r, c) => (c === null ? null : r.rps >= 0.2 * c && r.p99 < 50),
    },
    {
      key: 'queue-busy',
      title: `Queue, default view, while an agent replies ${BUSY_REPLIES_PER_S} times a second`,
      expect: [200],
      request: get('/queue', agent),
      before: async () => {
        replyTargets = openForReply()
        replyNext = 0
        busyReplies = 0
        writer = setInterval(() => {
          const r = replyRequest()
          void fetch(url + r.path, {
            method: 'POST',
            headers: r.headers,
            body: r.body as string,
            redirect: 'manual',
          }).then(
            (res) => void (res.status === 303 && busyReplies++),
            () => {},
          )
        }, 1000 / BUSY_REPLIES_PER_S)
      },
      after: async () => {
        if (writer) clearInterval(writer)
        writer = null
      },
      target: '',
      judge: () => null,
      note: () => `${busyReplies} replies written meanwhile`,
      warm: false,
    },
    {
      key: 'queue-filtered',
      title: 'Queue filtered by level + category',
      expect: [200],
      request: get('/queue?level=consumer_association&category=refund_not_received', agent),
      target: '',
      judge: () => null,
    },
    {
      key: 'search',
      title: 'Queue search for 退款 (two Chinese characters)',
      expect: [200],
      request: get(`/queue?q=${encodeURIComponent('退款')}`, agent),
      target: 'p99 < 100 ms',
      judge: (r) => r.p99 < 100,
    },
    {
      key: 'page-200',
      title: `Rows fragment of queue page ${page.page} via keyset cursor (HX-Request-Type: partial)`,
      expect: [200],
      request: get(page.path, agent, { 'hx-request': 'true', 'hx-request-type': 'partial' }),
      target: '',
      judge: () => null,
    },
    {
      key: 'ticket',
      title: 'Ticket page (5,000 different tickets in turn)',
      expect: [200],
      request: () => ({
        path: `/tickets/${cases[caseNext++ % cases.length]}`,
        headers: { cookie: agent },
      }),
      target: 'p99 < 30 ms',
      judge: (r) => r.p99 < 30,
    },
    {
      key: 'reports',
      title: `Reports page over the whole range (${from} to ${to}), as a manager`,
      expect: [200],
      request: get(`/reports?${range}`, manager),
      // One manager at a time: the target is the time of one page, which 50 queued requests
      // for a page that takes seconds would only hide behind queueing.
      connections: 1,
      timeoutSeconds: 120,
      target: 'p99 < 500 ms',
      judge: (r) => r.requests > 0 && r.p99 < 500,
    },
    {
      key: 'csv',
      title: 'One CSV export (funnel by provider, whole range)',
      expect: [200],
      request: get(`/reports/funnel-by-provider.csv?${range}`, manager),
      connections: 1,
      timeoutSeconds: 120,
      target: '',
      judge: () => null,
    },
    {
      key: 'file',
      title: 'Filing a complaint with one 200 KB PNG (new idempotency key each)',
      expect: [303],
      request: complaintBodies(url),
      target: '≥ 300 filings/s',
      judge: (r) => r.rps >= 300,
      warm: false,
    },
    {
      key: 'reply',
      title: 'Agent reply on a ticket with its current version (a different ticket each)',
      expect: [303],
      before: async () => {
        // Read just before the run, so every version is current; each ticket is replied to once.
        replyTargets = openForReply()
        replyNext = 0
      },
      request: replyRequest,
      target: '',
      judge: () => null,
      note: () =>
        replyNext > replyTargets.length
          ? `ran out of open tickets after ${replyTargets.length}`
          : null,
      warm: false,
    },
  ]
}
