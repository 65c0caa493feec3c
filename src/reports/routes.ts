import { Hono, type Context } from 'hono'
import { requireRole } from '../auth/middleware.js'
import { attachmentDisposition } from '../http/contentDisposition.js'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { render } from '../http/render.js'
import { loadDeadlineContext } from '../deadlines/context.js'
import { csvFilename, toCsv } from './csv.js'
import { resolveScope, scopeQuery, type ReportScope } from './filters.js'
import { filterOptions } from './options.js'
import { buildAll, buildReport, isReportName, REPORT_NAMES } from './service.js'
import { alertWindow } from './tables/alerts.js'
import type { ReportContext } from './tables/data.js'
import { htmlValue, isNumeric, tableCsvRows, type Cell } from './table.js'

/** GET /reports (the page) and GET /reports/{name}.csv, for managers and admins. */
export const reportsRoutes = new Hono<AppEnv>()

reportsRoutes.use('*', requireRole('manager'))

async function context(c: Context<AppEnv>, scope: ReportScope): Promise<ReportContext> {
  const { db } = c.get('deps')
  return { db, scope, deadlines: await loadDeadlineContext(db), t: c.get('t'), locale: c.get('locale') }
}

reportsRoutes.get('/', async (c) => {
  const { db, clock } = c.get('deps')
  const resolved = resolveScope(c.req.query(), clock())
  const options = await filterOptions(db, c.get('locale'))
  if (!resolved.ok) {
    return render(
      c,
      'reports/index',
      { values: resolved.values, errors: resolved.errors, options, report: null, names: REPORT_NAMES },
      { status: 422, fragment: 'reports/_body' },
    )
  }
  const scope = resolved.scope
  const report = await buildAll(await context(c, scope))
  return render(
    c,
    'reports/index',
    {
      values: resolved.values,
      errors: {},
      options,
      report,
      scope,
      query: scopeQuery(scope),
      alertWindow: alertWindow(scope),
      names: REPORT_NAMES,
      cell: (cell: Cell) => htmlValue(cell, c.get('locale')),
      numeric: isNumeric,
    },
    { fragment: 'reports/_body' },
  )
})

reportsRoutes.get('/:file', async (c) => {
  const file = c.req.param('file')
  const name = file.endsWith('.csv') ? file.slice(0, -4) : ''
  if (!isReportName(name)) throw new HttpError(404, 'error.404')
  const resolved = resolveScope(c.req.query(), c.get('deps').clock())
  if (!resolved.ok) throw new HttpError(422, 'reports.filter.invalid')
  const table = await buildReport(await context(c, resolved.scope), name)
  const body = toCsv(table.columns, tableCsvRows(table))
  const fileName = csvFilename(name, resolved.scope.fromDate, resolved.scope.toDate)
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': attachmentDisposition(fileName, fileName),
    'Cache-Control': 'private, no-store',
  })
})
