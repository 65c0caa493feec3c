import type { MiddlewareHandler } from 'hono'
import { csrf as honoCsrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { HttpError } from './errors.js'

// No inline script or style anywhere: htmx is loaded from /static and configured by a meta tag.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export function securityHeaders(options: { secure: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const h = c.res.headers
    // A response that brought its own, stricter policy (served evidence files) keeps it.
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', CSP)
    h.set('X-Content-Type-Options', 'nosniff')
    // Only an evidence preview brings its own (SAMEORIGIN, for the ticket page's viewer).
    if (!h.has('X-Frame-Options')) h.set('X-Frame-Options', 'DENY')
    h.set('Referrer-Policy', 'same-origin')
    h.set('Cross-Origin-Opener-Policy', 'same-origin')
    h.set('Cross-Origin-Resource-Policy', 'same-origin')
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (options.secure) h.set('Strict-Transport-Security', 'max-age=31536000')
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store')
  }
}

/** hono's Origin / Sec-Fetch-Site check, answered with our own localized 403. */
export function csrfProtection(): MiddlewareHandler {
  const check = honoCsrf()
  return async (c, next) => {
    try {
      await check(c, next)
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) throw new HttpError(403, 'error.csrf')
      throw err
    }
  }
}
