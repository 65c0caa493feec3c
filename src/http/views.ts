import { Eta } from 'eta'
import { viewsDir } from '../paths.js'

export type Views = Eta

export function createViews(options: { cache?: boolean } = {}): Views {
  return new Eta({ views: viewsDir, cache: options.cache ?? true, autoEscape: true })
}
