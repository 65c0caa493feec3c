// The words staff read when the lifecycle refuses an action: the reason, naming the ticket's status
// in staff wording (the complainant's pages use their own wording, in track/).
import type { RefusalCode } from '../domain/lifecycle.js'
import type { MessageKey, Translate } from '../i18n/translate.js'

export function refusalText(t: Translate, code: RefusalCode, status: string): string {
  return t(`refusal.${code}` as MessageKey, { status: t(`staffStatus.${status}` as MessageKey) })
}
