import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../../src/paths.js'

// A short run of scripts/crash-test.mjs (the full one is `npm run test:crash`, run by CI): the
// compiled server is killed with SIGKILL under concurrent filings and under agent replies, and
// restarted on the same data. npm test builds dist/ first.
const serverJs = path.join(projectRoot, 'dist', 'src', 'server.js')

describe('crash safety (short run)', () => {
  it('loses no acknowledged filing or reply and leaves nothing half-written after kill -9', () => {
    if (!fs.existsSync(serverJs))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)')
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'crash-test.mjs')], {
      env: { ...process.env, CRASH_FILINGS: '120', CRASH_CHAINS: '40', CRASH_CHAIN_LENGTH: '4' },
      encoding: 'utf8',
      timeout: 110_000,
    })
    const output = `${run.stdout}\n${run.stderr}`
    expect(output).toContain('PASS')
    expect(run.status, output).toBe(0)
  }, 120_000)
})
