import { randomUUID } from 'node:crypto'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { adminRoutes } from './admin/routes.js'
import { loadSession } from './auth/middleware.js'
import { invitationAcceptRoutes } from './admin/acceptInvitationRoutes.js'
import { passwordRoutes } from './auth/passwordRoutes.js'
import { authRoutes } from './auth/routes.js'
import { twoFactorRoutes } from './auth/twoFactorRoutes.js'
import { complaintRoutes } from './complaints/routes.js'
import type { AppDeps, AppEnv } from './http/env.js'
import { isBusyError } from './db/dialect.js'
import { evidenceLimits } from './evidence/upload.js'
import { HttpError } from './http/errors.js'
import { render, wantsFragment } from './http/render.js'
import { csrfProtection, securityHeaders } from './http/security.js'
import { FORM_LIMIT_BYTES } from './http/limits.js'
import { createAddressCap, createGate, uploadGate, UPLOADS_AT_ONCE } from './http/uploadGate.js'
import { addressBucket } from './http/addressBucket.js'
import { clientIp } from './http/rateLimit.js'
import { SESSION_COOKIE } from './auth/sessions.js'
import { negotiateLocale, LOCALE_COOKIE } from './i18n/locale.js'
import { translator } from './i18n/translate.js'
import { projectRoot } from './paths.js'
import { reportsRoutes } from './reports/routes.js'
import { siteRoutes } from './site/routes.js'
import { queueRoutes } from './tickets/queueRoutes.js'
import { savedViewRoutes } from './tickets/savedViewRoutes.js'
import { bulkRoutes } from './tickets/bulkRoutes.js'
import { ticketsRoutes } from './tickets/routes.js'
import { ATTACHMENT_PATH } from './tickets/attachments.js'
import { linkRoutes } from './tickets/linkRoutes.js'
import { macroRoutes } from './tickets/macroRoutes.js'
import { dossierRoutes } from './dossier/routes.js'
import { trackRoutes } from './track/routes.js'

/** Requests that may carry evidence files get the upload cap; everything else 1 MB. */
const EVIDENCE_PATH = /^\/(complaints|track\/[^/]+\/evidence)$/
const UPLOAD_PATH = { test: (p: string) => EVIDENCE_PATH.test(p) || ATTACHMENT_PATH.test(p) }
const isMultipart = (c: Context) =>
  /^multipart\/form-data\s*(;|$)/i.test(c.req.header('content-type') ?? '')

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const uploadLimit = evidenceLimits(deps.config).maxBodyBytes

  app.use('*', async (c, next) => {
    const started = performance.now()
    c.set('deps', deps)
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64) || randomUUID())
    const locale = negotiateLocale(getCookie(c, LOCALE_COOKIE), c.req.header('accept-language'))
    c.set('locale', locale)
    c.set('t', translator(locale))
    c.set('user', null)
    c.set('sessionIdHash', null)
    await next()
    // Straight onto the finished response: c.header() after the handler would rebuild the
    // response from its body stream, losing @hono/node-server's fast path for string bodies.
    c.res.headers.set('X-Request-Id', c.get('requestId'))
    c.res.headers.set('Content-Language', locale)
    deps.logger.info('request', {
      reqId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: c.get('user')?.id ?? null,
    })
  })
  app.use('*', securityHeaders({ secure: deps.config.baseUrl.startsWith('https:') }))
  app.use('/static/*', async (c, next) => {
    await next()
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=3600')
  })
  app.use('/static/*', serveStatic({ root: projectRoot }))
  // Uploads stream to temporary files (a few dozen KB of memory each), but each costs disk writes
  // and fsyncs: a few are received at once, the others wait their turn or get a 503. One client
  // address may have only a few under way, and each must keep arriving at the minimum rate
  // (evidenceLimits), so a handful of slow senders cannot keep everyone else waiting.
  const perAddress = createAddressCap(deps.config.uploadsPerAddress)
  // Staff actions that may carry files pass the gate only when they do come as multipart: a
  // plain reply from an office of agents behind one address is no upload.
  app.use(
    '*',
    uploadGate(
      createGate(UPLOADS_AT_ONCE, 30_000),
      perAddress,
      (p, c) => EVIDENCE_PATH.test(p) || (ATTACHMENT_PATH.test(p) && isMultipart(c)),
      // An agent's attachments count per session (the route refuses a request without a valid
      // one before reading its body), a complainant's per address.
      (c) => {
        const session = ATTACHMENT_PATH.test(c.req.path) ? getCookie(c, SESSION_COOKIE) : undefined
        return session ? `session:${session}` : addressBucket(clientIp(c))
      },
    ),
  )
  app.use('*', (c, next) => {
    // Asking a GET for its body would make @hono/node-server build a full Request for nothing.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    if (UPLOAD_PATH.test(c.req.path) && isMultipart(c)) {
      // Refused before reading when the declared length is over; the multipart reader counts
      // the bytes of a body sent without one. Hono's bodyLimit would buffer such a body whole.
      const declared = Number(c.req.header('content-length') ?? 0)
      if (declared > uploadLimit) throw new HttpError(413, 'error.413')
      return next()
    }
    return bodyLimit({
      maxSize: FORM_LIMIT_BYTES,
      onError: () => {
        throw new HttpError(413, 'error.413')
      },
    })(c, next)
  })
  app.use('*', csrfProtection())
  app.use('*', loadSession())

  app.route('/', siteRoutes)
  app.route('/', authRoutes)
  app.route('/', passwordRoutes)
  app.route('/', invitationAcceptRoutes)
  app.route('/', twoFactorRoutes)
  app.route('/', complaintRoutes)
  app.route('/', trackRoutes)
  app.route('/admin', adminRoutes)
  app.route('/reports', reportsRoutes)
  app.route('/', queueRoutes)
  app.route('/', savedViewRoutes)
  app.route('/', bulkRoutes)
  app.route('/', ticketsRoutes)
  app.route('/', linkRoutes)
  app.route('/', macroRoutes)
  app.route('/', dossierRoutes)

  app.notFound((c) => errorResponse(c as Context<AppEnv>, new HttpError(404, 'error.404')))
  app.onError((err, c) => errorResponse(c as Context<AppEnv>, err))
  return app
}

function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  const t = c.get('t')
  let status: ContentfulStatusCode
  let message: string
  if (err instanceof HttpError) {
    status = err.status
    message = t(err.messageKey, err.params)
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
  } else if (err instanceof TypeError && /parse body as FormData/i.test(err.message)) {
    // A truncated or malformed form body (undici's message for it): the client's fault.
    status = 400
    message = t('error.400')
  } else if (isBusyError(err)) {
    // Another process held the write lock past busy_timeout: nothing was written; say so.
    status = 503
    message = t('reliability.busy')
    c.header('Retry-After', '2')
    c.get('deps').logger.warn('database busy', { reqId: c.get('requestId'), path: c.req.path })
  } else if (err instanceof HTTPException && err.status < 500) {
    status = err.status as ContentfulStatusCode
    message = t(`error.${err.status}` as 'error.400', { seconds: 60 })
  } else {
    status = 500
    message = t('error.500')
    c.get('deps').logger.error('unhandled error', {
      reqId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    })
  }
  return render(
    c,
    'error',
    { status, message, showRequestId: status >= 500 },
    { status, fragment: wantsFragment(c) ? '_error' : undefined },
  )
}
