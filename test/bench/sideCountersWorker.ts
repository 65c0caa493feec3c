// The worker thread that makes the report counters for generate.ts (sideCounters.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { countOnTheSide, type SideCounters } from './sideCounters.js'

countOnTheSide(workerData as SideCounters)
parentPort!.postMessage('done')
