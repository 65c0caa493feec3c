export const ROLES = ['agent', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

const ROLE_RANK: Record<Role, number> = { agent: 1, manager: 2, admin: 3 }

/** agent < manager < admin: a role can do everything the roles below it can. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed]
}
