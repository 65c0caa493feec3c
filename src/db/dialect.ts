import type SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import { rawSqlWriting, type DataVersion } from './dataVersion.js'

// Kysely's SQLite dialect with two differences.
// - Transactions start with `BEGIN IMMEDIATE`. A deferred `BEGIN` starts as a reader and asks for
//   the write lock at its first write; when another process holds that lock SQLite answers
//   SQLITE_BUSY at once instead of waiting (busy_timeout cannot help: waiting could deadlock two
//   readers that both want to write). Every transaction here writes, so each asks for the lock up
//   front, which does wait for busy_timeout. Inside one process Kysely runs one transaction at a
//   time on the single connection, so this costs nothing there.
// - Every query run is reported, with its result, to the data version (src/db/dataVersion.ts).

/** What the connection needs from the database handle: prepared statements (maybe cached). */
export interface StatementSource {
  prepare(sql: string): SQLite.Statement
  close(): void
}

const BEGIN_IMMEDIATE = rawSqlWriting([], CompiledQuery.raw('begin immediate'))
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')

class ReportingConnection implements DatabaseConnection {
  constructor(
    private readonly statements: StatementSource,
    private readonly version: DataVersion,
  ) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.statements.prepare(compiled.sql)
    let result: QueryResult<R>
    if (statement.reader) {
      result = { rows: statement.all(compiled.parameters) as R[] }
    } else {
      const { changes, lastInsertRowid } = statement.run(compiled.parameters)
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
    }
    this.version.ran(compiled.query, result, !statement.readonly)
    return Promise.resolve(result)
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('only SELECT queries can be streamed')
    const statement = this.statements.prepare(compiled.sql)
    for (const row of statement.iterate(compiled.parameters)) yield { rows: [row as R] }
  }
}

class ReportingDriver implements Driver {
  readonly #connection: ReportingConnection
  #held: Promise<void> | null = null
  #release: (() => void) | null = null

  constructor(
    private readonly statements: StatementSource,
    version: DataVersion,
  ) {
    this.#connection = new ReportingConnection(statements, version)
  }

  async init(): Promise<void> {}

  // SQLite has one connection here: the next caller waits until it is released.
  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.#held) await this.#held
    this.#held = new Promise((resolve) => (this.#release = resolve))
    return this.#connection
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release
    this.#held = null
    this.#release = null
    release?.()
  }

  async beginTransaction(
    connection: DatabaseConnection,
    _settings: TransactionSettings,
  ): Promise<void> {
    await connection.executeQuery(BEGIN_IMMEDIATE)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(COMMIT)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(ROLLBACK)
  }

  async destroy(): Promise<void> {
    this.statements.close()
  }
}

export class LadderSqliteDialect implements Dialect {
  constructor(
    private readonly statements: StatementSource,
    private readonly version: DataVersion,
  ) {}
  createDriver(): Driver {
    return new ReportingDriver(this.statements, this.version)
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter()
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  )
}
