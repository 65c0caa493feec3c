import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Provider } from '../db/schema.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { auditOf, doneNotice, emptyForm, invalidForm, type FormState } from './page.js'
import {
  addProvider,
  findProvider,
  listProviders,
  moveProvider,
  renameProvider,
  setProviderActive,
} from './providers.js'
import { moveSchema, parseId, providerAddSchema, providerNamesSchema } from './schemas.js'

const DONE: Record<string, MessageKey> = {
  added: 'admin.providers.done.added',
  saved: 'admin.providers.done.saved',
  activated: 'admin.providers.done.activated',
  deactivated: 'admin.providers.done.deactivated',
  moved: 'admin.providers.done.moved',
}

export const providerRoutes = new Hono<AppEnv>()

async function providersPage(
  c: Context<AppEnv>,
  form: FormState,
  status: ContentfulStatusCode = 200,
) {
  const providers = await listProviders(c.get('deps').db)
  return render(
    c,
    'admin/providers',
    { providers, notice: doneNotice(c, DONE), ...form },
    { status },
  )
}

function editPage(
  c: Context<AppEnv>,
  provider: Provider,
  form: FormState,
  status: ContentfulStatusCode = 200,
) {
  return render(c, 'admin/provider_edit', { provider, ...form }, { status })
}

async function providerFromPath(c: Context<AppEnv>): Promise<Provider> {
  const id = parseId(c.req.param('id') ?? '')
  const provider = id === null ? undefined : await findProvider(c.get('deps').db, id)
  if (!provider) throw notFound()
  return provider
}

providerRoutes.get('/', (c) => providersPage(c, emptyForm()))

providerRoutes.post(
  '/',
  validForm(providerAddSchema, (c: Context<AppEnv>, errors, values) =>
    providersPage(c, invalidForm(c, values, errors), 422),
  ),
  async (c) => {
    const { db, logger } = c.get('deps')
    const form = c.req.valid('form')
    const result = await addProvider(db, form, auditOf(c))
    if (!result.ok) {
      return providersPage(c, invalidForm(c, form, { slug: 'admin.providers.slugTaken' }), 422)
    }
    logger.info('admin: provider added', {
      by: c.get('user')?.id,
      provider: result.id,
      slug: form.slug,
    })
    return c.redirect('/admin/providers?done=added', 303)
  },
)

providerRoutes.get('/:id', async (c) => {
  const provider = await providerFromPath(c)
  return editPage(c, provider, {
    ...emptyForm(),
    values: { name_zh: provider.name_zh, name_en: provider.name_en },
  })
})

providerRoutes.post(
  '/:id',
  validForm(providerNamesSchema, async (c: Context<AppEnv>, errors, values) =>
    editPage(c, await providerFromPath(c), invalidForm(c, values, errors), 422),
  ),
  async (c) => {
    const provider = await providerFromPath(c)
    const names = c.req.valid('form')
    if (!(await renameProvider(c.get('deps').db, provider.id, names, auditOf(c)))) throw notFound()
    c.get('deps').logger.info('admin: provider renamed', {
      by: c.get('user')?.id,
      provider: provider.id,
    })
    return c.redirect('/admin/providers?done=saved', 303)
  },
)

providerRoutes.post('/:id/activate', (c) => changeActive(c, true))
providerRoutes.post('/:id/deactivate', (c) => changeActive(c, false))

async function changeActive(c: Context<AppEnv>, active: boolean) {
  const provider = await providerFromPath(c)
  if (!(await setProviderActive(c.get('deps').db, provider.id, active, auditOf(c))))
    throw notFound()
  c.get('deps').logger.info(`admin: provider ${active ? 'activated' : 'deactivated'}`, {
    by: c.get('user')?.id,
    provider: provider.id,
  })
  return c.redirect(`/admin/providers?done=${active ? 'activated' : 'deactivated'}`, 303)
}

providerRoutes.post(
  '/:id/move',
  validForm(moveSchema, (c: Context<AppEnv>) => providersPage(c, invalidForm(c, {}, {}), 422)),
  async (c) => {
    const provider = await providerFromPath(c)
    if (
      !(await moveProvider(
        c.get('deps').db,
        provider.id,
        c.req.valid('form').direction,
        auditOf(c),
      ))
    )
      throw notFound()
    return c.redirect('/admin/providers?done=moved', 303)
  },
)
