import { describe, expect, it } from 'vitest'
import { ReadCache, cachedRead, registerReadCache } from '../../src/db/readCache.js'

function versioned() {
  let v = 1
  return { version: () => String(v), bump: () => void v++ }
}

describe('cached reads', () => {
  it('hands the same value back until the data version moves', async () => {
    const { version, bump } = versioned()
    const cache = new ReadCache(version)
    let loads = 0
    const load = async () => ({ value: { n: ++loads } })
    const first = await cache.read('k', 0, load)
    expect(await cache.read('k', 0, load)).toBe(first)
    expect(loads).toBe(1)
    bump()
    expect(await cache.read('k', 0, load)).toEqual({ n: 2 })
    expect(loads).toBe(2)
  })

  it('reads again once the value’s own time has passed', async () => {
    const cache = new ReadCache(() => '1')
    let loads = 0
    const load = async () => ({ value: ++loads, until: 1_000 })
    expect(await cache.read('k', 0, load)).toBe(1)
    expect(await cache.read('k', 999, load)).toBe(1)
    expect(await cache.read('k', 1_000, load)).toBe(2)
  })

  it('lets requests asking at the same time share one read', async () => {
    const cache = new ReadCache(() => '1')
    let loads = 0
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const load = async () => {
      loads++
      await gate
      return { value: 'rows' }
    }
    const both = Promise.all([cache.read('k', 0, load), cache.read('k', 0, load)])
    release()
    expect(await both).toEqual(['rows', 'rows'])
    expect(loads).toBe(1)
  })

  it('does not cache a read that failed', async () => {
    const cache = new ReadCache(() => '1')
    await expect(cache.read('k', 0, async () => Promise.reject(new Error('disk')))).rejects.toThrow(
      'disk',
    )
    expect(cache.size).toBe(0)
    expect(await cache.read('k', 0, async () => ({ value: 'ok' }))).toBe('ok')
  })

  it('drops the least recently used reads when their rows pass the limit', async () => {
    const cache = new ReadCache(() => '1', 100)
    await cache.read('a', 0, async () => ({ value: 'a', weight: 40 }))
    await cache.read('b', 0, async () => ({ value: 'b', weight: 40 }))
    await cache.read('a', 0, async () => ({ value: 'a again', weight: 40 })) // a is now the most recent
    await cache.read('c', 0, async () => ({ value: 'c', weight: 40 }))
    expect(cache.size).toBe(2)
    expect(await cache.read('a', 0, async () => ({ value: 'a reloaded' }))).toBe('a')
    expect(await cache.read('b', 0, async () => ({ value: 'b reloaded' }))).toBe('b reloaded')
  })

  it('always reads on a handle that was not registered (a transaction)', async () => {
    const registered = {}
    const transaction = {}
    registerReadCache(registered, () => '1')
    let loads = 0
    const load = async () => ({ value: ++loads })
    await cachedRead(registered, 'k', 0, load)
    await cachedRead(registered, 'k', 0, load)
    expect(loads).toBe(1)
    await cachedRead(transaction, 'k', 0, load)
    await cachedRead(transaction, 'k', 0, load)
    expect(loads).toBe(3)
  })
})
