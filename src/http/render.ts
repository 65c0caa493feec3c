import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatMoney,
  formatRelative,
} from '../i18n/format.js'
import { LOCALES } from '../i18n/locale.js'
import type { AppEnv } from './env.js'

/**
 * htmx 4 sends HX-Request-Type: partial when it swaps part of a page, and full for boosted
 * links, history restores and body targets; those get the whole page.
 */
export function wantsFragment(c: Context<AppEnv>): boolean {
  return c.req.header('HX-Request-Type') === 'partial'
}

/** What every template can use besides its own data. */
export function viewContext(c: Context<AppEnv>) {
  const locale = c.get('locale')
  const now = c.get('deps').clock()
  const url = new URL(c.req.url)
  return {
    t: c.get('t'),
    locale,
    locales: LOCALES,
    user: c.get('user'),
    requestId: c.get('requestId'),
    path: url.pathname,
    returnTo: url.pathname + url.search,
    now,
    fmt: {
      dateTime: (ms: number | null) => formatDateTime(ms, locale),
      date: (ms: number | null) => formatDate(ms, locale),
      money: (minor: number | null, currency: string) => formatMoney(minor, currency, locale),
      relative: (ms: number) => formatRelative(ms, now, locale),
      bytes: formatBytes,
    },
  }
}

export type ViewContext = ReturnType<typeof viewContext>

export interface RenderOptions {
  status?: ContentfulStatusCode
  /** The partial to send alone when htmx asks for a fragment; without it the page is sent. */
  fragment?: string
}

/** A template's HTML with the same context as `render`, for a part that is cached and reused. */
export function renderPart(
  c: Context<AppEnv>,
  name: string,
  data: Record<string, unknown>,
): string {
  return c.get('deps').views.render(name, Object.assign(viewContext(c), data))
}

/** One helper decides page or fragment, so both come from the same templates. */
export function render(
  c: Context<AppEnv>,
  page: string,
  data: Record<string, unknown>,
  options: RenderOptions = {},
): Response {
  const views = c.get('deps').views
  const name = options.fragment && wantsFragment(c) ? options.fragment : page
  const html = views.render(name, Object.assign(viewContext(c), data))
  c.header('Vary', 'HX-Request-Type', { append: true })
  c.header('Content-Type', 'text/html; charset=UTF-8')
  // Encoded once here: a string body is measured for Content-Length and then encoded again as it
  // is written (two passes over ≈ 20–60 KB of mostly Chinese text, ≈ 3 % of a ticket page).
  return c.body(Buffer.from(html), options.status ?? 200)
}
