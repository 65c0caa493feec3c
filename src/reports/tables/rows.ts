// How the report tables label and order their rows: providers in their listed order, categories
// by their title in the user's language, currencies with the office's own first.
import { CATEGORIES } from '../../domain/categories.js'
import { LEVELS } from '../../domain/ladder.js'
import type { Locale } from '../../i18n/locale.js'
import type { MoneyRow } from '../queries/cohort.js'
import type { ReportData } from './data.js'

export const ESCALATED_LEVELS = LEVELS.slice(1)

export function categoryLabel(key: string, locale: Locale): string {
  return CATEGORIES.find((c) => c.key === key)?.title[locale] ?? key
}

export async function sortByProvider<T>(
  d: ReportData,
  rows: readonly T[],
  id: (r: T) => number | null,
  then: (r: T) => number,
): Promise<T[]> {
  const keyed = await Promise.all(
    rows.map(async (r) => ({ r, o: await d.providerOrder(id(r)), t: then(r) })),
  )
  return keyed.sort((a, b) => a.o - b.o || a.t - b.t).map((x) => x.r)
}

/** CNY first (the office's currency), then the others alphabetically. */
export function currencyRank(c: string): number {
  return c === 'CNY' ? -1 : c.charCodeAt(0) * 65536 + c.charCodeAt(1) * 256 + c.charCodeAt(2)
}

export function currencies(rows: readonly MoneyRow[]): string[] {
  return [...new Set(rows.map((r) => r.currency))].sort((a, b) => currencyRank(a) - currencyRank(b))
}
