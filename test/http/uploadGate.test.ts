import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/http/errors.js'
import { createGate } from '../../src/http/uploadGate.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('the upload gate', () => {
  it('lets at most `limit` uploads be parsed at once and runs the rest in turn', async () => {
    const gate = createGate(2, 1000)
    let running = 0
    let peak = 0
    const work = async () => {
      running++
      peak = Math.max(peak, running)
      await tick()
      running--
      return 'ok'
    }
    const results = await Promise.all(Array.from({ length: 7 }, () => gate.run(work)))
    expect(results).toEqual(Array(7).fill('ok'))
    expect(peak).toBe(2)
    expect(gate.active).toBe(0)
    expect(gate.waiting).toBe(0)
  })

  it('frees the slot when the work fails', async () => {
    const gate = createGate(1, 1000)
    await expect(gate.run(async () => Promise.reject(new Error('bad body')))).rejects.toThrow('bad body')
    expect(await gate.run(async () => 'next')).toBe('next')
  })

  it('answers 503 to an upload that waited too long, and the queue recovers', async () => {
    const gate = createGate(1, 20)
    let release!: () => void
    const first = gate.run(() => new Promise<string>((r) => (release = () => r('first'))))
    const second = gate.run(async () => 'second')
    const err = await second.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(503)
    release()
    expect(await first).toBe('first')
    expect(gate.active).toBe(0)
    expect(await gate.run(async () => 'third')).toBe('third')
  })
})
