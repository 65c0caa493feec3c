import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { requireRole } from '../auth/middleware.js'
import { attachmentDisposition } from '../http/contentDisposition.js'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { validQuery, type FieldErrors, type QueryValues } from '../http/forms.js'
import { render } from '../http/render.js'
import { loadDeadlineContext } from '../deadlines/context.js'
import { csvFilename, toCsv } from './csv.js'
import {
  filterSchema,
  filterValues,
  scopeOf,
  scopeQuery,
  type ReportScope,
  type ScopeResult,
} from './filters.js'
import { filterOptions } from './options.js'
import { buildAll, buildReport, isReportName, REPORT_NAMES, type ReportName } from './service.js'
import { alertWindow } from './tables/alerts.js'
import type { ReportContext } from './tables/data.js'
import { htmlValue, isNumeric, tableCsvRows, type Cell } from './table.js'

/** GET /reports (the page) and GET /reports/{name}.csv, for managers and admins. */
export const reportsRoutes = new Hono<AppEnv>()

reportsRoutes.use('*', requireRole('manager'))

async function context(c: Context<AppEnv>, scope: ReportScope): Promise<ReportContext> {
  const { db } = c.get('deps')
  return {
    db,
    scope,
    deadlines: await loadDeadlineContext(db),
    t: c.get('t'),
    locale: c.get('locale'),
  }
}

async function invalidPage(
  c: Context<AppEnv>,
  errors: FieldErrors,
  values: Record<string, string>,
) {
  const options = await filterOptions(c.get('deps').db, c.get('locale'))
  return render(
    c,
    'reports/index',
    { values, errors, options, report: null, names: REPORT_NAMES },
    { status: 422, fragment: 'reports/_body' },
  )
}

const pageFilters = validQuery(filterSchema, (c: Context<AppEnv>, errors, values: QueryValues) =>
  invalidPage(c, errors, filterValues(values)),
)
const csvFilters = validQuery(filterSchema, () => {
  throw new HttpError(422, 'reports.filter.invalid')
})

/** The report a CSV path names ('' when it names none). */
const csvReport = (c: Context<AppEnv>) => {
  const file = c.req.param('file') ?? ''
  return file.endsWith('.csv') ? file.slice(0, -4) : ''
}
const knownReport: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isReportName(csvReport(c))) throw new HttpError(404, 'error.404')
  await next()
}

/** The report scope of a request whose filters passed filterSchema. */
function scopeOfRequest(c: Context<AppEnv>, f: Parameters<typeof scopeOf>[0]): ScopeResult {
  return scopeOf(f, filterValues(c.req.query()), c.get('deps').clock())
}

reportsRoutes.get('/', pageFilters, async (c) => {
  const { db } = c.get('deps')
  const resolved = scopeOfRequest(c, c.req.valid('query'))
  if (!resolved.ok) return invalidPage(c, resolved.errors, resolved.values)
  const options = await filterOptions(db, c.get('locale'))
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

reportsRoutes.get('/:file', knownReport, csvFilters, async (c) => {
  const name = csvReport(c) as ReportName
  const resolved = scopeOfRequest(c, c.req.valid('query'))
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
