// Saved queue views over HTTP. Plain forms, each answered with a redirect (303) or, for bad input,
// the management page with the message beside its field and the right status:
//   GET  /queue/views               the user's views and the shared ones, with rename and delete
//   POST /queue/views               name, query (the queue's query string), shared=1 (managers)
//   GET  /queue/views/{id}          opens the view: 302 to the queue's canonical URL for it
//   POST /queue/views/{id}/rename   name
//   POST /queue/views/{id}/delete
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { AppEnv, SignedInUser } from '../http/env.js'
import { notFound } from '../http/errors.js'
import {
  cleaned,
  firstValue,
  formOnly,
  validForm,
  type FieldErrors,
  type FormValues,
} from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import {
  MAX_VIEWS_PER_OWNER,
  VIEW_NAME_MAX,
  canonicalQuery,
  countedViews,
  deleteView,
  findView,
  insertView,
  mayEdit,
  mayShare,
  nameTaken,
  ownViewCount,
  renameView,
  visibleViews,
} from './savedViews.js'
import { signedIn, staffOnly } from './staff.js'

export const savedViewRoutes = new Hono<AppEnv>()

const QUERY_MAX = 2000

const name = firstValue(
  cleaned(
    z
      .string({ message: 'savedViews.nameRequired' })
      .trim()
      .min(1, 'savedViews.nameRequired')
      .max(VIEW_NAME_MAX, 'savedViews.nameTooLong'),
    'single',
  ),
)
const createSchema = z.object({
  name,
  query: firstValue(z.string().max(QUERY_MAX, 'savedViews.queryTooLong').optional()).transform(
    (s) => (s ?? '').replace(/^\?/, ''),
  ),
  shared: firstValue(z.string().optional()).transform((v) => v === '1'),
})
const renameSchema = z.object({ name })

const queueHref = (query: string) => (query ? `/queue?${query}` : '/queue')

interface PageState {
  status?: ContentfulStatusCode
  values?: Record<string, string>
  errors?: FieldErrors
  /** The view whose rename form the errors belong to. */
  renaming?: number
  alert?: string
  notice?: string
}

const textOf = (values: FormValues): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]),
  )

async function managePage(c: Context<AppEnv>, state: PageState = {}): Promise<Response> {
  const { db, clock } = c.get('deps')
  const user = signedIn(c)
  const t = c.get('t')
  const views = await countedViews(db, await visibleViews(db, user.id), {
    userId: user.id,
    now: clock(),
  })
  return render(
    c,
    'queue/savedViews',
    {
      title: t('savedViews.title'),
      views: views.map((v) => ({
        ...v,
        href: `/queue/views/${v.id}`,
        editable: mayEdit(v, user),
        renameValue: state.renaming === v.id ? (state.values?.['name'] ?? v.name) : v.name,
        renameError: state.renaming === v.id ? (state.errors?.['name'] ?? null) : null,
      })),
      mayShare: mayShare(user.role),
      values: state.renaming === undefined ? (state.values ?? {}) : {},
      errors: state.renaming === undefined ? (state.errors ?? {}) : {},
      alert: state.alert ?? (state.errors ? t('form.errorsTitle') : null),
      notice: state.notice ?? null,
    },
    { status: state.status },
  )
}

const refused = (
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  key: MessageKey,
  state: PageState,
  params?: Record<string, number>,
) => managePage(c, { ...state, status, alert: c.get('t')(key, params) })

function viewId(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? ''
  if (!/^\d{1,9}$/.test(raw)) throw notFound()
  return Number(raw)
}

async function editableView(c: Context<AppEnv>, user: SignedInUser) {
  const view = await findView(c.get('deps').db, user.id, viewId(c))
  if (!view) throw notFound()
  return view
}

const DONE = { renamed: 'savedViews.renamed', deleted: 'savedViews.deleted' } as const

savedViewRoutes.get('/queue/views', staffOnly, (c) => {
  const done = c.req.query('done')
  const notice = done === 'renamed' || done === 'deleted' ? c.get('t')(DONE[done]) : undefined
  return managePage(c, { notice })
})

savedViewRoutes.post(
  '/queue/views',
  staffOnly,
  formOnly,
  validForm(createSchema, (c: Context<AppEnv>, errors, values) =>
    managePage(c, { status: 422, errors, values: textOf(values) }),
  ),
  async (c) => {
    const { db, clock } = c.get('deps')
    const user = signedIn(c)
    const form = c.req.valid('form')
    const values = { name: form.name, query: form.query, shared: form.shared ? '1' : '' }
    const state: PageState = { values }
    if (form.shared && !mayShare(user.role))
      return refused(c, 403, 'savedViews.shareForbidden', state)
    const taken: FieldErrors = { name: 'savedViews.nameTaken' }
    if (await nameTaken(db, { name: form.name, ownerId: user.id }))
      return refused(c, 409, 'savedViews.nameTaken', { ...state, errors: taken })
    if ((await ownViewCount(db, user.id)) >= MAX_VIEWS_PER_OWNER)
      return refused(c, 422, 'savedViews.tooMany', state, { n: MAX_VIEWS_PER_OWNER })
    const query = canonicalQuery(form.query)
    const id = await insertView(db, {
      ownerId: user.id,
      name: form.name,
      query,
      shared: form.shared,
      now: clock(),
    })
    if (id === null) return refused(c, 409, 'savedViews.nameTaken', { ...state, errors: taken })
    return c.redirect(queueHref(query), 303)
  },
)

savedViewRoutes.get('/queue/views/:id', staffOnly, async (c) => {
  const view = await editableView(c, signedIn(c))
  // Stored canonical, and read again so that a view saved before a filter changed still opens.
  return c.redirect(queueHref(canonicalQuery(view.query)), 302)
})

savedViewRoutes.post(
  '/queue/views/:id/rename',
  staffOnly,
  formOnly,
  validForm(renameSchema, async (c: Context<AppEnv>, errors, values) =>
    managePage(c, { status: 422, errors, values: textOf(values), renaming: viewId(c) }),
  ),
  async (c) => {
    const { db, clock } = c.get('deps')
    const user = signedIn(c)
    const view = await editableView(c, user)
    const { name: newName } = c.req.valid('form')
    const state: PageState = { values: { name: newName }, renaming: view.id }
    if (!mayEdit(view, user)) return refused(c, 403, 'savedViews.editForbidden', state)
    const taken = { ...state, errors: { name: 'savedViews.nameTaken' } satisfies FieldErrors }
    const owner = view.shared ? user.id : view.ownerId
    if (await nameTaken(db, { name: newName, ownerId: owner, exceptId: view.id }))
      return refused(c, 409, 'savedViews.nameTaken', taken)
    if (!(await renameView(db, view.id, newName, clock())))
      return refused(c, 409, 'savedViews.nameTaken', taken)
    return c.redirect('/queue/views?done=renamed', 303)
  },
)

savedViewRoutes.post('/queue/views/:id/delete', staffOnly, formOnly, async (c) => {
  const user = signedIn(c)
  const view = await editableView(c, user)
  if (!mayEdit(view, user)) return refused(c, 403, 'savedViews.editForbidden', {})
  await deleteView(c.get('deps').db, view.id)
  return c.redirect('/queue/views?done=deleted', 303)
})
