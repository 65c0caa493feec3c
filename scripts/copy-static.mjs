// Copies htmx from its npm package into static/vendor so the app serves it itself (no CDN).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js')
const target = join(root, 'static', 'vendor', 'htmx.min.js')
if (!existsSync(source)) {
  console.error('copy-static: htmx.org is not installed; run npm install')
  process.exit(1)
}
// Every build runs this; an unchanged copy keeps its modification time, so the file's
// Last-Modified and browsers' caches stay valid from one start to the next.
if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) process.exit(0)
mkdirSync(dirname(target), { recursive: true })
copyFileSync(source, target)
