import { type Kysely, sql } from 'kysely'

// The agent's workspace: queue indexes over open tickets, sidebar counters, the search index.
// Frozen in time: this file imports nothing from the app, so the statuses and the bigram rule
// are spelled out here as they were when it was written.

const NOT_OPEN = `status not in ('resolved','closed','withdrawn')`
// Sort keys without NULLs, so that one index range gives "no due date last" on any database.
const DUE_KEY = 'coalesce(due_at, 9007199254740991)'
const AMOUNT_KEY = 'coalesce(amount_minor, -1)'

// Partial indexes over open work only (the default queue), each ending in the sort key and id
// so a keyset page is one index range read in ORDER BY order.
const FILTERS = ['level', 'assignee_id', 'category', 'provider_id']
const SORT_KEYS: [string, string][] = [
  ['qdue', DUE_KEY],
  ['created', 'created_at'],
  ['qamount', AMOUNT_KEY],
]
const short = (column: string) => column.replace(/_id$/, '')

// Partial indexes over open work only (the default queue): for each sort, one plain and one per
// filter column, each ending in the sort key and id so a keyset page is one index range read in
// ORDER BY order. Small: closed tickets are not in them.
const OPEN_INDEXES: [string, string[]][] = [
  ['tickets_open_due', ['due_at', 'id']],
  ...SORT_KEYS.flatMap(([name, key]): [string, string[]][] => [
    [`tickets_open_${name}`, [key, 'id']],
    ...FILTERS.map((f): [string, string[]] => [`tickets_open_${short(f)}_${name}`, [f, key, 'id']]),
  ]),
]
// Whole-table ones for an explicit status, or for "all" (created_at has one since 0001).
const ALL_INDEXES: [string, string[]][] = [
  ...SORT_KEYS.map(([name, key]): [string, string[]] => [
    `tickets_status_${name}`,
    ['status', key, 'id'],
  ]),
  ['tickets_qdue', [DUE_KEY, 'id']],
  ['tickets_qamount', [AMOUNT_KEY, 'id']],
]

export async function up(db: Kysely<any>): Promise<void> {
  const columnList = (columns: string[]) => sql.raw(columns.join(', '))
  for (const [name, columns] of OPEN_INDEXES) {
    await sql`create index ${sql.id(name)} on tickets (${columnList(columns)}) where ${sql.raw(NOT_OPEN)}`.execute(
      db,
    )
  }
  for (const [name, columns] of ALL_INDEXES) {
    await sql`create index ${sql.id(name)} on tickets (${columnList(columns)})`.execute(db)
  }
  await db.schema
    .createIndex('tickets_duplicate_of')
    .on('tickets')
    .column('duplicate_of_id')
    .execute()

  await backfillCounters(db)

  if (await isSqlite(db)) {
    // Contentless FTS5 over a derived text in which CJK runs are overlapping bigrams, so that a
    // two-character Chinese word is one token. PostgreSQL gets its own index in its own adapter.
    await sql`create virtual table ticket_search using fts5(body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`.execute(
      db,
    )
    let lastId = 0
    for (;;) {
      const rows = await db
        .selectFrom('tickets')
        .select(['id', 'description', 'merchant', 'transaction_ref', 'complainant_name'])
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(2000)
        .execute()
      if (rows.length === 0) break
      for (const r of rows) {
        const text = [r.description, r.merchant, r.transaction_ref, r.complainant_name]
          .filter(Boolean)
          .join('\n')
        await sql`insert into ticket_search (rowid, body) values (${r.id}, ${bigramText(text)})`.execute(
          db,
        )
      }
      lastId = rows[rows.length - 1]!.id
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (await isSqlite(db)) await sql`drop table if exists ticket_search`.execute(db)
  await db.deleteFrom('counters').where('name', 'like', 'queue:%').execute()
  await db.schema.dropIndex('tickets_duplicate_of').ifExists().execute()
  for (const [name] of [...OPEN_INDEXES, ...ALL_INDEXES])
    await db.schema.dropIndex(name).ifExists().execute()
}

async function isSqlite(db: Kysely<any>): Promise<boolean> {
  try {
    await sql`select sqlite_version()`.execute(db)
    return true
  } catch {
    return false
  }
}

async function backfillCounters(db: Kysely<any>) {
  const add = async (name: string, value: number) => {
    if (value > 0) await db.insertInto('counters').values({ name, value }).execute()
  }
  const byStatus = await db
    .selectFrom('tickets')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute()
  for (const r of byStatus) await add(`queue:status:${r.status}`, Number(r.n))
  const open = db.selectFrom('tickets').where(sql.raw(NOT_OPEN) as any)
  const total = await open.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()
  await add('queue:open', Number(total?.n ?? 0))
  const byLevel = await open
    .select(['level', (eb) => eb.fn.countAll().as('n')])
    .groupBy('level')
    .execute()
  for (const r of byLevel) await add(`queue:open:level:${r.level}`, Number(r.n))
  const byAssignee = await open
    .select(['assignee_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('assignee_id')
    .execute()
  for (const r of byAssignee)
    await add(`queue:open:assignee:${r.assignee_id ?? 'none'}`, Number(r.n))
}

/** A frozen copy of bigramText() from src/search/tokens.ts as of this migration. */
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}'
const RUNS = new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+)`, 'gu')
function bigramText(text: string): string {
  const out: string[] = []
  for (const m of text.normalize('NFKC').matchAll(RUNS)) {
    if (m[2]) {
      out.push(m[2].toLowerCase())
      continue
    }
    const chars = [...(m[1] ?? '')]
    if (chars.length === 1) out.push(chars[0]!)
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!)
    if (chars.length > 1) out.push(chars[chars.length - 1]!)
  }
  return out.join(' ')
}
