import { promises as fs } from 'node:fs'
import path from 'node:path'
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely'
import type { DB } from './connection.js'
import { migrationsDir as migrationFolder } from '../paths.js'

export function createMigrator(db: DB): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  })
}

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Applies every pending migration; returns the names applied now. */
export async function migrateToLatest(db: DB): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const cause = result.error instanceof Error ? result.error.message : String(result.error)
    throw new MigrationError(`migration ${failed?.migrationName ?? '?'} failed: ${cause}`)
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
