import { CompiledQuery } from 'kysely'
import type { DB } from './connection.js'

// The ticket page's fixed reads are written out as SQL text: building each with Kysely's query
// builder cost more than running it (≈ 105 µs of builder and compiler per page against ≈ 80 µs
// of SQLite for its eight queries). They still run through Kysely's executor, so transactions,
// the statement cache and the data-version tracking all apply. Only constant SQL goes here;
// every value is a bound parameter.

export async function rawRows<Row>(
  db: DB,
  text: string,
  params: readonly unknown[],
): Promise<Row[]> {
  return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...params]))).rows
}

export async function rawRow<Row>(
  db: DB,
  text: string,
  params: readonly unknown[],
): Promise<Row | undefined> {
  return (await rawRows<Row>(db, text, params))[0]
}
