#!/usr/bin/env node
// Crash safety, end to end: the real server (dist/src/server.js) is killed with SIGKILL in the
// middle of hundreds of concurrent complaint filings with evidence, then in the middle of agent
// replies, restarted on the same DATA_DIR each time, and the data is checked:
//   - every filing that got its 303 exists, with every evidence file it sent, byte for byte;
//   - every evidence row points at a file whose SHA-256 is its name; PRAGMA integrity_check ok;
//   - no partial filing: each ticket has its 'filed' event, its ladder stage, its outbox mail,
//     all of its evidence; tickets = acknowledged + the ones committed whose answer was lost;
//   - orphan files (written before a transaction that never committed) are removed by the
//     server's own startup sweep;
//   - no half-applied action: every ticket's version is 1 + its version-bumping events, each
//     acknowledged reply is there exactly once, each reply event has its outbox mail.
// Exit 0 when every check passes, 1 otherwise. Run with `npm run test:crash` (builds first).
//
// Environment: CRASH_FILINGS (default 400), CRASH_KILL_AFTER (acknowledged filings before the
// kill, default a third), CRASH_CHAINS / CRASH_CHAIN_LENGTH for the reply phase, KEEP_DATA=1.
import { spawn, execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { signInEnrolling } from './staff-sign-in.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const serverJs = path.join(root, 'dist', 'src', 'server.js')
const cliJs = path.join(root, 'dist', 'src', 'cli.js')
if (!fs.existsSync(serverJs)) {
  console.error('crash-test: dist/src/server.js is missing; run `npm run build` first')
  process.exit(2)
}

const FILINGS = Number(process.env.CRASH_FILINGS ?? 400)
const KILL_AFTER = Number(process.env.CRASH_KILL_AFTER ?? Math.floor(FILINGS / 3))
const CHAINS = Number(process.env.CRASH_CHAINS ?? 120)
const CHAIN_LENGTH = Number(process.env.CRASH_CHAIN_LENGTH ?? 6)
const AGENT = { email: 'crash-agent@ladder.test', password: 'kill-nine-survivor-42' }
const HOUR = 3_600_000

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-crash-'))
const evidenceDir = path.join(dataDir, 'evidence')
const dbFile = path.join(dataDir, 'ladder.db')
const failures = []
const check = (ok, what) => {
  if (!ok) failures.push(what)
  return ok
}
const log = (s) => process.stdout.write(`crash-test: ${s}\n`)
// Only what the server needs: a runner's environment (vitest sets BASE_URL, for one) stays out.
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir() }
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')

// ------------------------------------------------------------------------------------------
// The server process

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const port = await freePort()
const base = `http://127.0.0.1:${port}`
const serverLog = fs.createWriteStream(path.join(dataDir, 'server.log'), { flags: 'a' })

let running = null

async function startServer() {
  const child = spawn(process.execPath, [serverJs], {
    cwd: root,
    env: {
      ...baseEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BASE_URL: base,
      // Each simulated complainant gets its own address through X-Forwarded-For, so the
      // per-address filing limit applies to each of them as it would in production.
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.pipe(serverLog, { end: false })
  child.stderr.pipe(serverLog, { end: false })
  running = child
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/healthz`)
      if (res.ok) return { child, exited }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break
    await sleep(50)
  }
  throw new Error(`server did not start; see ${path.join(dataDir, 'server.log')}`)
}

async function kill9(server) {
  server.child.kill('SIGKILL')
  const { signal } = await server.exited
  if (signal !== 'SIGKILL') throw new Error(`server ended with ${signal}, not SIGKILL`)
}

async function stopGracefully(server) {
  server.child.kill('SIGTERM')
  await server.exited
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// ------------------------------------------------------------------------------------------
// Evidence of varied content: PNG and PDF bytes (the store sniffs by magic bytes), a few sizes,
// and some content shared between filings, since the store keeps each content once.

const PNG_SIG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
])
const SHARED = [makePng(2048), makePdf(4096)]

function makePng(size) {
  return Buffer.concat([PNG_SIG, randomBytes(Math.max(1, size - PNG_SIG.length))])
}
function makePdf(size) {
  const body = randomBytes(Math.max(16, size)).toString('base64')
  return Buffer.from(
    `%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Note (${body}) >> endobj\ntrailer << >>\n%%EOF\n`,
    'latin1',
  )
}

function evidenceFor(i) {
  const count = 1 + (i % 3)
  const files = []
  for (let k = 0; k < count; k++) {
    if ((i + k) % 10 === 0) {
      const bytes = SHARED[(i + k) % 2]
      files.push({ name: k % 2 ? 'shared.pdf' : 'shared.png', bytes })
      continue
    }
    const size = [900, 20_000, 150_000, 600_000][(i * 7 + k) % 4]
    const bytes = k % 2 === 0 ? makePng(size) : makePdf(size)
    files.push({
      name: k % 2 === 0 ? `screenshot-${i}-${k}.png` : `statement-${i}-${k}.pdf`,
      bytes,
    })
  }
  // One filing never carries the same content twice, so "its files" is a set.
  const seen = new Set()
  return files.filter((f) => {
    const h = sha256(f.bytes)
    if (seen.has(h)) return false
    seen.add(h)
    return true
  })
}

function occurredAt() {
  // Two days ago in Asia/Shanghai, as the form's datetime-local sends it.
  const d = new Date(Date.now() - 2 * 24 * HOUR + 8 * HOUR)
  return d.toISOString().slice(0, 16)
}

function fileComplaint(i, files) {
  const fd = new FormData()
  const key = randomBytes(18).toString('base64url')
  const fields = {
    category: 'refund_not_received',
    provider: 'alipay',
    occurred_at: occurredAt(),
    amount: `${100 + i}.50`,
    currency: 'CNY',
    transaction_ref: `CRASH${String(i).padStart(6, '0')}`,
    merchant: 'Crash-test merchant',
    description: `Crash test filing number ${i}: the refund never arrived.`,
    desired_outcome: 'refund',
    name: `Complainant ${i}`,
    email: `c${i}@example.com`,
    phone: '',
    consent: 'yes',
    idempotency_key: key,
  }
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  fd.append('self_help', 'check_refund_status')
  for (const f of files)
    fd.append('evidence', new Blob([f.bytes], { type: 'application/octet-stream' }), f.name)
  const forwarded = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  return {
    key,
    request: fetch(`${base}/complaints`, {
      method: 'POST',
      body: fd,
      redirect: 'manual',
      headers: { origin: base, 'x-forwarded-for': forwarded },
    }),
  }
}

// ------------------------------------------------------------------------------------------
// Checks on the data directory

function openDb() {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  return db
}

function storedFiles() {
  if (!fs.existsSync(evidenceDir)) return []
  return fs.readdirSync(evidenceDir).flatMap((d) => {
    const sub = path.join(evidenceDir, d)
    return fs.statSync(sub).isDirectory() ? fs.readdirSync(sub).map((n) => path.join(sub, n)) : []
  })
}

function checkDatabaseWhole(db, label) {
  const integrity = db.pragma('integrity_check', { simple: true })
  check(integrity === 'ok', `${label}: PRAGMA integrity_check says ${integrity}`)
  const fk = db.pragma('foreign_key_check')
  check(fk.length === 0, `${label}: foreign_key_check found ${fk.length} problems`)

  const rows = db.prepare('select id, ticket_id, sha256, size from evidence').all()
  let missing = 0
  let wrong = 0
  for (const r of rows) {
    const file = path.join(evidenceDir, r.sha256.slice(0, 2), r.sha256)
    if (!fs.existsSync(file)) {
      missing++
      continue
    }
    const bytes = fs.readFileSync(file)
    if (sha256(bytes) !== r.sha256 || bytes.length !== r.size) wrong++
  }
  check(missing === 0, `${label}: ${missing} evidence rows point at a missing file`)
  check(wrong === 0, `${label}: ${wrong} evidence files do not match their SHA-256 or size`)

  const noFiled = db
    .prepare(
      `select count(*) n from tickets t where not exists (select 1 from events e where e.ticket_id = t.id and e.type = 'filed')`,
    )
    .get().n
  check(noFiled === 0, `${label}: ${noFiled} tickets have no 'filed' event`)
  const noStage = db
    .prepare(
      `select count(*) n from tickets t where not exists (select 1 from ladder_stages s where s.ticket_id = t.id and s.left_at is null)`,
    )
    .get().n
  check(noStage === 0, `${label}: ${noStage} tickets have no open ladder stage`)
  const noMail = db
    .prepare(
      `select count(*) n from tickets t where t.complainant_email is not null
         and not exists (select 1 from outbox o where o.ticket_id = t.id and o.kind = 'tracking_link')`,
    )
    .get().n
  check(noMail === 0, `${label}: ${noMail} tickets with an email have no tracking-link mail`)

  // A ticket's version moves only with an event that records the new version. Audit events
  // ('revealed', 'dossier_generated') record the version they saw without changing it, so the
  // check is on distinct versions: exactly 2..version, none beyond.
  const versions = db
    .prepare(
      `select t.id, t.version,
              (select count(distinct json_extract(e.payload, '$.version')) from events e where e.ticket_id = t.id
                 and json_extract(e.payload, '$.version') >= 2) as distinctVersions,
              (select max(json_extract(e.payload, '$.version')) from events e where e.ticket_id = t.id) as maxv,
              (select count(*) from events e where e.ticket_id = t.id and e.type not in ('revealed', 'dossier_generated')
                 and json_extract(e.payload, '$.version') is not null) as bumps
         from tickets t`,
    )
    .all()
  const bad = versions.filter(
    (v) =>
      v.distinctVersions !== v.version - 1 ||
      v.bumps !== v.version - 1 ||
      (v.maxv !== null && v.maxv > v.version),
  )
  check(
    bad.length === 0,
    `${label}: ${bad.length} tickets whose version disagrees with their events (e.g. ${JSON.stringify(bad[0])})`,
  )

  const temp = storedFiles().filter((f) => f.endsWith('.tmp'))
  check(temp.length === 0, `${label}: ${temp.length} temporary evidence files left`)
  const referenced = new Set(rows.map((r) => r.sha256))
  const orphans = storedFiles().filter(
    (f) => !f.endsWith('.tmp') && !referenced.has(path.basename(f)),
  )
  check(
    orphans.length === 0,
    `${label}: ${orphans.length} orphan evidence files left after the startup sweep`,
  )
}

/** Files with no row and temporary files: what a crash leaves for the sweep. */
function leftovers() {
  const db = openDb()
  try {
    const referenced = new Set(
      db
        .prepare('select sha256 from evidence')
        .all()
        .map((r) => r.sha256),
    )
    const files = storedFiles()
    return {
      orphans: files.filter((f) => !f.endsWith('.tmp') && !referenced.has(path.basename(f))).length,
      temp: files.filter((f) => f.endsWith('.tmp')).length,
    }
  } finally {
    db.close()
  }
}

/**
 * The startup sweep only removes files untouched for an hour, since a young file without a
 * row may be an upload still in flight in another process. A real restart after a crash does
 * not wait an hour, so the test moves the files' times back two hours before restarting: the
 * server then runs its own, unchanged sweep on them. Referenced files are aged too, and must
 * survive it.
 */
function ageEvidenceFiles() {
  const past = new Date(Date.now() - 2 * HOUR)
  for (const f of storedFiles()) fs.utimesSync(f, past, past)
}

async function waitForSweep() {
  for (let i = 0; i < 100; i++) {
    const left = leftovers()
    if (left.orphans === 0 && left.temp === 0) return
    await sleep(100)
  }
}

// ------------------------------------------------------------------------------------------
// Phase 1: filings

async function phaseFilings() {
  log(`phase 1: ${FILINGS} concurrent filings, SIGKILL after ${KILL_AFTER} acknowledgements`)
  let server = await startServer()
  const filings = []
  let acked = 0
  let killing = null
  for (let i = 0; i < FILINGS; i++) {
    const files = evidenceFor(i)
    const { key, request } = fileComplaint(i, files)
    const filing = { i, key, files, status: null, location: null, error: null }
    filings.push(filing)
    filing.done = request.then(
      (res) => {
        filing.status = res.status
        filing.location = res.headers.get('location')
        if (res.status === 303) {
          acked++
          if (acked >= KILL_AFTER && !killing) killing = kill9(server)
        }
        return res.arrayBuffer().catch(() => undefined)
      },
      (err) => {
        filing.error = String(err?.cause?.code ?? err)
      },
    )
  }
  await Promise.all(filings.map((f) => f.done))
  if (!killing) throw new Error(`only ${acked} filings were acknowledged; the kill never happened`)
  await killing
  const ok = filings.filter((f) => f.status === 303)
  const other = filings.filter((f) => f.status !== null && f.status !== 303)
  const cut = filings.filter((f) => f.status === null)
  log(`killed: ${ok.length} acknowledged, ${other.length} other answers, ${cut.length} cut off`)
  check(
    other.length === 0,
    `phase 1: ${other.length} filings answered neither 303 nor cut off: ${[...new Set(other.map((f) => f.status))]}`,
  )
  check(cut.length > 0, 'phase 1: the kill cut off no request; it did not happen mid-load')

  const before = leftovers()
  log(`left by the crash: ${before.orphans} orphan files, ${before.temp} temporary files`)
  ageEvidenceFiles()
  server = await startServer()
  await waitForSweep()

  const db = openDb()
  try {
    checkDatabaseWhole(db, 'after crash 1')
    const byHash = db.prepare('select id, case_number from tickets where tracking_token_hash = ?')
    const evidenceOf = db.prepare('select sha256 from evidence where ticket_id = ?')
    const keyRow = db.prepare('select ticket_id from idempotency_keys where key = ?')
    let missingTickets = 0
    let wrongEvidence = 0
    let pageFailures = 0
    const ids = new Set()
    for (const f of filings) {
      const expected = f.files.map((x) => sha256(x.bytes)).sort()
      let ticket = null
      if (f.status === 303) {
        const token = f.location?.split('/').pop() ?? ''
        ticket = byHash.get(sha256(token)) ?? null
        if (!ticket) {
          missingTickets++
          continue
        }
        const res = await fetch(`${base}${f.location}`)
        const text = await res.text()
        if (res.status !== 200 || !text.includes(ticket.case_number)) pageFailures++
      } else {
        // Unacknowledged: either committed whole (the answer was lost) or not at all.
        const k = keyRow.get(f.key)
        if (k?.ticket_id) ticket = { id: k.ticket_id }
      }
      if (!ticket) continue
      ids.add(ticket.id)
      const got = evidenceOf
        .all(ticket.id)
        .map((r) => r.sha256)
        .sort()
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrongEvidence++
    }
    check(missingTickets === 0, `phase 1: ${missingTickets} acknowledged filings are missing`)
    check(
      wrongEvidence === 0,
      `phase 1: ${wrongEvidence} filings lack some of their evidence or have extra`,
    )
    check(pageFailures === 0, `phase 1: ${pageFailures} tracking links do not open their case`)
    const total = db.prepare('select count(*) n from tickets').get().n
    check(
      total === ids.size,
      `phase 1: ${total} tickets in the database, but ${ids.size} filings account for them`,
    )
    log(
      `after restart: ${total} tickets (${ok.length} acknowledged, ${total - ok.length} committed without an answer)`,
    )
    if (before.orphans + before.temp === 0)
      log('note: this crash left no orphan files, so the sweep had nothing to remove')
  } finally {
    db.close()
  }
  return server
}

// ------------------------------------------------------------------------------------------
// Phase 2: agent replies

function signIn() {
  return signInEnrolling(base, AGENT.email, AGENT.password)
}

async function phaseReplies(server) {
  const cookie = await signIn()
  const db = openDb()
  const tickets = db
    .prepare('select case_number, version from tickets order by id limit ?')
    .all(CHAINS)
  db.close()
  const total = tickets.length * CHAIN_LENGTH
  const killAfter = Math.floor(total / 3)
  log(
    `phase 2: ${tickets.length} tickets × ${CHAIN_LENGTH} replies in parallel chains, SIGKILL after ${killAfter}`,
  )
  const acked = []
  const other = []
  let killing = null
  let stop = false
  await Promise.all(
    tickets.map(async (t) => {
      let version = t.version
      for (let k = 0; k < CHAIN_LENGTH && !stop; k++) {
        const body = `crash-reply ${t.case_number} #${k} ${randomBytes(4).toString('hex')}`
        let res
        try {
          res = await fetch(`${base}/tickets/${t.case_number}/actions/reply`, {
            method: 'POST',
            redirect: 'manual',
            headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ body, version: String(version) }),
          })
          await res.arrayBuffer()
        } catch {
          stop = true
          return
        }
        if (res.status !== 303) {
          other.push(res.status)
          return
        }
        version++
        acked.push({ caseNumber: t.case_number, body })
        if (acked.length >= killAfter && !killing) {
          killing = kill9(server)
          stop = true
        }
      }
    }),
  )
  if (!killing) throw new Error('phase 2: the kill never happened')
  await killing
  log(`killed: ${acked.length} replies acknowledged`)
  check(
    other.length === 0,
    `phase 2: ${other.length} replies answered neither 303 nor cut off: ${[...new Set(other)]}`,
  )

  ageEvidenceFiles()
  server = await startServer()
  await waitForSweep()
  const db2 = openDb()
  try {
    checkDatabaseWhole(db2, 'after crash 2')
    const find = db2.prepare(
      `select count(*) n from events e join tickets t on t.id = e.ticket_id where t.case_number = ? and e.type = 'replied' and e.body = ?`,
    )
    const lost = acked.filter((a) => find.get(a.caseNumber, a.body).n !== 1)
    check(lost.length === 0, `phase 2: ${lost.length} acknowledged replies are missing or doubled`)
    const unmailed = db2
      .prepare(
        `select count(*) n from events e join tickets t on t.id = e.ticket_id
          where e.type = 'replied' and t.complainant_email is not null
            and (select count(*) from outbox o where o.event_id = e.id) <> 1`,
      )
      .get().n
    check(unmailed === 0, `phase 2: ${unmailed} replies without exactly one outbox mail`)
    const replied = db2.prepare(`select count(*) n from events where type = 'replied'`).get().n
    log(`after restart: ${replied} reply events (${acked.length} acknowledged)`)
  } finally {
    db2.close()
  }
  await stopGracefully(server)
}

// ------------------------------------------------------------------------------------------

let exitCode = 1
try {
  execFileSync(
    process.execPath,
    [
      cliJs,
      'user',
      'add',
      '--email',
      AGENT.email,
      '--name',
      'Crash Agent',
      '--role',
      'agent',
      '--password',
      AGENT.password,
    ],
    { env: { ...baseEnv, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, stdio: 'pipe' },
  )
  const started = Date.now()
  const server = await phaseFilings()
  await phaseReplies(server)
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  if (failures.length) {
    for (const f of failures) console.error(`FAIL ${f}`)
    console.error(`crash-test: ${failures.length} checks failed; data kept in ${dataDir}`)
  } else {
    log('PASS: nothing acknowledged was lost, nothing half-written was left')
    exitCode = 0
  }
} catch (err) {
  console.error(`crash-test: ERROR ${err instanceof Error ? err.stack : String(err)}`)
  console.error(`crash-test: data kept in ${dataDir}`)
}
if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL')
serverLog.end()
if (exitCode === 0 && process.env.KEEP_DATA !== '1')
  fs.rmSync(dataDir, { recursive: true, force: true })
process.exit(exitCode)
