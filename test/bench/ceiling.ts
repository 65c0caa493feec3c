// The ceiling: the same stack (hono on @hono/node-server, one Node process) answering a fixed
// 2 KB HTML page with no database, no session and no template. Started like the real server
// (a separate `node` process on PORT), and measured first with the same load settings, so every
// scenario can be quoted as a share of what the stack itself can do on this machine.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const row = (i: number) =>
  `<li class="qrow" id="row-${i}"><a href="/tickets/LD-2026-${String(i).padStart(6, '0')}">LD-2026-${String(i).padStart(6, '0')}</a></li>\n`
const head =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Ceiling</title></head><body><main><ol>\n'
const tail = '</ol></main></body></html>\n'
let rows = ''
for (let i = 1; head.length + rows.length + row(i).length + tail.length <= 2048; i++) rows += row(i)
/** Exactly 2048 bytes (ASCII), padded with whitespace between the list and its end. */
const CEILING_HTML = head + rows + ' '.repeat(2048 - head.length - rows.length - tail.length) + tail

const app = new Hono()
app.get('/', (c) => c.html(CEILING_HTML))

const port = Number(process.env['PORT'] ?? 3999)
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`ceiling listening on http://127.0.0.1:${info.port}\n`)
})
process.on('SIGTERM', () => process.exit(0))
