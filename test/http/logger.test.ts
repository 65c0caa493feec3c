import { describe, expect, it } from 'vitest'
import { batchedStdout, createLogger } from '../../src/http/logger.js'

const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('the log written to standard output', () => {
  it('goes out once per turn of the event loop, in order, and at once for a warning', async () => {
    const writes: string[] = []
    const write = batchedStdout({ write: (text: string) => writes.push(text) })
    const log = createLogger('info', write)
    log.info('request', { path: '/queue' })
    log.debug('not at this level')
    log.info('request', { path: '/tickets/1' })
    expect(writes).toEqual([])
    await turn()
    expect(writes).toHaveLength(1)
    const lines = writes[0]!
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; path: string })
    expect(lines.map((l) => l.path)).toEqual(['/queue', '/tickets/1'])

    log.info('request', { path: '/a' })
    log.error('database busy', { path: '/b' })
    // The error does not wait, and takes the line before it along.
    expect(writes).toHaveLength(2)
    expect(
      writes[1]!
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { path: string }).path),
    ).toEqual(['/a', '/b'])
    await turn()
    expect(writes).toHaveLength(2)
  })
})
