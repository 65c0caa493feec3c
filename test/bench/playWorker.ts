// The worker thread that plays ticket journeys (play.ts) for generate.ts: asked for one batch at
// a time, in order, it answers with the batch's rows packed for insertion (packed.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { packedPlayer } from './packed.js'
import type { PlayInit } from './play.js'

const player = packedPlayer(workerData as PlayInit)
parentPort!.on('message', (msg: { start: number; end: number } | 'years') => {
  parentPort!.postMessage(msg === 'years' ? player.years() : player.play(msg.start, msg.end))
})
