import type { Locale } from './locale.js'
import { en, zh, type MessageKey } from './messages/index.js'

export type { MessageKey }
export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const tables: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zh }

// A template split once into its text and the names of its {placeholders} (odd places): a
// ticket page fills a few hundred, and a regular expression with a callback for each was ≈ 7 %
// of its cost. Keyed by the template's text; there are as many as there are messages.
const templateParts = new Map<string, readonly string[]>()

function partsOf(template: string): readonly string[] {
  let parts = templateParts.get(template)
  if (!parts) templateParts.set(template, (parts = template.split(/\{(\w+)\}/)))
  return parts
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = tables[locale][key] ?? en[key] ?? key
  if (!params) return template
  const parts = partsOf(template)
  let out = parts[0]!
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!
    // A name the caller did not give stays as it was written.
    out += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!
  }
  return out
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params)
}

export function hasMessage(key: string): key is MessageKey {
  return key in en
}
