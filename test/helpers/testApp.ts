import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseHTML } from './html.js'
import { createApp } from '../../src/app.js'
import { TICKET_LISTENERS } from '../../src/listeners.js'
import type { ChangeListener } from '../../src/change/types.js'
import { loadConfig, type Config } from '../../src/config.js'
import { openDatabase, type OpenedDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createUser } from '../../src/auth/users.js'
import type { Role } from '../../src/domain/roles.js'
import { createLogger, type Logger } from '../../src/http/logger.js'
import { createViews } from '../../src/http/views.js'
import { afterReplySettled } from '../../src/http/afterReply.js'
import { StaffSignIn } from './staffSignIn.js'

export const ORIGIN = 'http://localhost'

export interface TestApp {
  app: ReturnType<typeof createApp>
  db: OpenedDatabase['db']
  database: OpenedDatabase
  config: Config
  dataDir: string
  logs: string[]
  /** The fixed "now" of this app; tests move it with `advance`. */
  now(): number
  advance(ms: number): void
  setNow(ms: number): void
  request(pathname: string, init?: RequestInit & { cookie?: string }): Promise<Response>
  get(
    pathname: string,
    init?: { cookie?: string; headers?: Record<string, string> },
  ): Promise<Response>
  postForm(
    pathname: string,
    fields: Record<string, string | string[]>,
    init?: { cookie?: string; headers?: Record<string, string> },
  ): Promise<Response>
  createStaff(
    role: Role,
    email?: string,
    password?: string,
  ): Promise<{ id: number; email: string; password: string }>
  /** Signs in through the forms, second factor included (enrolling at the first sign-in). */
  signIn(email: string, password: string): Promise<string>
  /** The sign-in driver behind signIn: the factors it enrolled, its codes, each step alone. */
  staff: StaffSignIn
  close(): Promise<void>
}

/** A fresh data directory and SQLite file per call, migrated, with a controllable clock. */
export async function createTestApp(
  options: {
    env?: Record<string, string>
    now?: number
    logger?: Logger
    listeners?: readonly ChangeListener[]
  } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, ...options.env })
  const database = openDatabase(config.databaseFile)
  await migrateToLatest(database.db)
  let now = options.now ?? Date.UTC(2026, 10, 23, 2, 0, 0)
  const logs: string[] = []
  const logger = options.logger ?? createLogger('debug', (line) => logs.push(line))
  const app = createApp({
    db: database.db,
    config,
    clock: () => now,
    logger,
    views: createViews(),
    listeners: options.listeners ?? TICKET_LISTENERS,
  })

  const request = async (pathname: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers)
    if (init.cookie) headers.set('cookie', init.cookie)
    return app.request(new URL(pathname, ORIGIN).toString(), { ...init, headers })
  }
  const t: TestApp = {
    app,
    db: database.db,
    database,
    config,
    dataDir,
    logs,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    setNow: (ms) => {
      now = ms
    },
    request,
    get: (pathname, init = {}) =>
      request(pathname, { method: 'GET', cookie: init.cookie, headers: init.headers }),
    postForm: (pathname, fields, init = {}) => {
      const body = new URLSearchParams()
      for (const [k, v] of Object.entries(fields)) {
        for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
      }
      return request(pathname, {
        method: 'POST',
        body,
        cookie: init.cookie,
        headers: {
          origin: ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          ...init.headers,
        },
      })
    },
    async createStaff(
      role,
      email = `${role}-${Math.random().toString(36).slice(2, 8)}@ladder.test`,
      password = 'correct-horse-42',
    ) {
      const created = await createUser(
        database.db,
        { email, name: `Test ${role}`, role, password },
        now,
      )
      if (!created.ok) throw new Error(created.problem)
      return { id: created.user.id, email, password }
    },
    async signIn(email, password) {
      return (await t.staff.signIn(email, password)).cookie
    },
    staff: new StaffSignIn(
      (pathname, init) => {
        const headers = new Headers({ origin: ORIGIN })
        if (init.cookie) headers.set('cookie', init.cookie)
        if (init.form) headers.set('content-type', 'application/x-www-form-urlencoded')
        const body = init.form ? new URLSearchParams(init.form) : undefined
        const env = init.ip ? { incoming: { socket: { remoteAddress: init.ip } } } : undefined
        return Promise.resolve(
          app.request(
            new URL(pathname, ORIGIN).toString(),
            { method: init.method, headers, body },
            env,
          ),
        )
      },
      () => now,
    ),
    async close() {
      // Work a reply did not wait for (a lost-link request) still needs the database.
      await afterReplySettled()
      await database.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return t
}

/** `name=value` of the session cookie a response sets, for the next request's Cookie header. */
export function sessionCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('ladder_session='))
  if (!set) throw new Error('no session cookie set')
  return set.split(';')[0]!
}

export async function html(res: Response) {
  return parseHTML(await res.text())
}
