import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/http/errors.js'
import { addressBucket } from '../../src/http/addressBucket.js'
import { atMinimumRate } from '../../src/http/receiveRate.js'
import { createAddressCap, createGate } from '../../src/http/uploadGate.js'

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
    await expect(gate.run(async () => Promise.reject(new Error('bad body')))).rejects.toThrow(
      'bad body',
    )
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

describe('the cap per client address', () => {
  it('refuses an address its upload past the limit with a 429, and counts each address apart', async () => {
    const cap = createAddressCap(2)
    const held: (() => void)[] = []
    const hold = () => new Promise<void>((r) => held.push(r))
    const running = [cap.run('192.0.2.1', hold), cap.run('192.0.2.1', hold)]
    const err = await cap.run('192.0.2.1', async () => 'third').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HttpError)
    expect((err as HttpError).status).toBe(429)
    expect((err as HttpError).messageKey).toBe('error.uploadsBusy')
    expect(await cap.run('192.0.2.2', async () => 'other')).toBe('other')
    held.shift()!()
    await running[0]
    expect(cap.underWay('192.0.2.1')).toBe(1)
    expect(await cap.run('192.0.2.1', async () => 'again')).toBe('again')
    held.shift()!()
    await running[1]
    expect(cap.underWay('192.0.2.1')).toBe(0)
  })

  it('frees the count when the upload fails', async () => {
    const cap = createAddressCap(1)
    await expect(cap.run('a', async () => Promise.reject(new Error('broken')))).rejects.toThrow(
      'broken',
    )
    expect(await cap.run('a', async () => 'next')).toBe('next')
  })
})

describe('the address a limit counts', () => {
  it('is an IPv4 address as it is, also written as IPv6, and the /64 of an IPv6 one', () => {
    expect(addressBucket('192.0.2.7')).toBe('192.0.2.7')
    expect(addressBucket('::ffff:192.0.2.7')).toBe('192.0.2.7')
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressBucket('unknown')).toBe('unknown')
  })
})

describe('the minimum receive rate', () => {
  const streamOf = (pieces: { bytes: number; afterMs: number }[]) =>
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = pieces.shift()
        if (!next) return controller.close()
        await new Promise((r) => setTimeout(r, next.afterMs))
        controller.enqueue(new Uint8Array(next.bytes))
      },
    })
  const drain = async (body: ReadableStream<Uint8Array>) => {
    let n = 0
    for await (const chunk of atMinimumRate(body, { bytesPerSecond: 1000, windowMs: 100 }))
      n += chunk.byteLength
    return n
  }

  it('passes a body that keeps up', async () => {
    expect(
      await drain(
        streamOf([
          { bytes: 500, afterMs: 0 },
          { bytes: 500, afterMs: 0 },
        ]),
      ),
    ).toBe(1000)
  })

  it('cuts off a sender that stalls or trickles with a 408', async () => {
    for (const body of [
      streamOf([
        { bytes: 10, afterMs: 0 },
        { bytes: 10, afterMs: 1000 },
      ]),
      streamOf(Array.from({ length: 20 }, () => ({ bytes: 1, afterMs: 20 }))),
    ]) {
      const err = await drain(body).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(HttpError)
      expect((err as HttpError).status).toBe(408)
    }
  })
})
