// The ticket page's related cases: other tickets of the same complainant (email or phone), with the
// same transaction reference, or against the same provider and merchant within 30 days; and the
// links agents made. Each reason is one bounded read of its own index (migration 0019).
import type { DB } from '../db/connection.js'
import { rawRows } from '../db/rawSql.js'
import type { LinkRelation } from '../domain/actions.js'
import { formatDate } from '../i18n/format.js'
import type { Locale } from '../i18n/locale.js'
import type { StaffTicket } from './findTicket.js'

export const RELATED_PER_REASON = 20
/**
 * A popular merchant has thousands of cases at one provider within a month: the page shows the
 * latest few of them (a sign of a wave), not a list, and reads no more rows than it shows.
 */
export const MERCHANT_SHOWN = 5
export const MERCHANT_WINDOW_MS = 30 * 86_400_000
const LINKS_SHOWN = 50

export const RELATED_REASONS = ['email', 'phone', 'transaction_ref', 'merchant'] as const
export type RelatedReason = (typeof RELATED_REASONS)[number]

interface Row {
  id: number
  case_number: string
  status: string
  level: string
  created_at: number
}
const COLUMNS = 'select id, case_number, status, level, created_at from tickets'
// The same expression as the index tickets_phone_digits: a number typed with spaces or dashes matches.
const PHONE_DIGITS = `replace(replace(replace(replace(replace(complainant_phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')`
const SQL: Record<RelatedReason, string> = {
  email: `${COLUMNS} where lower(complainant_email) = lower(?) and complainant_email is not null and id <> ? order by id desc limit ${RELATED_PER_REASON}`,
  phone: `${COLUMNS} where ${PHONE_DIGITS} = ? and complainant_phone is not null and id <> ? order by id desc limit ${RELATED_PER_REASON}`,
  transaction_ref: `${COLUMNS} where transaction_ref = ? and id <> ? order by id desc limit ${RELATED_PER_REASON}`,
  merchant: `${COLUMNS} where provider_id = ? and lower(merchant) = lower(?) and merchant is not null and created_at between ? and ? and id <> ? order by created_at desc limit ${MERCHANT_SHOWN}`,
}
export const RELATED_SQL: Readonly<Record<RelatedReason, string>> = SQL

const LINKS_SQL = `select * from (
  select l.relation, 0 as incoming, t.case_number, t.status, t.level, t.created_at
    from ticket_links l join tickets t on t.id = l.linked_id where l.ticket_id = ?
  union all
  select l.relation, 1 as incoming, t.case_number, t.status, t.level, t.created_at
    from ticket_links l join tickets t on t.id = l.ticket_id where l.linked_id = ?
) order by created_at desc limit ${LINKS_SHOWN}`

export interface RelatedData {
  matches: { row: Row; reasons: RelatedReason[] }[]
  links: (Omit<Row, 'id'> & { relation: LinkRelation; incoming: number })[]
}

export const phoneDigits = (phone: string) => phone.replace(/[ ()+-]/g, '')

export async function loadRelated(db: DB, t: StaffTicket): Promise<RelatedData> {
  const params: Partial<Record<RelatedReason, unknown[]>> = {}
  if (t.complainant_email) params.email = [t.complainant_email.trim(), t.id]
  if (t.complainant_phone) params.phone = [phoneDigits(t.complainant_phone), t.id]
  if (t.transaction_ref) params.transaction_ref = [t.transaction_ref, t.id]
  if (t.merchant && t.provider_id !== null)
    params.merchant = [
      t.provider_id,
      t.merchant,
      t.created_at - MERCHANT_WINDOW_MS,
      t.created_at + MERCHANT_WINDOW_MS,
      t.id,
    ]
  const byId = new Map<number, { row: Row; reasons: RelatedReason[] }>()
  for (const reason of RELATED_REASONS) {
    const p = params[reason]
    if (!p) continue
    for (const row of await rawRows<Row>(db, SQL[reason], p)) {
      const seen = byId.get(row.id)
      if (seen) seen.reasons.push(reason)
      else byId.set(row.id, { row, reasons: [reason] })
    }
  }
  const matches = [...byId.values()].sort((a, b) => b.row.created_at - a.row.created_at)
  const links = await rawRows<RelatedData['links'][number]>(db, LINKS_SQL, [t.id, t.id])
  return { matches, links }
}

/** How a link reads from this ticket's side. */
export type LinkView = 'related' | 'duplicate_of' | 'has_duplicate'

export function relatedView(data: RelatedData, locale: Locale) {
  const card = (r: Omit<Row, 'id'>) => ({
    caseNumber: r.case_number,
    status: r.status,
    level: r.level,
    created: formatDate(r.created_at, locale),
  })
  return {
    matches: data.matches.map((m) => ({ ...card(m.row), reasons: m.reasons })),
    links: data.links.map((l) => ({
      ...card(l),
      view: (l.relation === 'related'
        ? 'related'
        : l.incoming
          ? 'has_duplicate'
          : 'duplicate_of') as LinkView,
    })),
  }
}
