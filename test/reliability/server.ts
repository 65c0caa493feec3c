// The compiled server (dist/src/server.js, as `npm start` runs it) in a child process, for the
// tests that need a real socket, a real crash or two processes. npm test builds dist/ first.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { overHttp, type StaffSignIn } from '../helpers/staffSignIn.js'
import { projectRoot } from '../../src/paths.js'

export const serverJs = path.join(projectRoot, 'dist', 'src', 'server.js')
export const cliJs = path.join(projectRoot, 'dist', 'src', 'cli.js')

export function requireBuild() {
  if (!fs.existsSync(serverJs))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it)')
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface ChildServer {
  base: string
  port: number
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** Starts the server on DATA_DIR with a clean environment (vitest's own BASE_URL stays out). */
export async function startChildServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  requireBuild()
  const port = await freePort()
  const child = spawn(process.execPath, [serverJs], {
    env: {
      PATH: process.env['PATH'] ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const base = `http://127.0.0.1:${port}`
  const server: ChildServer = {
    base,
    port,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return server
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not start:\n${out}`)
}

const drivers = new Map<string, StaffSignIn>()

/** Signs in through the real forms, second factor included, and returns the session cookie. */
export async function signInAt(base: string, email: string, password: string): Promise<string> {
  if (!drivers.has(base)) drivers.set(base, overHttp(base))
  return (await drivers.get(base)!.signIn(email, password)).cookie
}
