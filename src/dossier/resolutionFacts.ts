// The dossier's facts about the outcome: a resolution's remedy and amount recovered only once it
// was accepted; a proposal still open, disputed or not accepted is shown as what it is, never as
// the outcome (domain/resolution.ts).
import { proposalState, recoveredMinor } from '../domain/resolution.js'
import { formatDateTime, formatMoney } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import { hasMessage, translate, type MessageKey } from '../i18n/translate.js'

export function resolutionFacts(
  ticket: {
    status: string
    outcome: string | null
    proposed_at: number | null
    disputed_at: number | null
    relief: string | null
    amount_recovered_minor: number | null
    currency: string
  },
  locale: Locale,
): [string, string][] {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params)
  const key = `relief.${ticket.relief}`
  const relief = ticket.relief ? (hasMessage(key) ? t(key) : ticket.relief) : ''
  const state = proposalState(ticket)
  if (state === 'accepted')
    return [
      [t('dossier.relief'), relief],
      [t('dossier.recovered'), formatMoney(recoveredMinor(ticket), ticket.currency, locale) ?? ''],
    ]
  if (state === 'none') return []
  const amount = formatMoney(ticket.amount_recovered_minor, ticket.currency, locale)
  const what = amount ? t('dossier.proposal.withAmount', { relief, amount }) : relief
  return [
    [
      t('dossier.proposal'),
      t(`dossier.proposal.${state}`, {
        what,
        proposed: formatDateTime(ticket.proposed_at, locale) ?? '',
        disputed: formatDateTime(ticket.disputed_at, locale) ?? '',
      }),
    ],
  ]
}
