import type { MessageKey, Translate } from '../i18n/translate.js'

/** The options every partial in views/fields/ reads to tie its label, hint and error to the control. */
export interface FieldOptions {
  t: Translate
  name: string
  /** The control's element id; several forms on one page that share a field name pass their own. */
  id?: string
  hint?: string
  error?: MessageKey | null
  /** Several messages for one field (the problems with each uploaded file); shown instead of `error`. */
  errorLines?: readonly string[]
}

export interface FieldParts {
  id: string
  messages: readonly string[]
  describedBy: string
  invalid: boolean
}

/** Computed in one place so that every field names its hint and error the same way. */
export function fieldParts(it: FieldOptions): FieldParts {
  const id = it.id || `f-${it.name}`
  const messages = it.errorLines?.length ? it.errorLines : it.error ? [it.t(it.error)] : []
  const describedBy = [it.hint ? `${id}-hint` : '', messages.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return { id, messages, describedBy, invalid: messages.length > 0 }
}
