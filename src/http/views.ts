import { Eta } from 'eta'
import { viewsDir } from '../paths.js'

export type Views = Eta

export function createViews(options: { cache?: boolean } = {}): Views {
  const cache = options.cache ?? true
  const eta = new Eta({ views: viewsDir, cache, autoEscape: true })
  if (cache) rememberResolvedPaths(eta)
  return eta
}

/**
 * Eta resolves a template's file path on every render and include, even when the compiled
 * template is cached (a JSON key, path joins and a containment check: ≈ 2 % of a ticket page,
 * which includes partials per form field). The answer depends only on the including file and
 * the name, so it is remembered; a name outside the views directory still throws every time.
 */
export function rememberResolvedPaths(eta: Eta): void {
  const resolve = eta.resolvePath
  if (!resolve) return
  const known = new Map<string, string>()
  eta.resolvePath = function (template, options) {
    const key = `${options?.filepath ?? ''}\u0000${template}`
    let found = known.get(key)
    if (found === undefined) {
      found = resolve.call(this, template, options)
      known.set(key, found)
    }
    return found
  }
}
