import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { SESSION_COOKIE, sessionUser } from './sessions.js'
import { roleAtLeast, type Role } from '../domain/roles.js'

/** Loads the signed-in staff user, if any, for every request. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('user', null)
    c.set('sessionIdHash', null)
    const id = getCookie(c, SESSION_COOKIE)
    if (id) {
      const found = await sessionUser(c.get('deps').db, id, c.get('deps').clock())
      if (found) {
        c.set('user', found.user)
        c.set('sessionIdHash', found.idHash)
      } else {
        deleteCookie(c, SESSION_COOKIE, { path: '/' })
      }
    }
    await next()
  }
}

/** Staff only, at least `role`. Not signed in: to the sign-in page and back. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user')
    if (!user) return toSignIn(c)
    if (!roleAtLeast(user.role, role)) throw new HttpError(403, 'error.403')
    await next()
  }
}

function toSignIn(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url)
  const target = `/login?next=${encodeURIComponent(url.pathname + url.search)}`
  if (c.req.header('HX-Request')) {
    // A fragment request cannot show a sign-in page in place; make htmx load it whole.
    c.header('HX-Redirect', target)
    return c.body(null, 401)
  }
  return c.redirect(target, 303)
}
