// What every staff route of the workspace shares: the guard, the signed-in user, the case in the path.
import type { Context } from 'hono'
import { requireRole } from '../auth/middleware.js'
import { REVEAL_MIN_ROLE } from '../domain/twoFactorPolicy.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import type { AppEnv, SignedInUser } from '../http/env.js'
import { notFound } from '../http/errors.js'

export const staffOnly = requireRole('agent')
/** Who may see the unmasked numbers; two-factor sign-in is required of them (src/domain/twoFactorPolicy.ts). */
export const mayReveal = requireRole(REVEAL_MIN_ROLE)

export function staffActor(user: SignedInUser) {
  return { kind: 'staff', role: user.role, userId: user.id } as const
}

export function signedIn(c: Context<AppEnv>): SignedInUser {
  const user = c.get('user')
  if (!user) throw notFound()
  return user
}

export function caseParam(c: Context<AppEnv>): string {
  const normalized = normalizeCaseNumber(c.req.param('case') ?? '')
  if (!normalized) throw notFound()
  return normalized
}
