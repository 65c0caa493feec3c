// What administrators changed, kept in the database (not only in the application log) and
// written in the same transaction as the change, so a change and its record stand or fall together.
import type { DB } from '../db/connection.js'

export const ADMIN_ACTIONS = [
  'user_added',
  'user_invited',
  'invitation_resent',
  'invitation_revoked',
  'invitation_accepted',
  'user_role',
  'user_deactivated',
  'user_reactivated',
  'user_2fa_reset',
  'provider_added',
  'provider_renamed',
  'provider_activated',
  'provider_deactivated',
  'provider_moved',
  'preset_chosen',
  'day_added',
  'day_removed',
  'mail_retried',
  'macro_added',
  'macro_saved',
  'macro_deleted',
] as const
export type AdminAction = (typeof ADMIN_ACTIONS)[number]

/** Who made a change and when; passed down to the function that makes it. */
export interface AdminAudit {
  actorUserId: number | null
  at: number
}

export async function recordAdminChange(
  trx: DB,
  audit: AdminAudit,
  change: { action: AdminAction; subject: string; detail?: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('admin_changes')
    .values({
      at: audit.at,
      actor_user_id: audit.actorUserId,
      action: change.action,
      subject: change.subject,
      detail: JSON.stringify(change.detail ?? {}),
    })
    .execute()
}

export const ADMIN_CHANGES_SHOWN = 200

export function recentAdminChanges(db: DB, limit = ADMIN_CHANGES_SHOWN) {
  return db
    .selectFrom('admin_changes')
    .leftJoin('users', 'users.id', 'admin_changes.actor_user_id')
    .select([
      'admin_changes.id',
      'admin_changes.at',
      'admin_changes.action',
      'admin_changes.subject',
      'admin_changes.detail',
      'users.name as actor_name',
    ])
    .orderBy('admin_changes.at', 'desc')
    .orderBy('admin_changes.id', 'desc')
    .limit(limit)
    .execute()
}
