import { describe, expect, it } from 'vitest'
import { afterReply, afterReplySettled } from '../../src/http/afterReply.js'
import { createLogger } from '../../src/http/logger.js'

describe('afterReply', () => {
  it('starts the work only after the caller has gone on, and lets shutdown wait for it', async () => {
    const lines: string[] = []
    const steps: string[] = []
    afterReply(
      createLogger('debug', (l) => lines.push(l)),
      'first',
      async () => {
        steps.push('work')
        // Work it starts itself is waited for too.
        afterReply(createLogger('silent'), 'second', async () => {
          steps.push('more work')
        })
      },
    )
    steps.push('reply')
    await afterReplySettled()
    expect(steps).toEqual(['reply', 'work', 'more work'])
    expect(lines).toEqual([])
  })

  it('logs a failure instead of leaving it unhandled', async () => {
    const lines: string[] = []
    afterReply(
      createLogger('debug', (l) => lines.push(l)),
      'lost link',
      () => Promise.reject(new Error('disk full')),
    )
    await afterReplySettled()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('lost link failed')
    expect(lines[0]).toContain('disk full')
  })
})
