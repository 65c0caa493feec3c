// The queue table's columns an agent may hide (case and the selection box always stay), in the
// table's order. A view hides them with `hide=` in its query string, repeated in this order, and
// the table carries them in data-hide so that the stylesheet hides the cells: the rows' HTML stays
// the same for every view and is cached once.
import type { MessageKey } from '../i18n/translate.js'

export const HIDEABLE_COLUMNS = [
  'first',
  'category',
  'provider',
  'amount',
  'level',
  'status',
  'priority',
  'assignee',
  'due',
  'activity',
] as const
export type QueueColumn = (typeof HIDEABLE_COLUMNS)[number]

/** The columns named in `values`, once each, in the table's order; unknown names are left out. */
export function hiddenColumns(values: readonly string[]): QueueColumn[] {
  return HIDEABLE_COLUMNS.filter((c) => values.includes(c))
}

/** Each column's heading, as the table names it, for the filter form's choice. */
export const COLUMN_OPTIONS = HIDEABLE_COLUMNS.map((key) => ({
  key,
  label: (
    {
      first: 'queueTable.col.first',
      category: 'queueTable.col.category',
      provider: 'queueTable.col.provider',
      amount: 'queueTable.col.amount',
      level: 'queue.col.level',
      status: 'queue.col.status',
      priority: 'queueTable.col.priority',
      assignee: 'queue.col.assignee',
      due: 'queue.col.due',
      activity: 'queueTable.col.activity',
    } as const satisfies Record<QueueColumn, MessageKey>
  )[key],
}))
