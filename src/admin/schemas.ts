import { z } from 'zod'
import { ROLES } from '../domain/roles.js'
import { DAY_KINDS, PRESET_KEYS, weekdayOf } from './deadlines.js'

const text100 = z.string().trim().min(1, 'form.required').max(100, 'admin.form.tooLong')

/** An invitation: who and in which role. No password: the invitee chooses it. */
export const inviteSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'form.required')
    .max(254, 'form.invalidEmail')
    .email('form.invalidEmail'),
  name: text100,
  role: z.enum(ROLES, { message: 'form.invalidChoice' }),
})

export const roleSchema = z.object({ role: z.enum(ROLES, { message: 'form.invalidChoice' }) })

export const providerNamesSchema = z.object({ name_zh: text100, name_en: text100 })

export const providerAddSchema = providerNamesSchema.extend({
  slug: z
    .string()
    .trim()
    .min(1, 'form.required')
    .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, 'admin.providers.slugInvalid'),
})

export const moveSchema = z.object({
  direction: z.enum(['up', 'down'], { message: 'form.invalidChoice' }),
})

export const presetSchema = z.object({
  preset: z.enum(PRESET_KEYS as [string, ...string[]], { message: 'form.invalidChoice' }),
})

const date = z
  .string()
  .trim()
  .min(1, 'form.required')
  .refine((v) => weekdayOf(v) !== null, 'admin.deadlines.invalidDate')

export const dayAddSchema = z.object({
  date,
  kind: z.enum(DAY_KINDS, { message: 'form.invalidChoice' }),
  name: text100,
})

export const dayRemoveSchema = z.object({ date })

/** Path ids: anything but a positive integer is a page that does not exist. */
export function parseId(raw: string): number | null {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null
}
