// The text fields of the complainant's action forms (names as in CONTRACT.md). They are checked
// after the body was read (and, for evidence, streamed to disk by src/evidence/form.ts), so they
// go through checkFields rather than validForm; the messages are the same keys either way.
import { z } from 'zod'
import { CONTACT_CHANNELS } from '../domain/ladder.js'
import { DISPLAY_TIME_ZONE } from '../i18n/format.js'
import { parseLocalDateTime } from '../i18n/localTime.js'
import type { MessageKey } from '../i18n/translate.js'
import type { TrackAction } from './view.js'

/** Lengths are counted in characters as the complainant sees them, not UTF-16 units. */
const atMost = (max: number, message: MessageKey) =>
  z.string().refine((s) => [...s].length <= max, { message })
const required = (message: MessageKey, max: number, tooLong: MessageKey) =>
  z.string().min(1, message).pipe(atMost(max, tooLong))
const reason = atMost(2000, 'complaints.error.tooLong')

const contactedAt = (now: number) =>
  z
    .string()
    .min(1, 'form.required')
    .transform((s, ctx) => {
      const at = parseLocalDateTime(s, DISPLAY_TIME_ZONE)
      if (at === null) ctx.addIssue({ code: 'custom', message: 'complaints.error.dateFormat' })
      else if (at > now) ctx.addIssue({ code: 'custom', message: 'complaints.error.futureDate' })
      return at ?? 0
    })

/** The schema of each action's text fields; the values are already cleaned and trimmed. */
export function trackFieldSchemas(now: number) {
  return {
    comment: z.object({
      body: required('form.required', 5000, 'complaints.error.descriptionTooLong'),
    }),
    accept: z.object({ reason }),
    dispute: z.object({
      reason: required('refusal.reason_required', 2000, 'complaints.error.tooLong'),
    }),
    withdraw: z.object({
      reason,
      confirm: z.string().refine((s) => ['yes', 'on', '1', 'true'].includes(s.toLowerCase()), {
        message: 'track.error.confirmRequired',
      }),
    }),
    log_contact: z.object({
      contacted_at: contactedAt(now),
      channel: z.enum(CONTACT_CHANNELS, { message: 'track.error.channel' }),
      summary: required('form.required', 2000, 'complaints.error.tooLong'),
      external_ref: atMost(100, 'complaints.error.tooLong'),
    }),
  } satisfies Record<Exclude<TrackAction, 'add_evidence'>, z.ZodType>
}
