// Histogram bins for stage durations, so a nearest-rank percentile over millions of durations
// reads a few hundred counters and then steps through one small bin. Pure.
//
// A duration in milliseconds falls in a coarse bin (one per doubling from one minute up, 32 in
// all: bin 0 below a minute, bin k in [2^(k-1), 2^k) minutes) and a fine bin (that range cut in
// 128 equal slices). Bins only narrow the search; the value itself is read exactly, so the bin
// edges never change a percentile. Integer arithmetic only, the same in SQL (see rebuild.ts).

export const COARSE_BINS = 32
export const FINE_BINS = 128
const MINUTE_MS = 60_000

/** Lower bounds in milliseconds of coarse bins 0…31. */
const LOWS = Array.from({ length: COARSE_BINS }, (_, cb) =>
  cb === 0 ? 0 : MINUTE_MS * 2 ** (cb - 1),
)

/** The coarse bin's lower bound in milliseconds. */
export function coarseLow(cb: number): number {
  return LOWS[cb]!
}

export function coarseBin(binMs: number): number {
  let cb = 0
  while (cb < COARSE_BINS - 1 && binMs >= LOWS[cb + 1]!) cb++
  return cb
}

export function fineBin(binMs: number, cb: number): number {
  if (binMs <= 0) return 0
  const low = coarseLow(cb)
  const width = cb === 0 ? MINUTE_MS : low
  return Math.min(FINE_BINS - 1, Math.floor(((binMs - low) * FINE_BINS) / width))
}

/** The integer the bins are computed from: milliseconds, or working days scaled to them. */
export function binMsOf(value: number, unitIsMs: boolean): number {
  return unitIsMs ? value : Math.floor(value * 86_400_000)
}

export const binCols = (prefix: string) =>
  Array.from({ length: FINE_BINS }, (_, i) => `${prefix}${i}`)
