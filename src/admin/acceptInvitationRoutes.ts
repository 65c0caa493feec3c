// /invitation?token=…: the invitee chooses a password and the account is created with the
// address and role the administrator gave. Then the ordinary sign-in, with whatever second step
// it asks for.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { acceptInvitation, openInvitation, type OpenInvitation } from './invitations.js'
import type { AppEnv } from '../http/env.js'
import { validForm, type FieldErrors } from '../http/forms.js'
import { render } from '../http/render.js'
import { PASSWORD_MESSAGE } from '../auth/passwordMessages.js'
import { MISMATCH, newPasswordFields, passwordsMatch } from '../auth/passwordRoutes.js'

const acceptSchema = z
  .object({
    token: z.string().min(1).max(200),
    name: z.string().trim().min(1, 'form.required').max(100, 'form.tooLong'),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, MISMATCH)

export const invitationAcceptRoutes = new Hono<AppEnv>()

function invalidInvitation(c: Context<AppEnv>) {
  return render(c, 'auth/link_invalid', { message: 'invitation.invalid' }, { status: 404 })
}

function acceptPage(
  c: Context<AppEnv>,
  inv: OpenInvitation,
  token: string,
  name: string,
  status: 200 | 409 | 422,
  errors: FieldErrors,
  formError: 'form.errorsTitle' | 'invitation.emailTaken' | null = status === 422
    ? 'form.errorsTitle'
    : null,
) {
  c.header('X-Robots-Tag', 'noindex, nofollow')
  return render(
    c,
    'auth/invitation',
    { invitation: inv, values: { token, name }, errors, formError },
    { status },
  )
}

const usable = (token: string | undefined): token is string => !!token && token.length <= 200

invitationAcceptRoutes.get('/invitation', async (c) => {
  const { db, clock } = c.get('deps')
  const token = c.req.query('token')
  const inv = usable(token) ? await openInvitation(db, token, clock()) : null
  if (!inv) return invalidInvitation(c)
  return acceptPage(c, inv, token!, inv.name, 200, {})
})

invitationAcceptRoutes.post(
  '/invitation',
  validForm(acceptSchema, async (c: Context<AppEnv>, errors, values) => {
    const token = typeof values['token'] === 'string' ? values['token'] : undefined
    const inv = usable(token)
      ? await openInvitation(c.get('deps').db, token, c.get('deps').clock())
      : null
    if (!inv) return invalidInvitation(c)
    const name = typeof values['name'] === 'string' ? values['name'] : ''
    return acceptPage(c, inv, token!, name, 422, errors)
  }),
  async (c) => {
    const { db, clock, logger } = c.get('deps')
    const form = c.req.valid('form')
    const now = clock()
    const inv = await openInvitation(db, form.token, now)
    if (!inv) return invalidInvitation(c)
    const result = await acceptInvitation(db, {
      token: form.token,
      name: form.name,
      password: form.password,
      now,
    })
    if (!result.ok) {
      if (result.problem === 'invalid_token') return invalidInvitation(c)
      if (result.problem === 'email_taken')
        return acceptPage(c, inv, form.token, form.name, 409, {}, 'invitation.emailTaken')
      return acceptPage(c, inv, form.token, form.name, 422, {
        password: PASSWORD_MESSAGE[result.problem],
      })
    }
    logger.info('invitation accepted', { user: result.user.id, role: result.user.role })
    return c.redirect('/login?done=account_created', 303)
  },
)
