// Files staff attach to what they send the complainant (a reply, a request for information, a
// proposed resolution). They are received, sniffed, hashed and limited exactly like the
// complainant's evidence (src/evidence/), stored before the action's transaction and written
// with its event (change/evidenceRows.ts), marked as sent by staff. A refused file refuses the
// action: nothing is done, and the form comes back with its text.
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { insertEvidence, type StoredEvidence } from '../change/evidenceRows.js'
import type { ActRequest } from '../change/acting.js'
import { readEvidenceForm } from '../evidence/form.js'
import { localEvidenceStore } from '../evidence/store.js'
import {
  EVIDENCE_FIELD,
  checkEvidenceForm,
  evidenceLimits,
  storeUploads,
  type AcceptedFile,
} from '../evidence/upload.js'
import type { AppEnv } from '../http/env.js'
import { checkFields, type FieldErrors, type FormValues } from '../http/forms.js'
import { ACTION_SCHEMAS } from './schemas.js'
import { renderTicketPage } from './ticketPage.js'
import { caseParam } from './staff.js'

export const ATTACHMENT_ACTIONS = ['reply', 'request_info', 'propose_resolution'] as const
export type AttachmentAction = (typeof ATTACHMENT_ACTIONS)[number]

export const takesAttachments = (action: string): action is AttachmentAction =>
  (ATTACHMENT_ACTIONS as readonly string[]).includes(action)

/** The action routes whose bodies may carry files: app.ts gives them the upload limit and gate. */
export const ATTACHMENT_PATH =
  /^\/tickets\/[^/]+\/actions\/(reply|request_info|propose_resolution)$/

/** The form field of the attached files (repeated), named as on the complainant's forms. */
export const ATTACHMENT_FIELD = EVIDENCE_FIELD

interface Sent {
  values: Record<string, string>
  files: AcceptedFile[]
}

// What attachmentForm() read, for the action's handler (one request, one entry).
const SENT = new WeakMap<Request, Sent>()

/** The text fields and accepted files of an attachment action's form; undefined for other actions. */
export const sentWithFiles = (c: Context<AppEnv>): Sent | undefined => SENT.get(c.req.raw)

/** The first text value of each field, as the form is re-rendered with it. */
function textFields(fields: FormData): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of fields) if (typeof v === 'string' && !(k in out)) out[k] = v
  return out
}

/**
 * In place of validForm() for the actions that take files: the body is streamed to temporary
 * files (never held in memory), the text checked by the action's schema, the files by their
 * bytes. A file too large is a 413, one of a type we do not take a 422; either way the action
 * is not done and the page comes back with the text as typed.
 */
export function attachmentForm(
  action: AttachmentAction,
  onInvalid: (c: Context<AppEnv>, errors: FieldErrors, values: FormValues) => Promise<Response>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const form = await readEvidenceForm(c)
    try {
      const values = textFields(form.fields)
      const checked = checkFields(ACTION_SCHEMAS[action], values)
      if (!checked.ok) return await onInvalid(c, checked.errors, values)
      // Staff never send ID documents: a part of that field is not taken as one.
      const files = form.files.filter((f) => f.field === ATTACHMENT_FIELD)
      const uploads = checkEvidenceForm(
        { fields: form.fields, files },
        evidenceLimits(c.get('deps').config),
      )
      if (uploads.problems.length) {
        const t = c.get('t')
        const status: ContentfulStatusCode = uploads.problems.some(
          (p) => p.key === 'complaints.evidence.tooLarge',
        )
          ? 413
          : 422
        return await renderTicketPage(c, caseParam(c), {
          status,
          form: {
            action,
            values,
            errors: { [ATTACHMENT_FIELD]: uploads.problems[0]!.key },
            fileProblems: uploads.problems.map((p) => t(p.key, p.params)),
            message: t(status === 413 ? 'attachments.refused.tooLarge' : 'attachments.refused'),
          },
        })
      }
      c.req.addValidatedData('form', checked.data as Record<string, unknown>)
      SENT.set(c.req.raw, { values, files: uploads.files })
      await next()
    } finally {
      await form.discard()
    }
  }
}

/**
 * Moves the accepted files into the store (fsynced) and returns what writes their rows in the
 * action's transaction. `worthStoring` is the caller's check that the action can be done: when
 * it cannot, nothing is stored and the action's refusal follows.
 */
export async function attachmentWriter(
  c: Context<AppEnv>,
  files: readonly AcceptedFile[],
  userId: number,
  now: number,
  worthStoring: boolean,
): Promise<ActRequest['alsoWrite']> {
  if (!files.length || !worthStoring) return undefined
  const stored: StoredEvidence[] = await storeUploads(
    localEvidenceStore(c.get('deps').config.evidenceDir),
    files,
  )
  return (trx, { ticket, eventId }) =>
    insertEvidence(trx, ticket.id, eventId, { kind: 'staff', userId }, stored, now)
}
