import { roleAtLeast, type Role } from './roles.js'

// Who must sign in with a second factor. Pure. A stolen password alone must not open what a
// role can reach that hurts complainants: their unmasked numbers and their ID documents.

/** The lowest role that may reveal a ticket's masked numbers (POST /tickets/:case/reveal). */
export const REVEAL_MIN_ROLE: Role = 'agent'
/**
 * The lowest role that may open ID documents: managers open all of them, and any agent those of
 * the tickets assigned to them (src/tickets/workspace.ts maySeeSensitive).
 */
export const ID_DOCUMENTS_MIN_ROLE: Role = 'agent'

/** `roles`: managers, admins and whoever reaches the above; `all`: every staff account. */
export type TwoFactorPolicy = 'roles' | 'all'

export function twoFactorRequired(role: Role, policy: TwoFactorPolicy): boolean {
  if (policy === 'all') return true
  return (
    roleAtLeast(role, 'manager') ||
    roleAtLeast(role, REVEAL_MIN_ROLE) ||
    roleAtLeast(role, ID_DOCUMENTS_MIN_ROLE)
  )
}
