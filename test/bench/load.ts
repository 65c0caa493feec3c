// One measured load: autocannon against a URL for S seconds at C connections, every response
// status counted (a 303 can be the expected answer), and the server's resident memory sampled
// from /proc while it runs.
import fs from 'node:fs'
import autocannon from 'autocannon'

export interface LoadSpec {
  url: string
  connections: number
  seconds: number
  /** Statuses that count as success; anything else is an error. */
  expect: readonly number[]
  /** Builds each request (method, path, headers, body); called once per request. */
  request: () => {
    method?: 'GET' | 'POST'
    path: string
    headers?: Record<string, string>
    body?: string | Buffer
  }
  /** Per-request time limit; slow pages (reports) get a longer one rather than counting as errors. */
  timeoutSeconds?: number
}

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  /** Responses with an unexpected status, plus connection errors and timeouts. */
  errors: number
  statuses: Record<string, number>
  peakRssMb: number | null
  /**
   * The server's CPU time (user + system) per answered request over the measured run. On a
   * shared machine other work slows the server's wall clock far more than its own CPU use, so
   * this is the steadier figure to compare two builds by.
   */
  cpuMsPerRequest: number | null
}

/** Clock ticks per second of /proc/PID/stat on Linux (USER_HZ, 100 on every current kernel). */
const USER_HZ = 100

/** The process's CPU time so far (user + system), in ms; null when /proc is not there. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces; the fields after it are fixed: utime is the 14th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ
  } catch {
    return null
  }
}

/** The resident set of a process now, in MB (null when /proc is not there). */
export function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
    return m ? Number(m[1]) / 1024 : null
  } catch {
    return null
  }
}

export async function runLoad(spec: LoadSpec, serverPid: number | null): Promise<LoadResult> {
  const statuses: Record<string, number> = {}
  let peak = serverPid === null ? null : rssMb(serverPid)
  const cpuBefore = serverPid === null ? null : cpuMs(serverPid)
  const sampler = setInterval(() => {
    if (serverPid === null) return
    const now = rssMb(serverPid)
    if (now !== null && (peak === null || now > peak)) peak = now
  }, 100)
  try {
    const result = await autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      timeout: spec.timeoutSeconds ?? 10,
      // Redirects are answers, not something to follow: the 303 after a POST is the success.
      requests: [
        {
          setupRequest: (req) => {
            const r = spec.request()
            return {
              ...req,
              method: r.method ?? 'GET',
              path: r.path,
              headers: { ...req.headers, ...r.headers },
              body: r.body as string,
            }
          },
        },
      ],
      setupClient: (client) => {
        client.on('response', (statusCode: number) => {
          statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
        })
      },
    })
    const cpuAfter = serverPid === null ? null : cpuMs(serverPid)
    const total = Object.values(statuses).reduce((s, n) => s + n, 0)
    const ok = Object.entries(statuses).reduce(
      (s, [code, n]) => s + (spec.expect.includes(Number(code)) ? n : 0),
      0,
    )
    return {
      requests: total,
      rps: total / spec.seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      errors: total - ok + result.errors + result.timeouts,
      statuses,
      peakRssMb: peak,
      cpuMsPerRequest:
        cpuBefore === null || cpuAfter === null || total === 0
          ? null
          : (cpuAfter - cpuBefore) / total,
    }
  } finally {
    clearInterval(sampler)
  }
}
