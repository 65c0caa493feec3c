import { sql } from 'kysely'

/**
 * The value of "no clock" in the due key, written exactly as in migration 0004's index
 * expressions: a literal, not a parameter, so SQLite matches the indexes.
 */
export const NO_DUE_KEY = 9007199254740991

/**
 * A ticket's due date with "no clock" as the largest number: the key migration 0004 indexes over
 * open tickets. Equal to due_at whenever there is one, so "due before X" can be asked of it.
 */
export const dueKey = () => sql<number>`coalesce(tickets.due_at, ${sql.lit(NO_DUE_KEY)})`
