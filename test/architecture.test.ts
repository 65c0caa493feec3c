// The house's two rules, checked on every run: the folders of src/ import each other in one
// direction only (no circle, so every folder has a floor and nothing reaches up), and only the
// change module writes tickets, events and ladder stages.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '../src/paths.js'

const src = path.join(projectRoot, 'src')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(full)
    return d.name.endsWith('.ts') ? [full] : []
  })
}

/** The top folder of src/ a file lives in; a file directly in src/ is its own room. */
const room = (file: string) => path.relative(src, file).split(path.sep)[0]!

function folderImports(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>()
  for (const file of sourceFiles(src)) {
    const text = fs.readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\bfrom '(\.[^']+)'|\bimport\('(\.[^']+)'\)/g)) {
      const target = path.resolve(path.dirname(file), m[1] ?? m[2]!)
      const [from, to] = [room(file), room(target)]
      if (from === to) continue
      if (!edges.has(from)) edges.set(from, new Map())
      edges.get(from)!.set(to, path.relative(projectRoot, file))
    }
  }
  return edges
}

describe('the layers of src/', () => {
  it('have no circle between folders', () => {
    const edges = folderImports()
    const circles: string[] = []
    // Depth-first search; a folder met again while still on the path closes a circle.
    const state = new Map<string, 'open' | 'done'>()
    const visit = (node: string, trail: string[]) => {
      state.set(node, 'open')
      for (const [next, via] of edges.get(node) ?? []) {
        if (state.get(next) === 'open')
          circles.push([...trail, node, next].join(' → ') + ` (${via})`)
        else if (!state.has(next)) visit(next, [...trail, node])
      }
      state.set(node, 'done')
    }
    for (const node of edges.keys()) if (!state.has(node)) visit(node, [])
    expect(circles).toEqual([])
  })

  it('keep the pure rules pure: domain/ imports nothing of ours outside itself', () => {
    expect([...(folderImports().get('domain')?.keys() ?? [])]).toEqual([])
  })
})

describe('the one writer of ticket state', () => {
  it('is src/change/: no other module inserts, updates or deletes tickets, events or ladder stages', () => {
    const writes =
      /\b(insertInto|updateTable|deleteFrom|replaceInto)\(\s*'(tickets|events|ladder_stages|clock_pauses)'|\b(insert\s+into|update|delete\s+from)\s+"?(tickets|events|ladder_stages|clock_pauses)\b/i
    const offenders = sourceFiles(src)
      .filter((f) => room(f) !== 'change')
      .filter((f) => writes.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(projectRoot, f))
    expect(offenders).toEqual([])
  })
})
