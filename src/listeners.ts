// The projections of ticket changes, in the order the change module runs them inside each
// change's transaction. A new way out (webhooks) is one more entry here.
import type { ChangeListener } from './change/types.js'
import { mailNotifications } from './mail/notifications.js'
import { reportRollups } from './reports/rollups.js'
import { searchText } from './search/ticketSearch.js'
import { queueCounters } from './tickets/counters.js'
import { unreadMarks } from './tickets/unread.js'

export const TICKET_LISTENERS: readonly ChangeListener[] = [
  queueCounters,
  unreadMarks,
  searchText,
  reportRollups,
  mailNotifications,
]
