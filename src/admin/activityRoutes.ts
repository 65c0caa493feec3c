// What administrators changed, newest first: read from admin_changes (src/admin/audit.ts), each
// line in the reader's language.
import { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'
import { render } from '../http/render.js'
import type { MessageKey, Params, Translate } from '../i18n/translate.js'
import { ROLES } from '../domain/roles.js'
import { isPresetKey } from '../deadlines/context.js'
import {
  ADMIN_ACTIONS,
  ADMIN_CHANGES_SHOWN,
  recentAdminChanges,
  type AdminAction,
} from './audit.js'
import { DAY_KINDS } from './deadlines.js'

export const activityRoutes = new Hono<AppEnv>()

type Detail = Record<string, unknown>

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')

/** The words of one recorded change: its names and kinds translated, the rest as recorded. */
export function describeChange(
  t: Translate,
  locale: string,
  action: string,
  subject: string,
  detail: Detail,
): string {
  if (!(ADMIN_ACTIONS as readonly string[]).includes(action)) return `${action} ${subject}`
  const role = (v: unknown) =>
    (ROLES as readonly string[]).includes(text(v)) ? t(`role.${text(v)}` as MessageKey) : text(v)
  const kind = (v: unknown) =>
    (DAY_KINDS as readonly string[]).includes(text(v))
      ? t(`admin.deadlines.kind.${text(v)}` as MessageKey)
      : text(v)
  const preset = (v: unknown) =>
    isPresetKey(text(v)) ? t(`admin.deadlines.preset.${text(v)}` as MessageKey) : text(v)
  const providerName = (v: unknown) => {
    const names = (v ?? {}) as Detail
    return text(locale === 'en' ? names['name_en'] : names['name_zh'])
  }
  const params: Params = { subject }
  switch (action as AdminAction) {
    case 'user_added':
    case 'user_invited':
    case 'invitation_accepted':
      params['role'] = role(detail['role'])
      break
    case 'user_role':
      params['from'] = role(detail['from'])
      params['to'] = role(detail['to'])
      break
    case 'provider_added':
      params['name'] = providerName(detail)
      break
    case 'provider_renamed':
      params['from'] = providerName(detail['from'])
      params['to'] = providerName(detail['to'])
      break
    case 'provider_moved':
      params['position'] = text(detail['position'])
      break
    case 'preset_chosen':
      params['subject'] = preset(subject)
      params['from'] = preset(detail['from'])
      break
    case 'day_added':
    case 'day_removed':
      params['kind'] = kind(detail['kind'])
      params['name'] = text(detail['name'])
      break
    case 'mail_retried':
      params['kind'] = text(detail['kind'])
      break
  }
  return t(`admin.activity.${action}` as MessageKey, params)
}

activityRoutes.get('/', async (c) => {
  const { db } = c.get('deps')
  const t = c.get('t')
  const locale = c.get('locale')
  const rows = await recentAdminChanges(db)
  const changes = rows.map((r) => {
    let detail: Detail = {}
    try {
      const parsed: unknown = JSON.parse(r.detail)
      if (parsed && typeof parsed === 'object') detail = parsed as Detail
    } catch {
      // A damaged detail still shows who did what to which subject.
    }
    return {
      id: r.id,
      at: r.at,
      who: r.actor_name,
      action: r.action,
      what: describeChange(t, locale, r.action, r.subject, detail),
    }
  })
  return render(c, 'admin/activity', { changes, shown: ADMIN_CHANGES_SHOWN })
})
