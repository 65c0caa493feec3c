import { promises as fs } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import { migrationsDir } from '../paths.js'
import type { DB } from './connection.js'

/**
 * Reads migrations/ like kysely's FileMigrationProvider, but imports from our own module so
 * that the test runner can load the TypeScript sources too.
 */
export class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {}
    for (const file of (await fs.readdir(this.folder)).sort()) {
      const m = /^(.+)\.(js|ts)$/.exec(file)
      if (!m || file.endsWith('.d.ts')) continue
      const mod = (await import(
        pathToFileURL(path.join(this.folder, file)).href
      )) as Partial<Migration>
      if (typeof mod.up !== 'function') throw new MigrationError(`${file} has no up()`)
      migrations[m[1]!] = { up: mod.up, down: mod.down }
    }
    return migrations
  }
}

export function createMigrator(db: DB): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider(migrationsDir) })
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
