// The agent's queue over HTTP: filters, views, pages and the rows fragment htmx polls.
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { CATEGORIES } from '../domain/categories.js'
import { LEVELS, STATUSES } from '../domain/ladder.js'
import type { AppEnv, SignedInUser } from '../http/env.js'
import { HttpError } from '../http/errors.js'
import { validQuery } from '../http/forms.js'
import { cachedResponse } from '../http/responseCache.js'
import { render, renderPart, wantsFragment } from '../http/render.js'
import { rowView } from './present.js'
import { PAGE_SIZE, SORTS, filtersQuery, type QueueFilters } from './queue.js'
import { queueQuerySchema, type QueueQuery } from './queueQuery.js'
import { cachedTotal, cachedUntil, filterProviders, namedViews, queueResults } from './queueView.js'
import { activeStaff } from './workspace.js'
import { tagCounts } from './tagCounts.js'
import { signedIn, staffOnly } from './staff.js'
import { countedViews, mayShare, visibleViews } from './savedViews.js'
import { COLUMN_OPTIONS } from './queueColumns.js'

export const queueRoutes = new Hono<AppEnv>()

// ---------------------------------------------------------------------------------------------
// The queue

// The whole answer is cached per agent, language, URL and page-or-fragment, as long as its rows
// are: the parts it is built from may have been cached since up to QUEUE_CACHE_MS before, so a
// relative time ("in 3 hours") is at most twice that old; due times passing and midnight still end
// it. The cache stands in front of the query's validation, so a cached answer costs no parsing:
// the schema and the page are built only when the cache has no answer for this URL.
const queueCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, clock } = c.get('deps')
  const now = clock()
  const url = c.req.url
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : ''
  const variant = wantsFragment(c) ? 'fragment' : 'page'
  const key = ['queue-response', signedIn(c).id, c.get('locale'), variant, search].join('|')
  return cachedResponse(db, key, now, c.req.header('accept-encoding'), async () => {
    await next()
    return { response: c.res.clone(), until: await cachedUntil(db, now) }
  })
}

// The schema ignores what it cannot read, so this refusal is only a guard.
const queueQuery = validQuery(queueQuerySchema, () => {
  throw new HttpError(400, 'error.400')
})

queueRoutes.get('/queue', staffOnly, queueCache, queueQuery, async (c) => {
  // A GET form without JavaScript sends every field, empty ones too: one canonical URL per view.
  // With htmx the filter form sends them too; the rows come back and the address bar is told the
  // canonical URL instead (htmx 4 reads HX-Push-Url over the form's hx-push-url="true").
  const raw = new URL(c.req.url).searchParams
  if ([...raw.values()].some((v) => v === '')) {
    const req = c.req.valid('query')
    const q = filtersQuery(req.filters, req.cursorText ? { cursor: req.cursorText } : {})
    const canonical = q ? `/queue?${q}` : '/queue'
    if (!wantsFragment(c)) return c.redirect(canonical, 302)
    const res = await queueResponse(c, req, signedIn(c), c.get('deps').clock())
    res.headers.set('HX-Push-Url', canonical)
    return res
  }
  return queueResponse(c, c.req.valid('query'), signedIn(c), c.get('deps').clock())
})

async function queueResponse(
  c: Context<AppEnv>,
  req: QueueQuery,
  user: SignedInUser,
  now: number,
): Promise<Response> {
  const { db } = c.get('deps')
  const locale = c.get('locale')
  const t = c.get('t')
  const ctx = { userId: user.id, now }
  const { page, rows } = await queueResults(db, req, ctx, locale, (found) => ({
    html: renderPart(c, 'queue/_rows', { rows: found.map((r) => rowView(r, now, locale, t)) }),
    count: found.length,
  }))
  const views = await namedViews(db, ctx)
  const tags = await tagCounts(db, now)
  const total = await cachedTotal(db, req, ctx)
  const saved = await countedViews(db, await visibleViews(db, user.id), ctx)
  const f = req.filters
  const current = filtersQuery(f)
  const start = req.cursorText
  // "Load more" appends the next page; the list then refreshes from where it started, as long as it is.
  const more = req.more && wantsFragment(c)
  const shownBefore = more ? req.shown : 0
  const pollStart = more ? req.start : start
  const shown = shownBefore + rows.count
  const pollParams: Record<string, string> = {}
  if (pollStart) pollParams['cursor'] = pollStart
  if (shown > PAGE_SIZE) pollParams['limit'] = String(Math.min(shown, 500))
  const data = {
    filters: f,
    total,
    sortHeads: sortHeads(f),
    backQuery: current,
    rowsHtml: rows.html,
    rowCount: rows.count,
    views: views.map((v) => ({ ...v, href: `/queue?${v.query}`, current: v.query === current })),
    saved: saved.map((v) => ({
      ...v,
      href: v.query ? `/queue?${v.query}` : '/queue',
      current: v.query === current,
    })),
    mayShareViews: mayShare(user.role),
    tags: tags.map((g) => ({
      ...g,
      href: `/queue?${filtersQuery({ ...f, tag: g.tag })}`,
      current: f.tag === g.tag,
    })),
    pollUrl: `/queue?${filtersQuery(f, pollParams)}`,
    nextHref: page.next ? `/queue?${filtersQuery(f, { cursor: page.next })}` : null,
    moreHref: page.next
      ? `/queue?${filtersQuery(f, { cursor: page.next, part: 'more', start: pollStart, shown: String(shown) })}`
      : null,
    firstHref: req.cursor ? `/queue?${current}` : null,
    more,
  }
  if (more) return render(c, 'queue/_more', data, { fragment: 'queue/_more' })
  if (wantsFragment(c))
    return render(
      c,
      'queue/_results',
      { ...data, partialViews: true },
      { fragment: 'queue/_results' },
    )
  const [providers, staff] = await Promise.all([filterProviders(db), activeStaff(db)])
  return render(c, 'queue/index', {
    ...data,
    options: {
      statuses: ['open', 'all', ...STATUSES],
      levels: LEVELS,
      categories: CATEGORIES.map((cat) => ({ key: cat.key, title: cat.title[locale] })),
      providers: providers.map((p) => ({
        id: p.id,
        name: locale === 'zh-CN' ? p.name_zh : p.name_en,
      })),
      staff,
      sorts: SORTS,
      columns: COLUMN_OPTIONS,
    },
    formValues: formValuesOf(f),
  })
}

// Each sortable column links to its sort (the ones an index serves); the others are plain headings.
function sortHeads(f: QueueFilters) {
  const head = (sort: QueueFilters['sort']) => ({
    href: `/queue?${filtersQuery({ ...f, sort })}`,
    current: f.sort === sort,
  })
  return { due: head('due'), newest: head('newest'), amount: head('amount') }
}

function formValuesOf(f: QueueFilters) {
  return {
    status: f.status,
    level: f.level ?? '',
    category: f.category ?? '',
    provider: f.provider === null ? '' : String(f.provider),
    assignee: f.assignee === 'any' ? '' : String(f.assignee),
    overdue: f.overdue,
    dueToday: f.dueToday,
    q: f.q,
    tag: f.tag ?? '',
    sort: f.sort,
    hidden: f.hidden ?? [],
  }
}
