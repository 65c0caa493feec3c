import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The same code runs from src/ (tests, tsx) and from dist/src/ (npm start); both find the
// project's views/, static/ and migrations/ by walking up to package.json.
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir)
      throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
}

export const projectRoot = findProjectRoot()
export const viewsDir = path.join(projectRoot, 'views')
export const staticDir = path.join(projectRoot, 'static')
/** Compiled migrations when running from dist/, the TypeScript sources otherwise. */
export const migrationsDir = fileURLToPath(import.meta.url).endsWith('.js')
  ? path.join(projectRoot, 'dist', 'migrations')
  : path.join(projectRoot, 'migrations')
