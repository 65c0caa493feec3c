// The worker thread that plays ticket journeys (play.ts) for generate.ts: asked for one batch at
// a time, in order, it answers with the batch's rows.
import { parentPort, workerData } from 'node:worker_threads'
import { createPlayer, type PlayInit } from './play.js'

const player = createPlayer(workerData as PlayInit)
parentPort!.on('message', (msg: { start: number; end: number } | 'years') => {
  if (msg === 'years') parentPort!.postMessage(player.years())
  else parentPort!.postMessage(player.play(msg.start, msg.end))
})
