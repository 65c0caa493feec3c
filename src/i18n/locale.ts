export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
export const LOCALE_COOKIE = 'lang'

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/** Maps a language tag to one we have: zh, zh-Hans, zh-TW… → zh-CN; en-GB… → en. */
export function matchLocale(tag: string): Locale | null {
  const t = tag.trim().toLowerCase()
  if (t === '' || t === '*') return null
  if (t.startsWith('zh')) return 'zh-CN'
  if (t.startsWith('en')) return 'en'
  return null
}

/** Picks a locale from an Accept-Language header by quality. */
export function fromAcceptLanguage(header: string | undefined | null): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return { tag, quality: Number.isFinite(quality) ? quality : 0, i }
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.i - b.i)
  for (const r of ranked) {
    const m = matchLocale(r.tag)
    if (m) return m
  }
  return null
}

/** The user's explicit choice (cookie) wins; then the browser's Accept-Language; then zh-CN. */
export function negotiateLocale(
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Locale {
  if (isLocale(cookie)) return cookie
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE
}
