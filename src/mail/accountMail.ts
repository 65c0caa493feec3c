// Emails about a staff account itself: a reset link, the answer to a reset asked for an address
// no account uses, the notice that a password changed, and an invitation. Built from blocks
// like every other email (compose.ts), all text from the message tables.
import type { Role } from '../domain/roles.js'
import { formatDateTime } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import { translate, type MessageKey, type Params } from '../i18n/translate.js'
import { renderMail, type ComposedMail } from './compose.js'

const tr = (locale: Locale) => (key: MessageKey, params?: Params) => translate(locale, key, params)

export function passwordResetMail(
  locale: Locale,
  m: { name: string; email: string; url: string; expiresAt: number },
): ComposedMail {
  const t = tr(locale)
  return renderMail(locale, t('mail.reset.subject'), [
    { kind: 'p', text: t('mail.greetingName', { name: m.name }) },
    { kind: 'p', text: t('mail.reset.intro', { email: m.email }) },
    {
      kind: 'link',
      intro: t('mail.reset.link', { date: formatDateTime(m.expiresAt, locale) }),
      url: m.url,
    },
    { kind: 'p', text: t('mail.reset.ignore') },
    { kind: 'p', text: t('mail.signature') },
  ])
}

/** Sent instead of a link when no active account uses the address: the same work either way. */
export function passwordResetUnknownMail(locale: Locale, m: { email: string }): ComposedMail {
  const t = tr(locale)
  return renderMail(locale, t('mail.resetUnknown.subject'), [
    { kind: 'p', text: t('mail.greeting') },
    { kind: 'p', text: t('mail.resetUnknown.intro', { email: m.email }) },
    { kind: 'p', text: t('mail.resetUnknown.after') },
    { kind: 'p', text: t('mail.signature') },
  ])
}

export function passwordChangedMail(
  locale: Locale,
  m: { name: string; email: string; at: number },
): ComposedMail {
  const t = tr(locale)
  return renderMail(locale, t('mail.passwordChanged.subject'), [
    { kind: 'p', text: t('mail.greetingName', { name: m.name }) },
    {
      kind: 'p',
      text: t('mail.passwordChanged.body', { email: m.email, date: formatDateTime(m.at, locale) }),
    },
    { kind: 'p', text: t('mail.passwordChanged.notYou') },
    { kind: 'p', text: t('mail.signature') },
  ])
}

export function invitationMail(
  locale: Locale,
  m: { name: string; inviter: string; role: Role; url: string; expiresAt: number },
): ComposedMail {
  const t = tr(locale)
  return renderMail(locale, t('mail.invitation.subject'), [
    { kind: 'p', text: t('mail.greetingName', { name: m.name }) },
    {
      kind: 'p',
      text: t('mail.invitation.intro', { inviter: m.inviter, role: t(`role.${m.role}`) }),
    },
    {
      kind: 'link',
      intro: t('mail.invitation.link', { date: formatDateTime(m.expiresAt, locale) }),
      url: m.url,
    },
    { kind: 'p', text: t('mail.invitation.ignore') },
    { kind: 'p', text: t('mail.signature') },
  ])
}
