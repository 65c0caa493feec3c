import { parseArgs } from 'node:util'
import path from 'node:path'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createUser, findUserByEmail, type CreateUserProblem } from './auth/users.js'
import { resetUserTwoFactor } from './admin/users.js'
import { twoFactorRequired } from './domain/twoFactorPolicy.js'
import { ROLES, type Role } from './domain/roles.js'
import { openDatabase } from './db/connection.js'
import { migrateToLatest } from './db/migrate.js'
import { DEMO_PASSWORD, generateDemo } from './demo/generate.js'
import { TICKET_LISTENERS } from './listeners.js'
import { backup, OpsError, restore } from './ops/backup.js'
import { rebuildReportRollups } from './reports/rebuild.js'

const USAGE = `Usage:
  npm run cli -- user add --email E --name N --role agent|manager|admin [--password P]
        (or the password in the environment variable LADDER_PASSWORD; they set up two-factor
        sign-in at their first sign-in when LADDER_REQUIRE_2FA asks it of their role)
  npm run cli -- user reset-2fa --email E
        (for someone who lost their phone and recovery codes, the last admin included: they
        set it up again at their next sign-in with their password)
  npm run cli -- demo [--tickets N]
  npm run cli -- reports rebuild   (the report tables afresh from the tickets, after a rule of
        counting changed: since issue 21 money counts as recovered only from an accepted resolution)
  npm run cli -- backup DIR     (a consistent copy of DATA_DIR while the server runs; DIR new or empty)
  npm run cli -- restore DIR    (into an empty DATA_DIR; checks every file against the backup)`

// The same rule as the web forms (src/auth/passwordPolicy.ts); the CLI speaks English only.
const PROBLEM_TEXT: Record<CreateUserProblem, string> = {
  too_short: 'the password needs at least 8 characters',
  too_long: 'the password is too long (at most 200 characters)',
  weak: 'the password must mix letters with digits or symbols',
  repetitive: 'the password needs at least 5 different characters',
  personal: "the password must not contain the user's name or the part of the email before the @",
  common: 'the password is on the list of common passwords (src/auth/common-passwords.txt)',
  email_taken: 'a user with this email exists already',
}

const ENROL_HINT = `At the first sign-in, after the password, Ladder shows a QR code and the same key as text:
  scan it with an authenticator app (Google Authenticator, FreeOTP, 1Password...) or type the key in,
  enter the 6-digit code, and keep the recovery codes shown once. Lost phone: npm run cli -- user reset-2fa --email E`

export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
): Promise<number> {
  const [command, sub] = argv
  const config = loadConfig(env)
  // Before the database is opened: opening it would create a file, and restore needs none.
  if (command === 'backup' || command === 'restore') return runOps(command, sub, config, out)
  const database = openDatabase(config.databaseFile)
  try {
    await migrateToLatest(database.db)
    if (command === 'user' && sub === 'add') {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          password: { type: 'string' },
        },
      })
      const password = values.password ?? env['LADDER_PASSWORD']
      if (!values.email || !values.name || !values.role || !password) {
        out(`Missing --email, --name, --role or --password.\n${USAGE}`)
        return 2
      }
      if (!(ROLES as readonly string[]).includes(values.role)) {
        out(`--role must be one of ${ROLES.join(', ')}`)
        return 2
      }
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
        out('--email must be an email address')
        return 2
      }
      const result = await createUser(
        database.db,
        { email: values.email, name: values.name, role: values.role as Role, password },
        Date.now(),
      )
      if (!result.ok) {
        out(`Not created: ${PROBLEM_TEXT[result.problem]}.`)
        return 1
      }
      out(`Created ${result.user.role} ${result.user.email} (id ${result.user.id}).`)
      if (twoFactorRequired(result.user.role, config.require2fa)) out(ENROL_HINT)
      return 0
    }
    if (command === 'user' && sub === 'reset-2fa') {
      const { values } = parseArgs({ args: argv.slice(2), options: { email: { type: 'string' } } })
      if (!values.email) {
        out(`Missing --email.\n${USAGE}`)
        return 2
      }
      const user = await findUserByEmail(database.db, values.email)
      if (!user) {
        out(`No user with the email ${values.email}.`)
        return 1
      }
      // Recorded like an administrator's reset, with no one signed in as the actor.
      await resetUserTwoFactor(database.db, user.id, { actorUserId: null, at: Date.now() })
      out(
        `Two-factor sign-in of ${user.email} reset; their sessions ended. They set it up again at their next sign-in.`,
      )
      return 0
    }
    if (command === 'reports' && sub === 'rebuild') {
      const started = Date.now()
      await rebuildReportRollups(database.db, started)
      out(`Report tables rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
      return 0
    }
    if (command === 'demo') {
      const { values } = parseArgs({
        args: argv.slice(1),
        options: { tickets: { type: 'string' } },
      })
      const count = values.tickets ? Number(values.tickets) : 300
      if (!Number.isInteger(count) || count < 1 || count > 100_000) {
        out('--tickets must be a whole number from 1 to 100000')
        return 2
      }
      const started = Date.now()
      const result = await generateDemo(
        { db: database.db, listeners: TICKET_LISTENERS },
        { count, now: Date.now() },
      )
      out(
        `Demo data: ${result.tickets} tickets in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      )
      out(`Demo accounts (password for all: ${DEMO_PASSWORD}):`)
      for (const a of result.accounts) {
        const second = twoFactorRequired(a.role, config.require2fa)
          ? '  (sets up two-factor at first sign-in)'
          : ''
        out(`  ${a.role.padEnd(8)} ${a.email}${second}`)
      }
      out(ENROL_HINT)
      return 0
    }
    out(USAGE)
    return 2
  } finally {
    await database.close()
  }
}

async function runOps(
  command: 'backup' | 'restore',
  dir: string | undefined,
  config: Config,
  out: (s: string) => void,
) {
  if (!dir) {
    out(`Missing DIR.\n${USAGE}`)
    return 2
  }
  const target = path.resolve(dir)
  try {
    const m = command === 'backup' ? await backup(config, target) : await restore(config, target)
    const what = `${m.counts.tickets} tickets, ${m.counts.events} events, ${m.evidence.files} evidence files`
    out(
      command === 'backup'
        ? `Backup written to ${target}: ${what}.`
        : `Restored into ${config.dataDir}: ${what}.`,
    )
    return 0
  } catch (err) {
    if (err instanceof OpsError) {
      out(`Not done: ${err.message}.`)
      return 1
    }
    throw err
  }
}

const isEntryPoint =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
if (isEntryPoint) {
  runCli(process.argv.slice(2), process.env, (s) => process.stdout.write(s + '\n')).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const msg =
        err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)
      process.stderr.write(`ladder: ${msg}\n`)
      process.exit(1)
    },
  )
}
