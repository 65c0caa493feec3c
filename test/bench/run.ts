// `npm run bench [-- --tickets N --seconds S --json FILE]`: how fast Ladder is, next to the
// ceiling of its own stack, measured in one run on this machine. Prints one table; quote the
// ratios, since the machines are shared and noisy. Never a pass/fail on time.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { projectRoot } from '../../src/paths.js'
import { ensureBenchData } from './generate.js'
import { cpuMs, runLoad, rssMb, type LoadResult } from './load.js'
import { prepareScenarios, type Scenario } from './scenarios.js'

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    json: { type: 'string' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    port: { type: 'string', default: '3801' },
    'cpu-prof': { type: 'boolean', default: false },
  },
})
const tickets = Number(args.tickets)
const seconds = Number(args.seconds)
const connections = Number(args.connections)
if (!Number.isInteger(tickets) || tickets < 1000)
  throw new Error('--tickets must be a whole number of at least 1000')
if (!(seconds > 0)) throw new Error('--seconds must be above 0')
const only = args.only ? new Set(args.only.split(',')) : null
const log = (line: string) => process.stdout.write(line + '\n')
const benchRoot = path.join(projectRoot, '.bench-data')
const dist = path.join(projectRoot, 'dist')

interface Started {
  child: ChildProcess
  url: string
}

/** Starts a node process the way `npm start` does, its output to a log file, and waits until it answers. */
async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: string,
  nodeArgs: string[] = [],
): Promise<Started> {
  fs.mkdirSync(benchRoot, { recursive: true })
  const out = fs.openSync(path.join(benchRoot, `${name}.log`), 'w')
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  })
  const url = `http://127.0.0.1:${env['PORT']}`
  // Migrations on a bench database that predates a new one can take minutes at 1M tickets.
  const deadline = Date.now() + 15 * 60_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode}; see ${benchRoot}/${name}.log`)
    try {
      const res = await fetch(url + ready)
      if (res.ok) return { child, url }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(
        `${name} did not answer ${ready} in time (pending migrations on a large database?); see ${benchRoot}/${name}.log`,
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/**
 * The node options `npm start` gives the server (package.json's start script), so the bench
 * starts the server, and the ceiling beside it, the same way.
 */
function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  const m = /\bnode\s+((?:--\S+\s+)*)dist\/src\/server\.js/.exec(pkg.scripts['start'] ?? '')
  if (!m)
    throw new Error(
      'package.json: the start script no longer runs "node … dist/src/server.js"; update the bench',
    )
  return m[1]!.split(/\s+/).filter(Boolean)
}

async function stopProcess(p: Started): Promise<void> {
  if (p.child.exitCode !== null) return
  const exited = new Promise((r) => p.child.once('exit', r))
  p.child.kill('SIGTERM')
  await exited
}

async function timeOne(
  url: string,
  r: ReturnType<Scenario['request']>,
  pid: number | null,
): Promise<LoadResult> {
  const started = performance.now()
  const cpuBefore = pid === null ? null : cpuMs(pid)
  const res = await fetch(url + r.path, {
    method: r.method ?? 'GET',
    headers: r.headers,
    body: r.body,
    redirect: 'manual',
  })
  await res.arrayBuffer()
  const ms = Math.round(performance.now() - started)
  const rss = pid === null ? null : rssMb(pid, 'VmHWM')
  return {
    requests: 1,
    rps: 1000 / ms,
    p50: ms,
    p99: ms,
    max: ms,
    errors: res.status === 200 ? 0 : 1,
    statuses: { [res.status]: 1 },
    peakRssMb: rss,
    cpuMsPerRequest:
      cpuBefore === null || pid === null ? null : (cpuMs(pid) ?? cpuBefore) - cpuBefore,
  }
}

/** Requests still queued in the server when the load stops would slow the next scenario: wait them out. */
async function drain(url: string): Promise<void> {
  const deadline = Date.now() + 5 * 60_000
  while (Date.now() < deadline) {
    const started = performance.now()
    await fetch(url + '/healthz').catch(() => null)
    if (performance.now() - started < 20) return
    await new Promise((r) => setTimeout(r, 200))
  }
}

function dbBytes(dataDir: string): number {
  let total = 0
  for (const f of ['ladder.db', 'ladder.db-wal', 'ladder.db-shm']) {
    try {
      total += fs.statSync(path.join(dataDir, f)).size
    } catch {
      // Not there: nothing to add.
    }
  }
  return total
}

/**
 * Reads the database files once, so every scenario meets the OS page cache a server that has
 * been running for a while would have. Without this the first scenarios pay for disk reads the
 * later ones do not (this VM's memory manager also evicts pages left untouched for long).
 */
async function warmPageCache(dataDir: string): Promise<{ bytes: number; seconds: number }> {
  const started = performance.now()
  let bytes = 0
  for (const f of ['ladder.db', 'ladder.db-wal']) {
    const file = path.join(dataDir, f)
    if (!fs.existsSync(file)) continue
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }))
      bytes += (chunk as Buffer).length
  }
  return { bytes, seconds: (performance.now() - started) / 1000 }
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: projectRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return null
  }
}

interface Row {
  key: string
  title: string
  connections: number
  result: LoadResult
  ratio: number | null
  target: string
  met: boolean | null
  note: string | null
}

async function main() {
  log(
    `Ladder bench: ${tickets.toLocaleString('en')} tickets, ${seconds} s per scenario, ${connections} connections, ${os.cpus().length} cores, Node ${process.version}`,
  )
  const genStarted = Date.now()
  const data = await ensureBenchData(benchRoot, tickets, log)
  const genSeconds = data.reused ? data.meta.seconds : (Date.now() - genStarted) / 1000
  log(
    data.reused
      ? `Data: reused ${data.dataDir} (generated ${data.meta.generatedAt} in ${data.meta.seconds.toFixed(0)} s)`
      : `Data: generated in ${genSeconds.toFixed(1)} s (${data.meta.events.toLocaleString('en')} events, ${data.meta.stages.toLocaleString('en')} stages, ${data.meta.evidence.toLocaleString('en')} evidence rows)`,
  )
  const sizeBefore = dbBytes(data.dataDir)
  const warmed = await warmPageCache(data.dataDir)
  log(
    `Page cache: read the database files once (${(warmed.bytes / 1024 ** 3).toFixed(2)} GB in ${warmed.seconds.toFixed(1)} s)`,
  )
  const rows: Row[] = []
  const warmup = Math.min(2, seconds / 5)

  const nodeFlags = startScriptNodeFlags()
  log(`Node options as in npm start: ${nodeFlags.join(' ') || '(none)'}`)

  // 1. The ceiling, first, with the same tool and settings.
  const ceilingPort = String(Number(args.port) + 1)
  let ceilingRps: number | null = null
  if (!only || only.has('ceiling')) {
    const ceiling = await startProcess(
      'ceiling',
      path.join(dist, 'test/bench/ceiling.js'),
      { PORT: ceilingPort },
      '/',
      nodeFlags,
    )
    try {
      const spec = {
        url: ceiling.url,
        connections,
        seconds,
        expect: [200],
        request: () => ({ path: '/' }),
      }
      await runLoad({ ...spec, seconds: warmup }, null)
      const result = await runLoad(spec, ceiling.child.pid ?? null)
      ceilingRps = result.rps
      rows.push({
        key: 'ceiling',
        title: 'Ceiling: bare hono, fixed 2 KB HTML',
        connections,
        result,
        ratio: 1,
        target: '',
        met: null,
        note: null,
      })
      log(`  ceiling: ${result.rps.toFixed(0)} req/s`)
    } finally {
      await stopProcess(ceiling)
    }
  }

  // 2. The real server, built the way `npm start` runs it.
  const server = await startProcess(
    'server',
    path.join(dist, 'src/server.js'),
    {
      PORT: args.port!,
      HOST: '127.0.0.1',
      DATA_DIR: data.dataDir,
      // Filings come from many complainants; behind a proxy each has its own address, which the
      // bench sends in X-Forwarded-For so the per-address filing limit applies per "person".
      TRUST_PROXY: 'true',
    },
    '/healthz',
    [
      ...nodeFlags,
      ...(args['cpu-prof']
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(benchRoot, 'profiles')}`]
        : []),
    ],
  )
  try {
    const scenarios: Scenario[] = await prepareScenarios({
      url: server.url,
      dataDir: data.dataDir,
      log,
    })
    for (const s of scenarios) {
      if (only && !only.has(s.key)) continue
      log(`  ${s.key}: ${s.title} …`)
      const conns = s.connections ?? connections
      const spec = {
        url: server.url,
        connections: conns,
        seconds,
        expect: s.expect,
        request: s.request,
        timeoutSeconds: s.timeoutSeconds,
      }
      await s.before?.()
      if (s.warm !== false) {
        await runLoad({ ...spec, seconds: warmup }, null)
        await drain(server.url)
      }
      let result: LoadResult
      try {
        result = await runLoad(spec, server.child.pid ?? null)
      } finally {
        await s.after?.()
      }
      await drain(server.url)
      // A page slower than the whole window never completes inside it: time one on its own.
      if (result.requests === 0)
        result = await timeOne(server.url, s.request(), server.child.pid ?? null)
      const judged = s.judge(result, ceilingRps)
      rows.push({
        key: s.key,
        title: s.title,
        connections: conns,
        result,
        ratio: ceilingRps ? result.rps / ceilingRps : null,
        target: s.target,
        met: judged,
        note: s.note?.(result) ?? null,
      })
      log(
        `    ${result.rps.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${result.cpuMsPerRequest?.toFixed(3) ?? '–'} ms/request, errors ${result.errors} ${JSON.stringify(result.statuses)}`,
      )
    }
  } finally {
    const hwm = server.child.pid ? rssMb(server.child.pid, 'VmHWM') : null
    await stopProcess(server)
    const sizeAfter = dbBytes(data.dataDir)
    report(rows, { sizeBefore, sizeAfter, genSeconds, reused: data.reused, hwm, meta: data.meta })
  }
}

function report(
  rows: Row[],
  extra: {
    sizeBefore: number
    sizeAfter: number
    genSeconds: number
    reused: boolean
    hwm: number | null
    meta: object
  },
) {
  const fmt = (n: number | null, digits = 0) => (n === null ? '–' : n.toFixed(digits))
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'vs ceiling',
    'peak RSS MB',
    'target',
    'met',
  ]
  const lines = rows.map((r) => [
    r.key,
    fmt(r.result.rps, r.result.rps < 100 ? 1 : 0),
    r.result.requests ? fmt(r.result.p50) : '–',
    r.result.requests ? fmt(r.result.p99) : '–',
    `${r.result.errors}/${r.result.requests}`,
    r.ratio === null ? '–' : `${(r.ratio * 100).toFixed(1)} %`,
    fmt(r.result.peakRssMb),
    r.target + (r.note ? ` (${r.note})` : ''),
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const line = (cells: string[]) =>
    '| ' +
    cells
      .map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join(' | ') +
    ' |'
  log('')
  log(line(header))
  log(
    '|' +
      widths
        .map(
          (w, i) =>
            (i === 0 || i >= 7 ? '-' : '') + '-'.repeat(w) + (i === 0 || i >= 7 ? '-' : ':'),
        )
        .join('|') +
      '|',
  )
  for (const l of lines) log(line(l))
  const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`
  log('')
  log(
    `Data: ${tickets.toLocaleString('en')} tickets, generated in ${extra.genSeconds.toFixed(0)} s${extra.reused ? ' (earlier run, reused)' : ''} (target: 1M in < 180 s)`,
  )
  log(
    `Database on disk: ${gb(extra.sizeBefore)} before the scenarios, ${gb(extra.sizeAfter)} after (ladder.db + WAL)`,
  )
  log(`Server peak RSS over the whole run (VmHWM): ${fmt(extra.hwm)} MB (target < 400 MB)`)
  if (args.json) {
    const out = {
      commit: gitCommit(),
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? null,
        memoryGb: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
      },
      settings: { tickets, seconds, connections },
      data: {
        ...extra.meta,
        generationSeconds: extra.genSeconds,
        reused: extra.reused,
        dbBytesBefore: extra.sizeBefore,
        dbBytesAfter: extra.sizeAfter,
      },
      serverPeakRssMb: extra.hwm,
      scenarios: rows.map((r) => ({
        key: r.key,
        title: r.title,
        connections: r.connections,
        rps: r.result.rps,
        p50Ms: r.result.p50,
        p99Ms: r.result.p99,
        maxMs: r.result.max,
        requests: r.result.requests,
        errors: r.result.errors,
        statuses: r.result.statuses,
        ratioToCeiling: r.ratio,
        peakRssMb: r.result.peakRssMb,
        cpuMsPerRequest: r.result.cpuMsPerRequest,
        target: r.target,
        met: r.met,
        note: r.note,
      })),
    }
    fs.writeFileSync(args.json, JSON.stringify(out, null, 2) + '\n')
    log(`JSON written to ${args.json}`)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  )
  process.exit(1)
})
