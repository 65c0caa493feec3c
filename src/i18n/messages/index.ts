// One table per area keeps parallel work apart; the union is the app's message table.
import * as common from './common.js'
import * as ticket from './ticket.js'

export const en = { ...common.en, ...ticket.en }
export type MessageKey = keyof typeof en
export const zh: Record<MessageKey, string> = { ...common.zh, ...ticket.zh }
