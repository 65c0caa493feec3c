import { Eta } from 'eta'
import { viewsDir } from '../paths.js'
import { fieldParts } from './fieldParts.js'

export type Views = Eta

export function createViews(options: { cache?: boolean } = {}): Views {
  const cache = options.cache ?? true
  // Templates run with the Eta instance as `this`; the field partials need fieldParts.
  const eta = new Eta({
    views: viewsDir,
    cache,
    autoEscape: true,
    functionHeader: 'const fieldParts = this.fieldParts;',
  })
  Object.assign(eta, { fieldParts })
  if (cache) rememberResolvedPaths(eta)
  mergeIncludeDataWithAssign(eta)
  return eta
}

/** What Eta 4 compiles includes and layouts into (the data spread together), and the same with Object.assign. */
export const ETA_MERGES: readonly (readonly [string, string])[] = [
  ['{...it, ...(__eta_d ?? {})}', 'Object.assign({}, it, __eta_d)'],
  [
    '{...it, body: __eta.res, ...__eta.layoutData, __blocks: __eta.blocks}',
    'Object.assign({}, it, { body: __eta.res }, __eta.layoutData, { __blocks: __eta.blocks })',
  ],
]

/**
 * Eta's include and layout merge the parent's data with the include's through an object spread,
 * and under V8 11 (Node 20) those objects outlived two young-generation collections (≈ 3 KB a
 * ticket page, measured rendering in a loop; 60 includes of a small partial: 3.2 KB a render, with
 * Object.assign nothing). Under load that filled the old generation, and a full collection every
 * ≈ 1.4 s added 15-20 ms to the requests waiting behind it. `Object.assign` onto a fresh object
 * makes the same plain object (template data are plain objects built by our code).
 */
export function mergeIncludeDataWithAssign(eta: Eta): void {
  const compileToString = eta.compileToString
  eta.compileToString = function (str, options) {
    let source = compileToString.call(this, str, options)
    for (const [spread, assign] of ETA_MERGES) source = source.replaceAll(spread, assign)
    return source
  }
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
