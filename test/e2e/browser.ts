// Shared harness for the browser tests: the real server (dist/, as `npm start` runs it) on a free
// loopback port with a fresh DATA_DIR per test file, Debian's Chromium through playwright-core
// (one browser per file, one context per test), axe-core in the page, CSP violation capture and
// a screenshot + HTML of every open page when a test fails.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe } from 'vitest'
import { projectRoot } from '../../src/paths.js'
import { codeAt, stepOf } from '../helpers/staffSignIn.js'
import { freePort } from '../reliability/server.js'

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
export const hasChromium = fs.existsSync(chromiumPath)
/** Browser suites run when Chromium is there; test/e2e/environment.e2e.test.ts fails CI without it. */
export const describeBrowser = hasChromium ? describe : describe.skip

export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
}
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }
export const devices = [
  ['phone', phone],
  ['desktop', desktop],
] as const

const distDir = path.join(projectRoot, 'dist', 'src')
const resultsDir = path.join(projectRoot, 'test-results', 'e2e')
const require = createRequire(import.meta.url)
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const run = promisify(execFile)

export interface LadderServer {
  url: string
  dataDir: string
  setupUrl: string
  /** Runs `node dist/src/cli.js …` against this server's DATA_DIR; returns stdout. */
  cli(...args: string[]): Promise<string>
  /** Creates a staff user through the CLI; the password is the same for all of them. */
  staff(
    role: 'agent' | 'manager' | 'admin',
    email: string,
    name: string,
  ): Promise<{ email: string; password: string }>
  log(): string
  running(): boolean
  stop(): Promise<void>
}

export const STAFF_PASSWORD = 'browser-test-1'

export async function startServer(): Promise<LadderServer> {
  const serverJs = path.join(distDir, 'server.js')
  if (!fs.existsSync(serverJs))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it)')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-e2e-'))
  const port = await freePort()
  const env = {
    PATH: process.env['PATH'] ?? '',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  }
  const child: ChildProcess = spawn(process.execPath, [serverJs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const until = Date.now() + 20_000
  let setup: RegExpExecArray | null = null
  while (Date.now() < until && child.exitCode === null) {
    setup = /Create one at (http:\/\/[^\s"]+\/setup\?token=[\w-]+)/.exec(out)
    if (setup && /Ladder is listening on/.test(out)) break
    await new Promise((r) => setTimeout(r, 25))
  }
  if (!setup) {
    child.kill('SIGKILL')
    throw new Error(`the server did not start: ${out}`)
  }
  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [path.join(distDir, 'cli.js'), ...args], { env })
    return stdout
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    setupUrl: setup[1]!,
    cli,
    async staff(role, email, name) {
      await cli(
        'user',
        'add',
        '--email',
        email,
        '--name',
        name,
        '--role',
        role,
        '--password',
        STAFF_PASSWORD,
      )
      return { email, password: STAFF_PASSWORD }
    },
    log: () => out,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function launchBrowser(): Promise<Browser> {
  // launch() gives every run a fresh temporary profile, removed on close.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

/**
 * The little of the page's globals the tests touch. The project compiles without the DOM
 * library (it would hide DOM use in server code), so code that runs in the page casts
 * `globalThis` to this.
 */
export interface InPage {
  __marker?: string
  __ladderCsp(v: { directive: string; blocked: string; sample: string }): void
  axe: { run(context: unknown, options: object): Promise<AxeResult> }
  document: {
    activeElement: { id: string } | null
    addEventListener(
      type: 'securitypolicyviolation',
      fn: (e: { violatedDirective: string; blockedURI: string; sample: string }) => void,
    ): void
  }
}

interface Tracked {
  /** Every main-frame URL this page showed, and which of them axe has checked. */
  visited: Set<string>
  audited: Set<string>
}

interface CspViolation {
  page: string
  directive: string
  blocked: string
  sample: string
}

/** One browser and one server per test file; contexts per test, closed (and saved on failure) after it. */
export function useBrowser() {
  let browser: Browser | undefined
  let server: LadderServer | undefined
  const contexts: BrowserContext[] = []
  const tracked = new WeakMap<Page, Tracked>()
  const pages: Page[] = []
  const noScript = new WeakSet<BrowserContext>()
  let auditPage: Page | undefined
  let violations: CspViolation[] = []
  let consoleErrors: string[] = []

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  }, 60_000)

  afterAll(async () => {
    if (server && !server.running())
      console.error(`the server stopped early; its output:\n${server.log().slice(-4000)}`)
    await browser?.close()
    await server?.stop()
  })

  afterEach(async (ctx) => {
    const failed = ctx.task.result?.state === 'fail'
    try {
      if (failed) {
        await saveArtefacts(ctx.task.name, pages)
        if (server && !server.running())
          console.error(
            `the server stopped during the test; its output:\n${server.log().slice(-4000)}`,
          )
      } else {
        const problems: string[] = []
        for (const page of pages) {
          const t = tracked.get(page)!
          const missing = [...t.visited].filter((u) => !t.audited.has(u))
          if (missing.length)
            problems.push(`pages visited but never checked with axe: ${missing.join(', ')}`)
        }
        if (violations.length)
          problems.push(
            'CSP violations:\n' +
              violations
                .map((v) => `  ${v.page}: ${v.directive} blocked ${v.blocked} ${v.sample}`)
                .join('\n'),
          )
        if (problems.length) {
          await saveArtefacts(ctx.task.name, pages)
          throw new Error(problems.join('\n'))
        }
      }
    } finally {
      await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})))
      auditPage = undefined
      pages.length = 0
      violations = []
      consoleErrors = []
    }
  })

  const h = {
    get server(): LadderServer {
      if (!server) throw new Error('the server is not running')
      return server
    },
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not running')
      return browser
    },
    /** CSP violations and console errors seen so far in this test. */
    get cspViolations() {
      return violations
    },
    get consoleErrors() {
      return consoleErrors
    },
    /** A fresh context (cookies, storage) with one page; CSP violations are collected from it. */
    async open(device: BrowserContextOptions, options: BrowserContextOptions = {}): Promise<Page> {
      const context = await h.browser.newContext({
        ...device,
        baseURL: h.server.url,
        locale: 'zh-CN',
        acceptDownloads: true,
        ...options,
      })
      contexts.push(context)
      if (options.javaScriptEnabled === false) noScript.add(context)
      context.setDefaultTimeout(10_000)
      context.setDefaultNavigationTimeout(15_000)
      await context.exposeBinding('__ladderCsp', ({ page }, v: Omit<CspViolation, 'page'>) => {
        violations.push({ page: page.url(), ...v })
      })
      // Init scripts run through the DevTools protocol, so the page's CSP does not apply to them.
      await context.addInitScript(() => {
        const page = globalThis as unknown as InPage
        page.document.addEventListener('securitypolicyviolation', (e) => {
          page.__ladderCsp({
            directive: e.violatedDirective,
            blocked: e.blockedURI,
            sample: e.sample,
          })
        })
      })
      const page = await context.newPage()
      h.track(page)
      return page
    },
    /** Starts watching a page opened some other way (popup, second page of a context). */
    track(page: Page) {
      pages.push(page)
      const t: Tracked = { visited: new Set(), audited: new Set() }
      tracked.set(page, t)
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame() && frame.url().startsWith('http'))
          t.visited.add(pageKey(frame.url()))
      })
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`))
    },
    /** Runs axe-core on the page as it is now; fails on serious or critical violations. */
    async audit(page: Page, label = ''): Promise<void> {
      let target = page
      if (noScript.has(page.context())) {
        // axe needs JavaScript: the same HTML (scripts removed) is served at the same URL to a
        // scripting page of the same size, so styles, contrast and layout are what the user sees.
        const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
        const viewport = page.viewportSize() ?? { width: 1280, height: 800 }
        if (!auditPage || auditPage.isClosed()) {
          const context = await h.browser.newContext({ baseURL: h.server.url })
          contexts.push(context)
          auditPage = await context.newPage()
        }
        target = auditPage
        await target.setViewportSize(viewport)
        await target.route(
          page.url(),
          (route) =>
            route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
          { times: 1 },
        )
        await target.goto(page.url())
      }
      // evaluate() is not subject to the page's CSP, unlike an injected <script>.
      if (!(await target.evaluate(() => 'axe' in globalThis))) await target.evaluate(axeSource)
      const started = Date.now()
      const result = await target.evaluate(async () => {
        const page = globalThis as unknown as InPage
        return page.axe.run(page.document, { resultTypes: ['violations'] })
      })
      if (process.env['E2E_TIMING']) console.log(`axe ${Date.now() - started} ms ${page.url()}`)
      tracked.get(page)?.audited.add(pageKey(page.url()))
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      if (bad.length)
        throw new Error(`axe on ${page.url()}${label ? ` (${label})` : ''}:\n${formatAxe(bad)}`)
    },
  }
  return h
}

interface AxeResult {
  violations: {
    id: string
    impact: string | null
    help: string
    helpUrl: string
    nodes: { target: unknown[]; html: string; failureSummary?: string }[]
  }[]
}

function formatAxe(violations: AxeResult['violations']): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `    - ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n')
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : ''
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`
    })
    .join('\n')
}

// Tracking tokens and cursors differ per visit; the path and the query say which page it was.
function pageKey(url: string): string {
  const u = new URL(url)
  return u.pathname + u.search
}

async function saveArtefacts(testName: string, pages: Page[]): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true })
  const base = testName
    .replace(/[^\w一-龥-]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120)
  const written: string[] = []
  for (const [i, page] of pages.entries()) {
    if (page.isClosed()) continue
    const name = pages.length > 1 ? `${base}-${i + 1}` : base
    try {
      const png = path.join(resultsDir, `${name}.png`)
      await page.screenshot({ path: png, fullPage: true, timeout: 5_000 })
      written.push(png)
    } catch {
      // A crashed page still gets its HTML saved below, if it can.
    }
    try {
      const html = path.join(resultsDir, `${name}.html`)
      fs.writeFileSync(html, `<!-- ${page.url()} -->\n` + (await page.content()))
      written.push(html)
    } catch {
      // nothing more to save
    }
  }
  if (written.length)
    console.error(`browser test failed: ${testName}\n  saved ${written.join('\n  saved ')}`)
}

export type Harness = ReturnType<typeof useBrowser>

// The authenticator app of each account this file signed in, played here with otpauth: the key
// read off the enrolment page, the recovery codes off the page after it, the newest time step used.
const apps = new Map<string, { secret: string; recovery: string[]; lastStep: number }>()

/** The next answer to the code step: a code of a time step not used yet, else a recovery code. */
async function nextCode(email: string): Promise<string> {
  const app = apps.get(email)!
  for (;;) {
    const now = Date.now()
    for (const step of [stepOf(now) - 1, stepOf(now), stepOf(now) + 1]) {
      if (step > app.lastStep) {
        app.lastStep = step
        return codeAt(app.secret, step * 30_000)
      }
    }
    const recovery = app.recovery.shift()
    if (recovery) return recovery
    await new Promise((r) => setTimeout(r, 30_000 - (now % 30_000) + 50))
  }
}

/**
 * Signs a staff member in through the forms, second factor included: at the first sign-in they
 * set up two-factor sign-in (as every staff role must), later they enter a code. They land on the queue.
 */
export async function signIn(
  h: Harness,
  page: Page,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto('/login')
  await h.audit(page)
  await page.locator('input[name="email"]').fill(who.email)
  await page.locator('input[name="password"]').fill(who.password)
  await Promise.all([
    page.waitForURL(/\/login\/(code|enrol)$/),
    page.locator('#login-form button[type="submit"]').click(),
  ])
  await h.audit(page)
  if (new URL(page.url()).pathname === '/login/enrol') {
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '')
    const now = Date.now()
    await page.locator('#enrol-form input[name="code"]').fill(codeAt(secret, now))
    await Promise.all([
      page.locator('#recovery-codes').waitFor(),
      page.locator('#enrol-form button[type="submit"]').click(),
    ])
    await h.audit(page)
    apps.set(who.email, {
      secret,
      recovery: await page.locator('#recovery-codes code').allInnerTexts(),
      lastStep: stepOf(now),
    })
    await Promise.all([page.waitForURL('**/queue'), page.locator('#recovery-continue').click()])
  } else {
    await page.locator('#code-form input[name="code"]').fill(await nextCode(who.email))
    await Promise.all([
      page.waitForURL('**/queue'),
      page.locator('#code-form button[type="submit"]').click(),
    ])
  }
  await h.audit(page)
}

/** Taps on the phone (a touch context), clicks on the desktop. */
export async function press(target: Locator): Promise<void> {
  if (isPhone(target.page())) await target.tap()
  else await target.click()
}

export const isPhone = (page: Page) => (page.viewportSize()?.width ?? 1000) < 600

export { type Page }
