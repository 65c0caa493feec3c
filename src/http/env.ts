import type { ChangeListener } from '../change/types.js'
import type { Config } from '../config.js'
import type { DB } from '../db/connection.js'
import type { Locale } from '../i18n/locale.js'
import type { Translate } from '../i18n/translate.js'
import type { Logger } from './logger.js'
import type { Views } from './views.js'

export type Clock = () => number

export interface SignedInUser {
  id: number
  email: string
  name: string
  role: 'agent' | 'manager' | 'admin'
}

/** What every handler can reach: created once per process (or per test). */
export interface AppDeps {
  db: DB
  config: Config
  clock: Clock
  logger: Logger
  views: Views
  /** The projections every ticket change runs (src/listeners.ts). */
  listeners: readonly ChangeListener[]
}

export interface AppEnv {
  Variables: {
    deps: AppDeps
    requestId: string
    locale: Locale
    t: Translate
    user: SignedInUser | null
    sessionIdHash: string | null
  }
}
