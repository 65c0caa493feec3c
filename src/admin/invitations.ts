// Invitations: an administrator names a person, an address and a role; the person gets a
// single-use link by email and chooses the password. Administrators never type or see anyone
// else's password. The link's token exists only as its SHA-256; sending again draws a new one,
// so the older link stops working. Each change is one transaction with its email and its record.
import { passwordProblem, type PasswordProblem } from '../auth/passwordPolicy.js'
import { hashSecret, newSecret } from '../secrets.js'
import { createUser, normalizeEmail } from '../auth/users.js'
import { type Role } from '../domain/roles.js'
import type { DB } from '../db/connection.js'
import type { User } from '../db/schema.js'
import type { Locale } from '../i18n/locale.js'
import { isLocale } from '../i18n/locale.js'
import { invitationMail } from '../mail/accountMail.js'
import { enqueueMail } from '../mail/outbox.js'
import { recordAdminChange, type AdminAudit } from './audit.js'

export const INVITATION_TTL_MS = 7 * 86_400_000

export const invitationPath = (token: string) => `/invitation?token=${encodeURIComponent(token)}`

/** Who sends, from where: the inviting administrator's name goes into the email. */
export interface InviteContext {
  audit: AdminAudit
  inviterName: string
  locale: Locale
  baseUrl: string
}

export interface OpenInvitationRow {
  id: number
  email: string
  name: string
  role: Role
  invited_by_name: string | null
  sent_at: number
  expires_at: number
}

/** Neither accepted nor revoked, newest first; expired ones too, so they can be sent again. */
export function listOpenInvitations(db: DB): Promise<OpenInvitationRow[]> {
  return db
    .selectFrom('invitations as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([
      'i.id',
      'i.email',
      'i.name',
      'i.role',
      'u.name as invited_by_name',
      'i.sent_at',
      'i.expires_at',
    ])
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .orderBy('i.sent_at', 'desc')
    .orderBy('i.id', 'desc')
    .execute()
}

export type InviteProblem = 'email_taken' | 'already_invited'

export async function inviteUser(
  db: DB,
  input: { email: string; name: string; role: Role },
  ctx: InviteContext,
): Promise<{ ok: true; id: number } | { ok: false; problem: InviteProblem }> {
  const email = normalizeEmail(input.email)
  const name = input.name.trim()
  const now = ctx.audit.at
  try {
    return await db.transaction().execute(async (trx) => {
      if (await userExists(trx, email)) return { ok: false, problem: 'email_taken' } as const
      const open = await trx
        .selectFrom('invitations')
        .select(['id', 'expires_at'])
        .where('email', '=', email)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (open && open.expires_at > now) return { ok: false, problem: 'already_invited' } as const
      // An expired one makes room for the new one; its link could not be used anyway.
      if (open)
        await trx
          .updateTable('invitations')
          .set({ revoked_at: now })
          .where('id', '=', open.id)
          .execute()
      const token = newSecret()
      const expiresAt = now + INVITATION_TTL_MS
      const row = await trx
        .insertInto('invitations')
        .values({
          email,
          name,
          role: input.role,
          locale: ctx.locale,
          token_hash: hashSecret(token),
          invited_by: ctx.audit.actorUserId,
          created_at: now,
          sent_at: now,
          expires_at: expiresAt,
          accepted_at: null,
          accepted_user_id: null,
          revoked_at: null,
          revoked_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await queueInvitationMail(
        trx,
        { email, name, role: input.role, locale: ctx.locale },
        token,
        expiresAt,
        ctx,
      )
      await recordAdminChange(trx, ctx.audit, {
        action: 'user_invited',
        subject: email,
        detail: { role: input.role },
      })
      return { ok: true, id: row.id } as const
    })
  } catch (err) {
    // Two administrators inviting the same address at once: the partial unique index decides.
    if ((err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE')
      return { ok: false, problem: 'already_invited' }
    throw err
  }
}

export type InvitationChange =
  { ok: true } | { ok: false; problem: 'not_found' | 'closed' | 'email_taken' }

/** A new link (the old one stops working) valid for another full term, and the email again. */
export function resendInvitation(
  db: DB,
  id: number,
  ctx: InviteContext,
): Promise<InvitationChange> {
  return db.transaction().execute(async (trx) => {
    const inv = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!inv) return { ok: false, problem: 'not_found' } as const
    if (inv.accepted_at !== null || inv.revoked_at !== null)
      return { ok: false, problem: 'closed' } as const
    if (await userExists(trx, inv.email)) return { ok: false, problem: 'email_taken' } as const
    const now = ctx.audit.at
    const token = newSecret()
    const expiresAt = now + INVITATION_TTL_MS
    await trx
      .updateTable('invitations')
      .set({ token_hash: hashSecret(token), sent_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .execute()
    const locale = isLocale(inv.locale) ? inv.locale : ctx.locale
    await queueInvitationMail(
      trx,
      { email: inv.email, name: inv.name, role: inv.role, locale },
      token,
      expiresAt,
      ctx,
    )
    await recordAdminChange(trx, ctx.audit, { action: 'invitation_resent', subject: inv.email })
    return { ok: true } as const
  })
}

export function revokeInvitation(db: DB, id: number, audit: AdminAudit): Promise<InvitationChange> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('invitations')
      .set({ revoked_at: audit.at, revoked_by: audit.actorUserId })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('email')
      .executeTakeFirst()
    if (!r) {
      const exists = await trx
        .selectFrom('invitations')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
      return { ok: false, problem: exists ? 'closed' : 'not_found' } as const
    }
    await recordAdminChange(trx, audit, { action: 'invitation_revoked', subject: r.email })
    return { ok: true } as const
  })
}

export interface OpenInvitation {
  id: number
  email: string
  name: string
  role: Role
}

/** The invitation a link opens, while it is neither accepted, revoked, replaced nor expired. */
export async function openInvitation(
  db: DB,
  token: string,
  now: number,
): Promise<OpenInvitation | null> {
  const row = await db
    .selectFrom('invitations')
    .select(['id', 'email', 'name', 'role'])
    .where('token_hash', '=', hashSecret(token))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row ?? null
}

export type AcceptResult =
  | { ok: true; user: User }
  | { ok: false; problem: PasswordProblem | 'invalid_token' | 'email_taken' }

/**
 * Creates the account with the invited address and role (never ones from the form) and spends
 * the invitation, in one transaction; the password is checked and hashed before it.
 */
export async function acceptInvitation(
  db: DB,
  req: { token: string; name: string; password: string; now: number },
): Promise<AcceptResult> {
  const inv = await openInvitation(db, req.token, req.now)
  if (!inv) return { ok: false, problem: 'invalid_token' }
  const name = req.name.trim() || inv.name
  // Checked here as well as in createUser so a weak password is told before the address is.
  const problem = passwordProblem(req.password, { email: inv.email, name })
  if (problem) return { ok: false, problem }
  try {
    return await createUser(
      db,
      { email: inv.email, name, role: inv.role, password: req.password },
      req.now,
      async (trx, user) => {
        const spent = await trx
          .updateTable('invitations')
          .set({ accepted_at: req.now, accepted_user_id: user.id })
          .where('id', '=', inv.id)
          .where('token_hash', '=', hashSecret(req.token))
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', req.now)
          .executeTakeFirst()
        if (Number(spent.numUpdatedRows) !== 1) throw new AcceptRollback()
        await recordAdminChange(
          trx,
          { actorUserId: user.id, at: req.now },
          { action: 'invitation_accepted', subject: user.email, detail: { role: user.role } },
        )
      },
    )
  } catch (err) {
    if (err instanceof AcceptRollback) return { ok: false, problem: 'invalid_token' }
    throw err
  }
}

// Thrown inside the transaction when the invitation was spent, revoked or replaced meanwhile,
// so the new account is rolled back with it.
class AcceptRollback extends Error {}

async function userExists(trx: DB, email: string): Promise<boolean> {
  return (
    (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !==
    undefined
  )
}

async function queueInvitationMail(
  trx: DB,
  to: { email: string; name: string; role: Role; locale: Locale },
  token: string,
  expiresAt: number,
  ctx: InviteContext,
): Promise<void> {
  const mail = invitationMail(to.locale, {
    name: to.name,
    inviter: ctx.inviterName,
    role: to.role,
    url: ctx.baseUrl + invitationPath(token),
    expiresAt,
  })
  await enqueueMail(
    trx,
    { kind: 'invitation', to: to.email, locale: to.locale, ...mail, ticketId: null, eventId: null },
    ctx.audit.at,
  )
}
