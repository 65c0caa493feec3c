import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ROLES } from '../domain/roles.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import { listOpenInvitations } from './invitations.js'
import { auditOf, doneNotice, emptyForm, invalidForm, type FormState } from './page.js'
import { parseId, roleSchema } from './schemas.js'
import {
  listUsers,
  resetUserTwoFactor,
  setUserActive,
  setUserRole,
  type UserChange,
} from './users.js'

const DONE: Record<string, MessageKey> = {
  invited: 'admin.users.done.invited',
  resent: 'admin.users.done.resent',
  revoked: 'admin.users.done.revoked',
  deactivated: 'admin.users.done.deactivated',
  reactivated: 'admin.users.done.reactivated',
  role: 'admin.users.done.role',
  two_factor_reset: 'admin.users.done.twoFactorReset',
}

export const userRoutes = new Hono<AppEnv>()

/** The users, the open invitations and the invitation form; also after a refused invitation. */
export async function usersPage(
  c: Context<AppEnv>,
  form: FormState,
  status: ContentfulStatusCode = 200,
) {
  const { db } = c.get('deps')
  const [users, invitations] = await Promise.all([listUsers(db), listOpenInvitations(db)])
  return render(
    c,
    'admin/users',
    { users, invitations, roles: ROLES, notice: doneNotice(c, DONE), ...form },
    { status },
  )
}

userRoutes.get('/', (c) => usersPage(c, emptyForm()))

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

userRoutes.post('/:id/two-factor/reset', async (c) => {
  const id = parseId(c.req.param('id'))
  if (id === null) throw notFound()
  const { db, logger } = c.get('deps')
  const result = await resetUserTwoFactor(db, id, auditOf(c))
  if (result.ok) logger.info('admin: two-factor reset', { by: c.get('user')?.id, user: id })
  // Resetting one's own ends one's own sessions too.
  if (result.ok && id === c.get('user')?.id) return c.redirect('/login?signed_out=1', 303)
  return afterChange(c, result, 'two_factor_reset')
})

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
