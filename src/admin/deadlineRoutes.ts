import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DEADLINE_PRESETS } from '../domain/deadlines.js'
import { localDate } from '../domain/zoneTime.js'
import type { AppEnv } from '../http/env.js'
import { notFound } from '../http/errors.js'
import { validForm } from '../http/forms.js'
import { render } from '../http/render.js'
import type { MessageKey } from '../i18n/translate.js'
import type { PresetKey } from '../deadlines/context.js'
import {
  PRESET_KEYS,
  addCalendarDay,
  calendarDays,
  calendarYears,
  choosePreset,
  currentPreset,
  describePolicy,
  removeCalendarDay,
  weekdayOf,
} from './deadlines.js'
import { auditOf, doneNotice, emptyForm, invalidForm, type FormState } from './page.js'
import { dayAddSchema, dayRemoveSchema, presetSchema } from './schemas.js'

const DONE: Record<string, MessageKey> = {
  preset: 'admin.deadlines.done.preset',
  added: 'admin.deadlines.done.added',
  removed: 'admin.deadlines.done.removed',
}

export const deadlineRoutes = new Hono<AppEnv>()

/** The calendar being edited is the one of the rules in force. */
async function chosenPolicy(c: Context<AppEnv>) {
  return DEADLINE_PRESETS[await currentPreset(c.get('deps').db)]
}

async function deadlinesPage(
  c: Context<AppEnv>,
  form: FormState,
  status: ContentfulStatusCode = 200,
  yearHint?: string,
) {
  const { db, clock } = c.get('deps')
  const t = c.get('t')
  const current = await currentPreset(db)
  const policy = DEADLINE_PRESETS[current]
  const thisYear = Number(localDate(clock(), policy.timeZone).slice(0, 4))
  const asked = yearHint ?? c.req.query('year') ?? ''
  const year = /^\d{4}$/.test(asked) ? Number(asked) : thisYear
  const years = [
    ...new Set([...(await calendarYears(db, policy.calendar)), thisYear, thisYear + 1, year]),
  ].sort((a, b) => a - b)
  const days = (await calendarDays(db, policy.calendar, year)).map((d) => ({
    ...d,
    weekday: weekdayOf(d.date),
  }))
  const presets = PRESET_KEYS.map((key) => ({
    key,
    calendar: DEADLINE_PRESETS[key].calendar,
    timeZone: DEADLINE_PRESETS[key].timeZone,
    levels: describePolicy(DEADLINE_PRESETS[key], t),
  }))
  return render(
    c,
    'admin/deadlines',
    {
      presets,
      current,
      calendar: policy.calendar,
      year,
      years,
      days,
      notice: doneNotice(c, DONE),
      ...form,
    },
    { status },
  )
}

deadlineRoutes.get('/', (c) => deadlinesPage(c, emptyForm()))

deadlineRoutes.post(
  '/preset',
  validForm(presetSchema, (c: Context<AppEnv>) => deadlinesPage(c, invalidForm(c, {}, {}), 422)),
  async (c) => {
    const { db, logger } = c.get('deps')
    const preset = c.req.valid('form').preset as PresetKey
    await choosePreset(db, preset, auditOf(c))
    logger.info('admin: deadline preset chosen', { by: c.get('user')?.id, preset })
    return c.redirect('/admin/deadlines?done=preset', 303)
  },
)

deadlineRoutes.post(
  '/days',
  validForm(dayAddSchema, (c: Context<AppEnv>, errors, values) =>
    deadlinesPage(c, invalidForm(c, values, errors), 422, yearOf(values['date'])),
  ),
  async (c) => {
    const { db, logger } = c.get('deps')
    const t = c.get('t')
    const day = c.req.valid('form')
    const policy = await chosenPolicy(c)
    const result = await addCalendarDay(db, policy.calendar, day, auditOf(c))
    if (!result.ok) {
      if (result.problem === 'workday_not_weekend') {
        return deadlinesPage(
          c,
          invalidForm(c, day, { date: 'admin.deadlines.workdayNotWeekend' }),
          422,
          yearOf(day.date),
        )
      }
      const kind = t(`admin.deadlines.kind.${result.existing}`)
      const alert = t('admin.deadlines.conflict', { date: day.date, kind })
      return deadlinesPage(c, { values: day, errors: {}, alert }, 409, yearOf(day.date))
    }
    logger.info('admin: calendar day added', {
      by: c.get('user')?.id,
      calendar: policy.calendar,
      ...day,
    })
    return c.redirect(`/admin/deadlines?year=${day.date.slice(0, 4)}&done=added`, 303)
  },
)

deadlineRoutes.post(
  '/days/remove',
  validForm(dayRemoveSchema, (c: Context<AppEnv>) => deadlinesPage(c, invalidForm(c, {}, {}), 422)),
  async (c) => {
    const { db, logger } = c.get('deps')
    const { date } = c.req.valid('form')
    const policy = await chosenPolicy(c)
    if (!(await removeCalendarDay(db, policy.calendar, date, auditOf(c)))) throw notFound()
    logger.info('admin: calendar day removed', {
      by: c.get('user')?.id,
      calendar: policy.calendar,
      date,
    })
    return c.redirect(`/admin/deadlines?year=${date.slice(0, 4)}&done=removed`, 303)
  },
)

function yearOf(date: unknown): string | undefined {
  return typeof date === 'string' && /^\d{4}-/.test(date) ? date.slice(0, 4) : undefined
}
