// What people type is shown to others: on staff pages, on the complainant's page, in mails and
// in dossiers. Characters that change how text around them is displayed, or that cannot be
// seen at all, are taken out when a form is read, so what is stored is what everyone sees.
// Pure.
//
// Taken out (not replaced by a visible mark): they carry no text of their own, and pasted text
// brings stray ones along (zero-width spaces, byte-order marks, direction marks from chat
// apps), which a replacement mark would clutter; the words read the same without them.
// - C0 and C1 controls and DEL, NUL included; tab and line breaks are kept in text that has
//   lines (a textarea), turned into spaces in a single-line field.
// - Every format character (Unicode category Cf): the bidi embeddings, overrides and isolates
//   U+202A–U+202E and U+2066–U+2069 that reorder what follows them (a name or an amount shown
//   backwards), the direction marks U+200E, U+200F, U+061C, zero-width space U+200B, word joiner
//   and invisible operators U+2060–U+2064, U+FEFF, soft hyphen, interlinear annotations, the
//   invisible tag characters U+E0000–U+E007F that can smuggle whole sentences, and the like.
//   Except zero-width non-joiner and joiner (U+200C, U+200D): scripts such as Persian and the
//   Indic ones need them for correct shaping, emoji sequences need the joiner, and neither
//   reorders nor hides text.
// - Lone surrogate halves, which are no characters at all.
// CR LF, a lone CR, NEL and the line and paragraph separators U+2028, U+2029 become one LF.

const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g
const INVISIBLE = /(?![\t\n\u200c\u200d])[\p{Cc}\p{Cf}\p{Cs}]/gu
const TAB_OR_LF = /[\t\n]/g

export interface CleanTextOptions {
  /** A one-line field: tabs and line breaks become spaces. */
  singleLine?: boolean
}

/** `raw` without invisible and direction-changing characters, line breaks as LF. Not trimmed. */
export function cleanText(raw: string, options: CleanTextOptions = {}): string {
  const text = raw.replace(LINE_BREAKS, '\n').replace(INVISIBLE, '')
  return options.singleLine ? text.replace(TAB_OR_LF, ' ') : text
}
