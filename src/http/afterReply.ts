import type { Logger } from './logger.js'

// Work the reply must not wait for, because how long the reply takes would tell something (the
// lost-link form: whether a case and an email belong together). It starts once the handler has
// answered and runs in its own transaction as before; it is kept track of so that shutting down
// (and a test) can wait for it. A failure is logged: nobody is waiting for an answer.

const running = new Set<Promise<void>>()

export function afterReply(logger: Logger, what: string, work: () => Promise<unknown>): void {
  const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .then(
      () => undefined,
      (err: unknown) =>
        logger.error(`${what} failed`, { error: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => running.delete(done))
  running.add(done)
}

/** Resolves once all work handed to afterReply so far has finished. */
export async function afterReplySettled(): Promise<void> {
  while (running.size) await Promise.all([...running])
}
