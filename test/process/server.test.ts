import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../src/paths.js'
import { overHttp } from '../helpers/staffSignIn.js'
import { freePort, serverJs } from '../reliability/server.js'

// Runs the compiled server exactly as `npm start` does (npm test builds dist/ first).

beforeAll(() => {
  if (!fs.existsSync(serverJs))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it)')
})

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

function start(env: Record<string, string>, command = [process.execPath, serverJs]) {
  const [file, ...args] = command as [string, ...string[]]
  const child = spawn(file, args, {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = async (pattern: RegExp, ms = 15_000, stream: 'stdout' | 'stderr' = 'stdout') => {
    const until = Date.now() + ms
    while (Date.now() < until) {
      const m = pattern.exec(stream === 'stdout' ? stdout : stderr)
      if (m) return m
      if (child.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`timed out waiting for ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)
  }
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) }
}

describe('the server process', () => {
  it('starts on an empty DATA_DIR, migrates, prints the setup URL, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-proc-')), 'fresh')
    const port = await freePort()
    const server = start({ DATA_DIR: dataDir, PORT: String(port) })
    await server.waitFor(/Ladder is listening on http:\/\/127\.0\.0\.1:\d+/)
    const setup = await server.waitFor(/Create one at (http:\/\/[^\s"]+\/setup\?token=[\w-]+)/)
    expect(fs.existsSync(path.join(dataDir, 'ladder.db'))).toBe(true)

    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })

    const setupUrl = new URL(setup[1]!)
    const created = await fetch(`http://127.0.0.1:${port}/setup`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: `http://127.0.0.1:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        token: setupUrl.searchParams.get('token')!,
        email: 'root@example.com',
        name: 'Root',
        password: 'first-admin-1',
        password_confirm: 'first-admin-1',
      }),
    })
    expect(created.status).toBe(303)
    // Password, then setting up the second factor the first admin needs (codes from otpauth).
    const login = await overHttp(`http://127.0.0.1:${port}`).signIn(
      'root@example.com',
      'first-admin-1',
    )
    expect(login.enrolled).toBe(true)
    expect(login.cookie).toMatch(/^ladder_session=/)

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output().stdout).toContain('"msg":"stopped"')
  })

  it('does not print a setup URL once an admin exists', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-proc-'))
    const first = start({ DATA_DIR: dataDir, PORT: String(await freePort()) })
    const setup = await first.waitFor(/setup\?token=([\w-]+)/)
    const port = Number(/:(\d+)\//.exec(first.output().stdout)![1])
    await fetch(`http://127.0.0.1:${port}/setup`, {
      method: 'POST',
      headers: {
        origin: `http://127.0.0.1:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        token: setup[1]!,
        email: 'root@example.com',
        name: 'Root',
        password: 'first-admin-1',
        password_confirm: 'first-admin-1',
      }),
    })
    first.child.kill('SIGINT')
    expect(await first.exited).toBe(0)
    const second = start({ DATA_DIR: dataDir, PORT: String(await freePort()) })
    await second.waitFor(/Ladder is listening/)
    await new Promise((r) => setTimeout(r, 200))
    expect(second.output().stdout).not.toContain('setup?token=')
    expect(second.output().stderr).not.toContain('setup?token=')
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  it('prints the setup link as one plain line too, whatever LOG_LEVEL says', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-proc-'))
    const port = await freePort()
    const server = start({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'error' })
    const line = await server.waitFor(/^ladder: .*\n/m, 15_000, 'stderr')
    expect(line[0]).toMatch(
      new RegExp(
        `^ladder: no administrator yet\\. Open this link to create the first one ` +
          `\\(valid 24 hours, single use\\): http://127\\.0\\.0\\.1:${port}/setup\\?token=[\\w-]+\\n$`,
      ),
    )
    // The link in the plain line is the one that works.
    const token = new URL(line[0].trim().split(' ').pop()!).searchParams.get('token')!
    const page = await fetch(`http://127.0.0.1:${port}/setup?token=${token}`)
    expect(page.status).toBe(200)
    expect(server.output().stdout).not.toContain('setup?token=')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.output().stderr.trim().split('\n')).toHaveLength(1)
  })

  it('`npm start` under a process manager exits 0 on SIGTERM, after the server has stopped', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-proc-'))
    const port = await freePort()
    const env = { DATA_DIR: dataDir, PORT: String(port), HOME: process.env['HOME'] ?? os.tmpdir() }
    const npm = start(env, ['npm', 'start'])
    await npm.waitFor(/Ladder is listening/, 60_000)
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    npm.child.kill('SIGTERM')
    expect(await npm.exited).toBe(0)
    expect(npm.child.signalCode).toBeNull()
    expect(npm.output().stdout).toContain('"msg":"stopped"')
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
  }, 90_000)

  it('stops with one clear line naming a bad variable', async () => {
    const bad = start({
      PORT: 'eighty',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-proc-')),
    })
    expect(await bad.exited).toBe(1)
    const lines = bad.output().stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('PORT')
  })
})
