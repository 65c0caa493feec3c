// The case's files as the complainant sees them: theirs and those the office sent, each to
// download and, where the type allows, to preview on the page.
import type { Evidence } from '../db/schema.js'
import { redact } from '../domain/redaction.js'
import { previewKind, type PreviewKind } from '../evidence/preview.js'
import { trackingPath } from '../mail/trackingLink.js'

export interface TrackFile {
  id: number
  eventId: number | null
  name: string
  size: number
  sha256: string
  at: number
  restricted: boolean
  /** Sent by the office (attached to a reply, a request or a proposal). */
  fromOffice: boolean
  url: string
  previewUrl: string | null
  preview: PreviewKind | null
}

export function trackFile(e: Evidence, token: string): TrackFile {
  const url = `${trackingPath(token)}/evidence/${e.id}`
  const preview = previewKind(e.mime)
  return {
    id: e.id,
    eventId: e.event_id,
    name: redact(e.original_name),
    size: e.size,
    sha256: e.sha256,
    at: e.created_at,
    restricted: e.sensitive === 1,
    fromOffice: e.uploaded_by_type === 'staff',
    url,
    previewUrl: preview ? `${url}/preview` : null,
    preview,
  }
}
