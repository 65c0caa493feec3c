import type { Context, MiddlewareHandler } from 'hono'
import { addressBucket } from './addressBucket.js'
import type { AppEnv } from './env.js'
import { HttpError } from './errors.js'
import { clientIp } from './rateLimit.js'

/** Uploads received at once; more wait their turn. */
export const UPLOADS_AT_ONCE = 16

/**
 * Lets only a few requests through at once: the others wait their turn, and give up with a 503
 * (Retry-After) rather than pile up disk writes without end.
 */
export function createGate(limit: number, maxWaitMs: number) {
  let active = 0
  const waiting: (() => void)[] = []
  return {
    get active() {
      return active
    },
    get waiting() {
      return waiting.length
    },
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) {
        await new Promise<void>((resolve, reject) => {
          const entry = () => {
            clearTimeout(timer)
            resolve()
          }
          const timer = setTimeout(() => {
            const i = waiting.indexOf(entry)
            if (i >= 0) waiting.splice(i, 1)
            reject(new HttpError(503, 'error.503', {}, { 'Retry-After': '5' }))
          }, maxWaitMs)
          waiting.push(entry)
        })
      } else {
        active++
      }
      try {
        return await work()
      } finally {
        const next = waiting.shift()
        // The slot passes straight to the next in line; otherwise it is freed.
        if (next) next()
        else active--
      }
    },
  }
}

/**
 * Counts each client's uploads under way, waiting for a slot or arriving, and refuses one past
 * `limit` at once: one client cannot take every slot of the gate and keep the others out.
 */
export function createAddressCap(limit: number) {
  const counts = new Map<string, number>()
  return {
    underWay(address: string): number {
      return counts.get(address) ?? 0
    },
    async run<T>(address: string, work: () => Promise<T>): Promise<T> {
      const count = counts.get(address) ?? 0
      // Closing the connection stops the rest of a body nobody will read.
      if (count >= limit)
        throw new HttpError(
          429,
          'error.uploadsBusy',
          {},
          { 'Retry-After': '10', Connection: 'close' },
        )
      counts.set(address, count + 1)
      try {
        return await work()
      } finally {
        const left = (counts.get(address) ?? 1) - 1
        if (left > 0) counts.set(address, left)
        else counts.delete(address)
      }
    },
  }
}

/**
 * `senderOf` names whose uploads count together: by default the client's address (an IPv6 /64
 * as one); the app counts a signed-in agent's attachments per session instead, since a whole
 * office may reach us from one address.
 */
export function uploadGate(
  gate: ReturnType<typeof createGate>,
  perAddress: ReturnType<typeof createAddressCap>,
  applies: (path: string, c: Context) => boolean,
  senderOf: (c: Context<AppEnv>) => string = (c) => addressBucket(clientIp(c)),
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !applies(c.req.path, c)) return next()
    await perAddress.run(senderOf(c), () => gate.run(() => next()))
  }
}
