// The choices the filter form offers: providers, problem categories and staff who handle tickets.
import type { DB } from '../db/connection.js'
import { CATEGORIES } from '../domain/categories.js'
import type { Locale } from '../i18n/locale.js'

export interface Option {
  value: string
  label: string
}

export async function filterOptions(db: DB, locale: Locale) {
  const providers = await db
    .selectFrom('providers')
    .select(['id', 'name_zh', 'name_en'])
    .orderBy('sort_order')
    .orderBy('id')
    .execute()
  const staff = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('active', '=', 1)
    .orderBy('name')
    .orderBy('id')
    .execute()
  return {
    providers: providers.map((p): Option => ({
      value: String(p.id),
      label: locale === 'en' ? p.name_en : p.name_zh,
    })),
    categories: CATEGORIES.map((c): Option => ({ value: c.key, label: c.title[locale] })),
    assignees: staff.map((u): Option => ({ value: String(u.id), label: u.name })),
  }
}
