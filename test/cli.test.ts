import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { verifyPassword } from '../src/auth/password.js'
import { openDatabase } from '../src/db/connection.js'
import { DEMO_ACCOUNTS } from '../src/demo/generate.js'
import { REPORT_TABLES } from '../src/reports/rebuild.js'

const dirs: string[] = []
function env(extra: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-cli-'))
  dirs.push(dir)
  return { DATA_DIR: dir, ...extra }
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function run(args: string[], e: Record<string, string>) {
  const out: string[] = []
  const code = await runCli(args, e, (s) => out.push(s))
  return { code, out: out.join('\n') }
}

describe('npm run cli -- user reset-2fa', () => {
  it('takes a second factor away, ends the sessions and records it, so the user sets it up again', async () => {
    const e = env()
    await run(
      [
        'user',
        'add',
        '--email',
        'boss@example.com',
        '--name',
        'Boss',
        '--role',
        'admin',
        '--password',
        'pass-word-9',
      ],
      e,
    )
    const d = openDatabase(path.join(e.DATA_DIR, 'ladder.db'))
    const user = await d.db.selectFrom('users').select('id').executeTakeFirstOrThrow()
    await d.db
      .insertInto('two_factor')
      .values({
        user_id: user.id,
        secret: 'v1:x:y:z',
        enabled_at: 1,
        last_step: null,
        pending_secret: null,
        pending_at: null,
        updated_at: 1,
      })
      .execute()
    await d.db
      .insertInto('sessions')
      .values({
        id_hash: 'h',
        user_id: user.id,
        created_at: Date.now(),
        last_seen_at: Date.now(),
        expires_at: Date.now() + 60_000,
        ip: null,
        user_agent: null,
      })
      .execute()
    await d.close()

    const r = await run(['user', 'reset-2fa', '--email', 'BOSS@example.com'], e)
    expect(r).toMatchObject({ code: 0 })
    expect(r.out).toContain('reset')
    const after = openDatabase(path.join(e.DATA_DIR, 'ladder.db'))
    expect(await after.db.selectFrom('two_factor').selectAll().execute()).toEqual([])
    expect(await after.db.selectFrom('sessions').selectAll().execute()).toEqual([])
    const audit = await after.db.selectFrom('admin_changes').selectAll().executeTakeFirstOrThrow()
    await after.close()
    expect(audit).toMatchObject({
      action: 'user_2fa_reset',
      subject: 'boss@example.com',
      actor_user_id: null,
    })

    expect((await run(['user', 'reset-2fa', '--email', 'nobody@example.com'], e)).code).toBe(1)
    expect((await run(['user', 'reset-2fa'], e)).code).toBe(2)
  })
})

describe('npm run cli -- user add', () => {
  it('creates a staff user with a hashed password', async () => {
    const e = env()
    const r = await run(
      [
        'user',
        'add',
        '--email',
        'Agent@Example.com',
        '--name',
        '李专员',
        '--role',
        'agent',
        '--password',
        'pass-word-9',
      ],
      e,
    )
    expect(r).toMatchObject({ code: 0 })
    expect(r.out).toContain('agent@example.com')
    const d = openDatabase(path.join(e.DATA_DIR, 'ladder.db'))
    const user = await d.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    await d.close()
    expect(user).toMatchObject({ email: 'agent@example.com', name: '李专员', role: 'agent' })
    expect(await verifyPassword('pass-word-9', user.password_hash)).toBe(true)
  })

  it('takes the password from LADDER_PASSWORD', async () => {
    const r = await run(
      ['user', 'add', '--email', 'm@example.com', '--name', 'M', '--role', 'manager'],
      env({ LADDER_PASSWORD: 'from-env-123' }),
    )
    expect(r.code).toBe(0)
  })

  it.each([
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'boss', '--password', 'pass-word-9'],
      2,
      'role',
    ],
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'agent', '--password', 'short'],
      1,
      '8 characters',
    ],
    [
      ['--email', 'nope', '--name', 'A', '--role', 'agent', '--password', 'pass-word-9'],
      2,
      'email',
    ],
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'agent', '--password', 'onlyletters'],
      1,
      'letters with digits',
    ],
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'agent', '--password', 'iloveyou1'],
      1,
      'common passwords',
    ],
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'agent', '--password', 'qq123456'],
      1,
      'common passwords',
    ],
    [
      [
        '--email',
        'zhangwei@example.com',
        '--name',
        'Zhang Wei',
        '--role',
        'agent',
        '--password',
        'zhangwei-88',
      ],
      1,
      "user's name",
    ],
    [
      ['--email', 'a@example.com', '--name', 'A', '--role', 'agent', '--password', 'abab1212'],
      1,
      '5 different',
    ],
    [['--name', 'A', '--role', 'agent', '--password', 'pass-word-9'], 2, 'Missing'],
  ])('refuses %j with a clear message', async (args, code, words) => {
    const r = await run(['user', 'add', ...args], env())
    expect(r.code).toBe(code)
    expect(r.out).toContain(words)
  })

  it('refuses a second user with the same email', async () => {
    const e = env()
    await run(
      [
        'user',
        'add',
        '--email',
        'a@example.com',
        '--name',
        'A',
        '--role',
        'agent',
        '--password',
        'pass-word-9',
      ],
      e,
    )
    const r = await run(
      [
        'user',
        'add',
        '--email',
        'A@example.com',
        '--name',
        'B',
        '--role',
        'admin',
        '--password',
        'pass-word-9',
      ],
      e,
    )
    expect(r).toMatchObject({ code: 1 })
    expect(r.out).toContain('exists')
  })
})

describe('npm run cli -- demo', () => {
  it('fills the database with tickets across levels and statuses and prints the demo accounts', async () => {
    const e = env()
    const r = await run(['demo', '--tickets', '120'], e)
    expect(r.code).toBe(0)
    for (const a of DEMO_ACCOUNTS) expect(r.out).toContain(a.email)
    // The demo managers and admins (every staff role, today) set up two-factor at first sign-in.
    expect(r.out).toContain('(sets up two-factor at first sign-in)')
    expect(r.out).toContain('authenticator app')
    const d = openDatabase(path.join(e.DATA_DIR, 'ladder.db'))
    const tickets = await d.db
      .selectFrom('tickets')
      .select(['status', 'level', 'locale', 'id', 'version'])
      .execute()
    const events = await d.db.selectFrom('events').select(['ticket_id', 'type']).execute()
    await d.close()
    expect(tickets).toHaveLength(120)
    expect(new Set(tickets.map((t) => t.level)).size).toBe(4)
    expect(new Set(tickets.map((t) => t.status)).size).toBeGreaterThanOrEqual(6)
    expect(new Set(tickets.map((t) => t.locale))).toEqual(new Set(['zh-CN', 'en']))
    // Every change came through the lifecycle: one event per version step after filing.
    for (const t of tickets) {
      expect(events.filter((ev) => ev.ticket_id === t.id)).toHaveLength(t.version)
    }
  })

  it('refuses a silly ticket count', async () => {
    expect((await run(['demo', '--tickets', 'lots'], env())).code).toBe(2)
  })
})

describe('npm run cli -- reports rebuild', () => {
  it('fills the report tables afresh from the tickets', async () => {
    const e = env()
    expect((await run(['demo', '--tickets', '40'], e)).code).toBe(0)
    const file = path.join(e.DATA_DIR, 'ladder.db')
    const counts = async () => {
      const d = openDatabase(file)
      try {
        const out: Record<string, number> = {}
        for (const table of REPORT_TABLES) {
          const row = await sql<{
            n: number
          }>`select count(*) as n from ${sql.table(table)}`.execute(d.db)
          out[table] = row.rows[0]!.n
        }
        return out
      } finally {
        await d.close()
      }
    }
    const kept = await counts()
    expect(Object.values(kept).some((n) => n > 0)).toBe(true)
    const d = openDatabase(file)
    for (const table of REPORT_TABLES) await sql`delete from ${sql.table(table)}`.execute(d.db)
    await d.close()
    const r = await run(['reports', 'rebuild'], e)
    expect(r).toMatchObject({ code: 0 })
    expect(r.out).toContain('Report tables rebuilt')
    // Per-stage facts come back row for row; the rollups kept with each change may hold rows a
    // rebuild folds together (test/reports/rollups.test.ts compares what the reports show).
    const rebuilt = await counts()
    for (const table of ['report_stages', 'report_escalations', 'report_closed'])
      expect(rebuilt[table], table).toBe(kept[table])
    for (const table of REPORT_TABLES) expect(rebuilt[table], table).toBeGreaterThan(0)
  })
})
