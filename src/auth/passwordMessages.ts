import type { MessageKey } from '../i18n/translate.js'
import type { PasswordProblem } from './passwordPolicy.js'

/** One message per rule, so a refused password says which rule it broke. */
export const PASSWORD_MESSAGE: Record<PasswordProblem, MessageKey> = {
  too_short: 'form.passwordTooShort',
  too_long: 'password.rule.tooLong',
  weak: 'form.passwordWeak',
  repetitive: 'password.rule.repetitive',
  personal: 'password.rule.personal',
  common: 'password.rule.common',
}
