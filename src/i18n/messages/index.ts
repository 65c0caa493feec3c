// One table per area keeps parallel work apart; the union is the app's message table.
import * as account from './account.js'
import * as admin from './admin.js'
import * as agent from './agent.js'
import * as common from './common.js'
import * as complaints from './complaints.js'
import * as dossier from './dossier.js'
import * as fixes from './fixes.js'
import * as mail from './mail.js'
import * as ops from './ops.js'
import * as reliability from './reliability.js'
import * as reports from './reports.js'
import * as ticket from './ticket.js'
import * as ticketPage from './ticketPage.js'
import * as twoFactor from './twoFactor.js'
import * as related from './related.js'
import * as queueTable from './queueTable.js'
import * as savedViews from './savedViews.js'
import * as macros from './macros.js'
import * as attachments from './attachments.js'

export const en = {
  ...common.en,
  ...ticket.en,
  ...admin.en,
  ...complaints.en,
  ...agent.en,
  ...reports.en,
  ...mail.en,
  ...dossier.en,
  ...reliability.en,
  ...account.en,
  ...twoFactor.en,
  ...fixes.en,
  ...ops.en,
  ...ticketPage.en,
  ...related.en,
  ...queueTable.en,
  ...savedViews.en,
  ...macros.en,
  ...attachments.en,
}
export type MessageKey = keyof typeof en
export const zh: Record<MessageKey, string> = {
  ...common.zh,
  ...ticket.zh,
  ...admin.zh,
  ...complaints.zh,
  ...agent.zh,
  ...reports.zh,
  ...mail.zh,
  ...dossier.zh,
  ...reliability.zh,
  ...account.zh,
  ...twoFactor.zh,
  ...fixes.zh,
  ...ops.zh,
  ...ticketPage.zh,
  ...related.zh,
  ...queueTable.zh,
  ...savedViews.zh,
  ...macros.zh,
  ...attachments.zh,
}
