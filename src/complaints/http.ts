import type { Context } from 'hono'
import type { AppEnv } from '../http/env.js'
import { localEvidenceStore } from '../evidence/store.js'
import { evidenceLimits, receiveEvidenceForm, withoutFiles, type EvidenceForm } from '../evidence/upload.js'
import { HttpError } from '../http/errors.js'

/**
 * After a successful POST: a plain form follows a 303; htmx is told to load the page itself
 * (HX-Redirect), since a followed redirect would swap a whole page into the form's place.
 */
export function seeOther(c: Context<AppEnv>, location: string): Response {
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', location)
    return c.body(null, 200)
  }
  return c.redirect(location, 303)
}

const contentType = (c: Context<AppEnv>) => c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()

/** The submitted form, urlencoded or multipart; anything else is a 415. */
export async function readForm(c: Context<AppEnv>): Promise<FormData> {
  const type = contentType(c)
  if (type !== 'multipart/form-data' && type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'error.415')
  }
  try {
    return await c.req.formData()
  } catch (err) {
    // The body limit fires while the body is read; let its 413 through.
    if (err instanceof HttpError) throw err
    throw new HttpError(400, 'error.400')
  }
}

/**
 * A form that may carry evidence, its files received to temporary files. The caller must call
 * `discard()` when done (in a finally): whatever storeUploads() did not move into place goes.
 */
export async function readEvidenceForm(c: Context<AppEnv>): Promise<EvidenceForm> {
  if (contentType(c) !== 'multipart/form-data') return withoutFiles(await readForm(c))
  const { config } = c.get('deps')
  return receiveEvidenceForm(c.req.raw, localEvidenceStore(config.evidenceDir), evidenceLimits(config))
}
