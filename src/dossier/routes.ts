// GET /tickets/{case}/dossier.zip: the escalation dossier, streamed, for staff.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { requireRole } from '../auth/middleware.js'
import { normalizeCaseNumber } from '../domain/caseNumber.js'
import { localEvidenceStore } from '../evidence/store.js'
import { attachmentDisposition } from '../http/contentDisposition.js'
import type { AppEnv } from '../http/env.js'
import { HttpError, notFound } from '../http/errors.js'
import { firstValue, validQuery } from '../http/forms.js'
import { LOCALES } from '../i18n/locale.js'
import { recordOnTicket } from '../change/ticketChanges.js'
import { evidenceEntries } from './entries.js'
import { loadDossier } from './load.js'
import { renderSummary } from './summary.js'
import { buildManifest, dossierZipStream, sha256Hex } from './zip.js'

export const dossierRoutes = new Hono<AppEnv>()

// What the download form asks for; anything else is the default (masked, in the page's language).
const dossierSchema = z.object({
  unmasked: firstValue(z.string())
    .catch('')
    .transform((v) => v === '1'),
  lang: firstValue(z.enum(LOCALES)).optional().catch(undefined),
})
const dossierQuery = validQuery(dossierSchema, () => {
  throw new HttpError(400, 'error.400')
})

dossierRoutes.get('/tickets/:case/dossier.zip', requireRole('agent'), dossierQuery, dossierDownload)

async function dossierDownload(
  c: Context<AppEnv, string, { out: { query: z.output<typeof dossierSchema> } }>,
): Promise<Response> {
  const { db, config, clock } = c.get('deps')
  const user = c.get('user')
  const caseNumber = normalizeCaseNumber(c.req.param('case') ?? '')
  if (!user || !caseNumber) throw notFound()
  const { unmasked, lang } = c.req.valid('query')
  const masked = !unmasked
  const locale = lang ?? c.get('locale')
  const data = await loadDossier(db, user, caseNumber)
  if (!data) throw notFound()

  const now = clock()
  const store = localEvidenceStore(config.evidenceDir)
  const entries = evidenceEntries(data.evidence, masked, (sha) => store.has(sha))
  const summary = Buffer.from(
    renderSummary({ data, entries, locale, masked, generatedAt: now, generatedBy: user.name }),
    'utf8',
  )
  const manifest = buildManifest({
    caseNumber: data.ticket.case_number,
    generatedAt: now,
    masked,
    summary,
    entries,
  })
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8')

  // The audit record: who took which copy. The ticket itself does not change (no version bump).
  await recordOnTicket(c.get('deps'), {
    ticketId: data.ticket.id,
    actor: { kind: 'staff', role: user.role, userId: user.id },
    now,
    input: {
      type: 'dossier',
      masked,
      locale,
      files: manifest.files.length - 1,
      manifestSha256: sha256Hex(manifestBytes),
    },
  })

  const name = `${data.ticket.case_number}-dossier${masked ? '' : '-unmasked'}.zip`
  return new Response(
    dossierZipStream({ summary, manifest: manifestBytes, entries, store, mtime: new Date(now) }),
    {
      status: 200,
      headers: {
        'Content-Type': 'application/zip',
        'Content-Disposition': attachmentDisposition(name, name),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    },
  )
}
