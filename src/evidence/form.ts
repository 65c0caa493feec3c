import type { Context } from 'hono'
import type { AppEnv } from '../http/env.js'
import { contentType, readForm } from '../http/forms.js'
import { localEvidenceStore } from './store.js'
import { evidenceLimits, receiveEvidenceForm, withoutFiles, type EvidenceForm } from './upload.js'

/**
 * A form that may carry evidence, its files received to temporary files. The caller must call
 * `discard()` when done (in a finally): whatever storeUploads() did not move into place goes.
 */
export async function readEvidenceForm(c: Context<AppEnv>): Promise<EvidenceForm> {
  if (contentType(c) !== 'multipart/form-data') return withoutFiles(await readForm(c))
  const { config } = c.get('deps')
  return receiveEvidenceForm(
    c.req.raw,
    localEvidenceStore(config.evidenceDir),
    evidenceLimits(config),
  )
}
