// /admin/invitations: invite a user by email, send an invitation again, revoke one. The form and
// the list live on the users page (userRoutes.ts).
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import type { MessageKey } from '../i18n/translate.js'
import {
  inviteUser,
  resendInvitation,
  revokeInvitation,
  type InvitationChange,
  type InviteContext,
} from './invitations.js'
import { auditOf, emptyForm, invalidForm } from './page.js'
import { inviteSchema, parseId } from './schemas.js'
import { usersPage } from './userRoutes.js'

export const invitationRoutes = new Hono<AppEnv>()

function inviteContext(c: Context<AppEnv>): InviteContext {
  return {
    audit: auditOf(c),
    inviterName: c.get('user')?.name ?? '',
    locale: c.get('locale'),
    baseUrl: c.get('deps').config.baseUrl,
  }
}

const INVITE_PROBLEM: Record<'email_taken' | 'already_invited', MessageKey> = {
  email_taken: 'admin.invitations.emailTaken',
  already_invited: 'admin.invitations.alreadyInvited',
}

invitationRoutes.post(
  '/',
  validForm(inviteSchema, (c: Context<AppEnv>, errors, values) =>
    usersPage(c, invalidForm(c, values, errors), 422),
  ),
  async (c) => {
    const { db, logger } = c.get('deps')
    const form = c.req.valid('form')
    const result = await inviteUser(db, form, inviteContext(c))
    if (!result.ok) {
      const values = { email: form.email, name: form.name, role: form.role }
      return usersPage(c, invalidForm(c, values, { email: INVITE_PROBLEM[result.problem] }), 422)
    }
    logger.info('admin: user invited', {
      by: c.get('user')?.id,
      invitation: result.id,
      role: form.role,
    })
    return c.redirect('/admin/users?done=invited', 303)
  },
)

invitationRoutes.post('/:id/resend', async (c) => {
  const id = parseId(c.req.param('id'))
  if (id === null) throw notFound()
  const result = await resendInvitation(c.get('deps').db, id, inviteContext(c))
  if (result.ok)
    c.get('deps').logger.info('admin: invitation sent again', {
      by: c.get('user')?.id,
      invitation: id,
    })
  return afterChange(c, result, 'resent')
})

invitationRoutes.post('/:id/revoke', async (c) => {
  const id = parseId(c.req.param('id'))
  if (id === null) throw notFound()
  const result = await revokeInvitation(c.get('deps').db, id, auditOf(c))
  if (result.ok)
    c.get('deps').logger.info('admin: invitation revoked', {
      by: c.get('user')?.id,
      invitation: id,
    })
  return afterChange(c, result, 'revoked')
})

function afterChange(c: Context<AppEnv>, result: InvitationChange, done: string) {
  if (result.ok) return c.redirect(`/admin/users?done=${done}`, 303)
  if (result.problem === 'not_found') throw notFound()
  const key =
    result.problem === 'closed' ? 'admin.invitations.closed' : 'admin.invitations.emailTaken'
  return usersPage(c, { ...emptyForm(), alert: c.get('t')(key) }, 409)
}
