import { zoneOffset } from '../domain/zoneTime.js'

// `<input type="datetime-local">` sends wall-clock time without a zone; Ladder reads it in the
// office's zone (Asia/Shanghai), the zone the complainant's wallet records show.

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/

/** "2026-11-20T14:30" → epoch ms in `timeZone`, or null when it is no real date and time. */
export function parseLocalDateTime(input: string, timeZone: string): number | null {
  const m = LOCAL_DATE_TIME.exec(input.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null
  const wall = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(wall)
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
  let instant = wall - zoneOffset(wall, timeZone)
  // A second pass settles times next to an offset change (summer time elsewhere).
  instant = wall - zoneOffset(instant, timeZone)
  return instant
}

/** The `YYYY-MM-DDTHH:MM` value of an instant in `timeZone`, for a datetime-local field. */
export function formatLocalDateTime(instant: number, timeZone: string): string {
  const local = new Date(instant + zoneOffset(instant, timeZone))
  return local.toISOString().slice(0, 16)
}
