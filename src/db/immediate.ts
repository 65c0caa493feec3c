import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely'

// A deferred transaction (`BEGIN`) starts as a reader and asks for the write lock at its first
// write. When another process holds that lock, SQLite answers SQLITE_BUSY at once instead of
// waiting (busy_timeout cannot help: waiting could deadlock two readers that both want to
// write). Every transaction here writes, so each one asks for the write lock up front with
// `BEGIN IMMEDIATE`, which does wait for busy_timeout. Inside one process Kysely already runs
// one transaction at a time on the single connection, so this costs nothing there.

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0]
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

/** True for SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}
