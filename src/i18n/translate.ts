import type { Locale } from './locale.js'
import { en, zh, type MessageKey } from './messages/index.js'

export type { MessageKey }
export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const tables: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zh }

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = tables[locale][key] ?? en[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  )
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params)
}

export function hasMessage(key: string): key is MessageKey {
  return key in en
}
