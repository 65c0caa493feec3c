// The macro form: a name and the steps, each optional; the rules of domain/macros.ts say which
// combinations make a macro.
import { z } from 'zod'
import { PRIORITIES } from '../domain/ladder.js'
import { MACRO_OUTCOMES, MACRO_STATUSES, macroProblem, type MacroSteps } from '../domain/macros.js'
import { normalizeTag } from '../domain/tags.js'
import { cleaned } from '../http/forms.js'

/** An optional choice: '' (or absent) is none. */
const maybe = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : ''))
    .refine((v) => v === '' || (values as readonly string[]).includes(v), 'form.invalidChoice')
    .transform((v) => (v === '' ? null : (v as T)))

const MESSAGE = {
  no_steps: ['_form', 'macros.noSteps'],
  reply_required: ['reply', 'macros.replyRequired'],
  outcome_required: ['outcome', 'macros.outcomeRequired'],
} as const

export const macroSchema = z
  .object({
    name: cleaned(
      z.string({ message: 'form.required' }).trim().min(1, 'form.required').max(80, 'form.tooLong'),
      'single',
    ),
    reply: cleaned(
      z
        .string()
        .trim()
        .max(20_000, 'form.tooLong')
        .optional()
        .transform((v) => (v ? v : null)),
      'multiline',
    ),
    status: maybe(MACRO_STATUSES),
    outcome: maybe(MACRO_OUTCOMES),
    priority: maybe(PRIORITIES),
    tag: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (!raw || raw.trim() === '') return null
        const n = normalizeTag(raw)
        if (n.ok) return n.tag
        ctx.addIssue({ code: 'custom', message: `tags.problem.${n.problem}` })
        return z.NEVER
      }),
  })
  .transform((v, ctx) => {
    const steps: MacroSteps = {
      reply: v.reply,
      status: v.status,
      outcome: v.status === 'close' ? v.outcome : null,
      priority: v.priority,
      tag: v.tag,
    }
    const problem = macroProblem(steps)
    if (problem) {
      const [path, message] = MESSAGE[problem]
      ctx.addIssue({ code: 'custom', path: [path], message })
      return z.NEVER
    }
    return { name: v.name, steps }
  })
