// Runs after every `npm install` / `npm ci` of this project.
// 1. Copies htmx into static/vendor (we serve it ourselves, never from a CDN).
// 2. Makes sure better-sqlite3's native module loads: npm 11 can skip dependency install
//    scripts, and a prebuilt binary cannot be downloaded here, so build it from source if needed.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

const copy = spawnSync(process.execPath, [new URL('./copy-static.mjs', import.meta.url).pathname], {
  stdio: 'inherit',
})
if (copy.status !== 0) process.exit(copy.status ?? 1)

function sqliteLoads() {
  try {
    const Database = require('better-sqlite3')
    new Database(':memory:').close()
    return true
  } catch (err) {
    console.warn(`postinstall: better-sqlite3 does not load yet (${err.message.split('\n')[0]})`)
    return false
  }
}

if (!sqliteLoads()) {
  console.warn('postinstall: building better-sqlite3 from source (takes about a minute)')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  spawnSync(npm, ['rebuild', 'better-sqlite3', '--foreground-scripts'], { stdio: 'inherit' })
  if (!sqliteLoads()) {
    const gyp = spawnSync(npm, ['exec', '--yes', '--', 'node-gyp', 'rebuild', '--release'], {
      stdio: 'inherit',
      cwd: new URL('../node_modules/better-sqlite3/', import.meta.url).pathname,
    })
    if (gyp.status !== 0 || !sqliteLoads()) {
      console.error(
        'postinstall: better-sqlite3 could not be built; install python3, make and g++ and run npm rebuild better-sqlite3',
      )
      process.exit(1)
    }
  }
}
