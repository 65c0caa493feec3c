import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { createUser, ROLES } from '../auth/users.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { recordAdminChange } from './audit.js'
import { auditOf, doneNotice, emptyForm, invalidForm, type FormState } from './page.js'
import { parseId, roleSchema, userAddSchema } from './schemas.js'
import { listUsers, setUserActive, setUserRole, type UserChange } from './users.js'

const DONE: Record<string, MessageKey> = {
  added: 'admin.users.done.added',
  deactivated: 'admin.users.done.deactivated',
  reactivated: 'admin.users.done.reactivated',
  role: 'admin.users.done.role',
}

const PROBLEM: Record<string, [string, MessageKey]> = {
  too_short: ['password', 'form.passwordTooShort'],
  too_long: ['password', 'admin.users.passwordTooLong'],
  weak: ['password', 'form.passwordWeak'],
  email_taken: ['email', 'form.emailTaken'],
}

export const userRoutes = new Hono<AppEnv>()

async function usersPage(c: Context<AppEnv>, form: FormState, status: ContentfulStatusCode = 200) {
  const users = await listUsers(c.get('deps').db)
  return render(
    c,
    'admin/users',
    { users, roles: ROLES, notice: doneNotice(c, DONE), ...form },
    { status },
  )
}

userRoutes.get('/', (c) => usersPage(c, emptyForm()))

userRoutes.post(
  '/',
  validForm(userAddSchema, (c: Context<AppEnv>, errors, values) =>
    usersPage(c, invalidForm(c, { ...values, password: '' }, errors), 422),
  ),
  async (c) => {
    const { db, logger } = c.get('deps')
    const form = c.req.valid('form')
    const audit = auditOf(c)
    // The user and its record are one transaction; the password is hashed before it, outside any lock.
    const created = await createUser(db, form, audit.at, (trx, user) =>
      recordAdminChange(trx, audit, { action: 'user_added', subject: user.email, detail: { role: user.role } }),
    )
    if (!created.ok) {
      const [field, key] = PROBLEM[created.problem]!
      const values = { email: form.email, name: form.name, role: form.role, password: '' }
      return usersPage(c, invalidForm(c, values, { [field]: key }), 422)
    }
    logger.info('admin: user added', {
      by: c.get('user')?.id,
      user: created.user.id,
      role: created.user.role,
    })
    return c.redirect('/admin/users?done=added', 303)
  },
)

userRoutes.post(
  '/:id/role',
  validForm(roleSchema, (c: Context<AppEnv>) => usersPage(c, invalidForm(c, {}, {}), 422)),
  async (c) => {
    const id = parseId(c.req.param('id'))
    if (id === null) throw notFound()
    const { db, logger } = c.get('deps')
    const { role } = c.req.valid('form')
    const result = await setUserRole(db, id, role, auditOf(c))
    if (result.ok) logger.info('admin: role changed', { by: c.get('user')?.id, user: id, role })
    return afterChange(c, result, 'role')
  },
)

userRoutes.post('/:id/deactivate', async (c) => changeActive(c, false))
userRoutes.post('/:id/reactivate', async (c) => changeActive(c, true))

async function changeActive(c: Context<AppEnv>, active: boolean) {
  const id = parseId(c.req.param('id') ?? '')
  if (id === null) throw notFound()
  const { db, logger } = c.get('deps')
  const result = await setUserActive(db, id, active, auditOf(c))
  if (result.ok)
    logger.info(`admin: user ${active ? 'reactivated' : 'deactivated'}`, {
      by: c.get('user')?.id,
      user: id,
    })
  // An admin who deactivated themselves has no session left: the sign-in page follows.
  if (result.ok && !active && id === c.get('user')?.id)
    return c.redirect('/login?signed_out=1', 303)
  return afterChange(c, result, active ? 'reactivated' : 'deactivated')
}

function afterChange(c: Context<AppEnv>, result: UserChange, done: string) {
  if (result.ok) return c.redirect(`/admin/users?done=${done}`, 303)
  if (result.problem === 'not_found') throw notFound()
  return usersPage(c, { ...emptyForm(), alert: c.get('t')('admin.users.lastAdmin') }, 409)
}
