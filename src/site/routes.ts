import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { sql } from 'kysely'
import { LEVELS } from '../domain/ladder.js'
import type { AppEnv } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { render } from '../http/render.js'
import { safeRedirect } from '../http/safeRedirect.js'
import { LOCALE_COOKIE, isLocale } from '../i18n/locale.js'

export const siteRoutes = new Hono<AppEnv>()

siteRoutes.get('/healthz', async (c) => {
  await sql`select 1`.execute(c.get('deps').db)
  return c.json({ status: 'ok' })
})

siteRoutes.get('/', (c) =>
  render(c, 'home', { levels: LEVELS, welcome: c.req.query('welcome') === '1' }),
)

/** The language switch: a plain form, so it works without JavaScript. */
siteRoutes.post('/lang', async (c) => {
  const body = await c.req.parseBody()
  const locale = body['locale']
  if (!isLocale(locale)) throw new HttpError(422, 'form.invalidChoice')
  setCookie(c, LOCALE_COOKIE, locale, {
    path: '/',
    sameSite: 'Lax',
    httpOnly: true,
    maxAge: 365 * 86_400,
  })
  return c.redirect(safeRedirect(body['return_to'], '/'), 303)
})
