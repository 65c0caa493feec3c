import { HttpError } from './errors.js'

/** The least a request body must bring: `bytesPerSecond`, judged over each `windowMs` of waiting. */
export interface MinimumRate {
  bytesPerSecond: number
  windowMs: number
}

// RFC 9110 asks a 408 to close the connection: the rest of that body is not wanted.
export const tooSlow = () => new HttpError(408, 'error.408', {}, { Connection: 'close' })

const TIMED_OUT = Symbol('timed out')

/**
 * The chunks of a request body, cut off with a 408 once the sender is too slow: every window of
 * `windowMs` spent waiting for the sender must bring at least its share of bytes, so a sender
 * that trickles a byte now and then cannot hold an upload slot open. Only the time spent waiting
 * for the next chunk counts, never the time the consumer takes with the last one: a busy disk on
 * our side is not the sender's fault. The first window is the grace period of every upload.
 */
export async function* atMinimumRate(
  body: ReadableStream<Uint8Array>,
  rate: MinimumRate,
  now: () => number = () => performance.now(),
): AsyncGenerator<Uint8Array, void, undefined> {
  const needed = (rate.bytesPerSecond * rate.windowMs) / 1000
  const reader = body.getReader()
  let waited = 0
  let bytes = 0
  try {
    for (;;) {
      const pending = reader.read()
      let result: Awaited<typeof pending> | typeof TIMED_OUT
      do {
        const started = now()
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(resolve, Math.max(1, rate.windowMs - waited), TIMED_OUT)
        })
        result = await Promise.race([pending, timeout])
        clearTimeout(timer)
        waited += now() - started
        if (result !== TIMED_OUT) bytes += result.value?.byteLength ?? 0
        if (waited >= rate.windowMs) {
          if (bytes < needed) throw tooSlow()
          waited = 0
          bytes = 0
        }
      } while (result === TIMED_OUT)
      if (result.done) return
      yield result.value
    }
  } finally {
    // Settles a read still waiting for a sender that was cut off (the stream itself stays the
    // server's, which drains or closes the connection after the answer).
    reader.cancel().catch(() => {})
  }
}
