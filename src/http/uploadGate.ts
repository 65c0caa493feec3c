import type { MiddlewareHandler } from 'hono'
import { HttpError } from './errors.js'

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

export function uploadGate(gate: ReturnType<typeof createGate>, applies: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !applies(c.req.path)) return next()
    await gate.run(() => next())
  }
}
