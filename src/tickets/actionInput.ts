// From a validated action form to the lifecycle's input: ids looked up, amounts and dates read.
import type { Context } from 'hono'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import { addLocalDays, startOfLocalDay } from '../domain/zoneTime.js'
import { type ActionInput } from '../domain/actions.js'
import type { AppEnv } from '../http/env.js'
import { type FieldErrors } from '../http/forms.js'
import { currencyExponent, DISPLAY_TIME_ZONE } from '../i18n/format.js'
import { decimalToMinor, type FormAction } from './schemas.js'
import { findTicket } from './findTicket.js'

export type Built = { input: ActionInput } | { errors: FieldErrors; message?: string }

export async function actionInput(
  c: Context<AppEnv>,
  action: FormAction,
  data: Record<string, unknown>,
  ticket: { id: number; currency: string },
): Promise<Built> {
  const { db } = c.get('deps')
  const t = c.get('t')
  const s = (k: string) => data[k] as string
  const n = (k: string) => (data[k] as string | null) ?? null
  switch (action) {
    case 'assign': {
      if (s('assignee') === 'none') return { input: { type: 'assign', assigneeId: null } }
      const id = Number(s('assignee'))
      const staff = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', id)
        .where('active', '=', 1)
        .executeTakeFirst()
      if (!staff) return { errors: { assignee: 'form.invalidChoice' } }
      return { input: { type: 'assign', assigneeId: id } }
    }
    case 'reply':
    case 'note':
    case 'request_info':
      return { input: { type: action, body: s('body') } }
    case 'record_contact':
      return {
        input: {
          type: 'record_contact',
          body: s('body'),
          externalRef: n('external_ref'),
          outcome: s('outcome') as never,
        },
      }
    case 'propose_resolution': {
      const amount = n('amount_recovered')
      let minor: number | null = null
      if (amount !== null) {
        minor = decimalToMinor(amount, currencyExponent(ticket.currency))
        if (minor === null) return { errors: { amount_recovered: 'tickets.form.amountInvalid' } }
      }
      return {
        input: {
          type: 'propose_resolution',
          body: s('body'),
          relief: s('relief') as never,
          amountRecoveredMinor: minor,
        },
      }
    }
    case 'escalate':
      return {
        input: {
          type: 'escalate',
          reason: s('reason') as never,
          note: n('note'),
          externalRef: n('external_ref'),
        },
      }
    case 'close': {
      let duplicateOfId: number | null = null
      const ref = n('duplicate_of')
      if (s('outcome') === 'duplicate' && ref !== null) {
        const other = normalizeCaseNumber(ref)
        const row = other ? await findTicket(db, other) : undefined
        if (!row) return { errors: { duplicate_of: 'tickets.form.caseNotFound' } }
        if (row.id === ticket.id) {
          return {
            errors: { duplicate_of: 'refusal.duplicate_of_self' },
            message: t('refusal.duplicate_of_self'),
          }
        }
        duplicateOfId = row.id
      }
      return {
        input: { type: 'close', outcome: s('outcome') as never, note: n('note'), duplicateOfId },
      }
    }
    case 'reopen':
      return { input: { type: 'reopen', note: n('note') } }
    case 'set_priority':
      return { input: { type: 'set_priority', priority: s('priority') as never } }
    case 'mark_complex':
      return { input: { type: 'mark_complex', complex: s('complex') === '1' } }
    case 'add_tag':
    case 'remove_tag':
      return { input: { type: action, tag: s('tag') } }
    case 'set_reminder': {
      const date = n('reminder_at')
      // A reminder date falls due at the end of that day in the office's time zone.
      if (date !== null && addLocalDays(date, 0) !== date)
        return { errors: { reminder_at: 'tickets.form.dateInvalid' } }
      const at = date ? startOfLocalDay(addLocalDays(date, 1), DISPLAY_TIME_ZONE) - 1 : null
      return { input: { type: 'set_reminder', reminderAt: at } }
    }
  }
}
