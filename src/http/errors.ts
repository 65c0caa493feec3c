import type { MessageKey, Params } from '../i18n/translate.js'

/**
 * An expected failure with a status and a message for the user. Anything else thrown is a bug
 * and becomes a 500 with a request id.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly messageKey: MessageKey,
    readonly params: Params = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${messageKey}`)
    this.name = 'HttpError'
  }
}

export const notFound = () => new HttpError(404, 'error.404')
export const forbidden = () => new HttpError(403, 'error.403')
