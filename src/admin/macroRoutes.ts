// /admin/macros: the list with the add form, an edit page per macro, and delete.
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { MACRO_OUTCOMES, MACRO_STATUSES, type MacroSteps } from '../domain/macros.js'
import { PRIORITIES } from '../domain/ladder.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm, type FormValues } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { addMacro, deleteMacro, findMacro, listMacros, saveMacro, type Macro } from './macros.js'
import { macroSchema } from './macroSchemas.js'
import { auditOf, doneNotice, emptyForm, invalidForm, type FormState } from './page.js'
import { parseId } from './schemas.js'

const DONE: Record<string, MessageKey> = {
  added: 'macros.done.added',
  saved: 'macros.done.saved',
  deleted: 'macros.done.deleted',
}

const OPTIONS = { statuses: MACRO_STATUSES, outcomes: MACRO_OUTCOMES, priorities: PRIORITIES }

export const macroRoutes = new Hono<AppEnv>()

/** A macro's steps as the form's values. */
function formValues(m: Macro): FormValues {
  const s: MacroSteps = m.steps
  return {
    name: m.name,
    reply: s.reply ?? '',
    status: s.status ?? '',
    outcome: s.outcome ?? '',
    priority: s.priority ?? '',
    tag: s.tag ?? '',
  }
}

async function listPage(c: Context<AppEnv>, form: FormState, status: ContentfulStatusCode = 200) {
  const macros = await listMacros(c.get('deps').db)
  return render(
    c,
    'admin/macros',
    { macros, options: OPTIONS, notice: doneNotice(c, DONE), ...form },
    { status },
  )
}

function editPage(
  c: Context<AppEnv>,
  macro: Macro,
  form: FormState,
  status: ContentfulStatusCode = 200,
) {
  return render(c, 'admin/macro_edit', { macro, options: OPTIONS, ...form }, { status })
}

async function macroFromPath(c: Context<AppEnv>): Promise<Macro> {
  const id = parseId(c.req.param('id') ?? '')
  const macro = id === null ? undefined : await findMacro(c.get('deps').db, id)
  if (!macro) throw notFound()
  return macro
}

const taken = (c: Context<AppEnv>, values: FormValues): FormState => ({
  values,
  errors: { name: 'macros.nameTaken' },
  alert: c.get('t')('macros.nameTaken'),
})

macroRoutes.get('/', (c) => listPage(c, emptyForm()))

macroRoutes.post(
  '/',
  validForm(macroSchema, (c: Context<AppEnv>, errors, values) =>
    listPage(c, invalidForm(c, values, errors), 422),
  ),
  async (c) => {
    const form = c.req.valid('form')
    const result = await addMacro(c.get('deps').db, form, auditOf(c))
    if (!result.ok) return listPage(c, taken(c, formValues({ id: 0, ...form })), 409)
    return c.redirect('/admin/macros?done=added', 303)
  },
)

macroRoutes.get('/:id', async (c) => {
  const macro = await macroFromPath(c)
  return editPage(c, macro, { ...emptyForm(), values: formValues(macro) })
})

macroRoutes.post(
  '/:id',
  validForm(macroSchema, async (c: Context<AppEnv>, errors, values) =>
    editPage(c, await macroFromPath(c), invalidForm(c, values, errors), 422),
  ),
  async (c) => {
    const macro = await macroFromPath(c)
    const form = c.req.valid('form')
    const result = await saveMacro(c.get('deps').db, macro.id, form, auditOf(c))
    if (!result.ok && result.problem === 'not_found') throw notFound()
    if (!result.ok) return editPage(c, macro, taken(c, formValues({ id: macro.id, ...form })), 409)
    return c.redirect('/admin/macros?done=saved', 303)
  },
)

macroRoutes.post('/:id/delete', async (c) => {
  const macro = await macroFromPath(c)
  if (!(await deleteMacro(c.get('deps').db, macro.id, auditOf(c)))) throw notFound()
  return c.redirect('/admin/macros?done=deleted', 303)
})
