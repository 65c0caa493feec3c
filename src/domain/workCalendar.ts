// Which local dates are worked: weekends, public holidays and make-up working days.
import { localDay, type LocalDay } from './zoneTime.js'

export interface WorkCalendar {
  timeZone: string
  /** Days of the week that are not worked, 0 = Sunday … 6 = Saturday. */
  weekend: readonly number[]
  /** Public holidays, as local dates `YYYY-MM-DD`. */
  holidays: ReadonlySet<string>
  /** Make-up working days (调休) that fall on a weekend, as local dates. */
  workdays: ReadonlySet<string>
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  return worksOn(localDay(date, cal.timeZone), cal)
}

export function worksOn(day: LocalDay, cal: WorkCalendar): boolean {
  if (cal.workdays.has(day.date)) return true
  if (cal.holidays.has(day.date)) return false
  return !cal.weekend.includes(day.weekday)
}

export function buildCalendar(
  timeZone: string,
  days: readonly { date: string; kind: 'holiday' | 'workday' }[],
  weekend: readonly number[] = [0, 6],
): WorkCalendar {
  return {
    timeZone,
    weekend,
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
  }
}
