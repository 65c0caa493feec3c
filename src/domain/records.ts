// Changes that leave the ticket's state alone but must be on its record: who saw the unmasked
// numbers, who restricted a file, who took a dossier, when a tracking link was replaced. Pure,
// like the lifecycle: the change module writes the event this returns.
import type { Actor } from './lifecycle.js'

export type RecordInput =
  | { type: 'reveal'; fields: string[] }
  | { type: 'restrict_evidence'; evidenceId: number; sensitive: boolean }
  | { type: 'open_sensitive_evidence'; evidenceId: number }
  | { type: 'dossier'; masked: boolean; locale: string; files: number; manifestSha256: string }
  | { type: 'reissue_link'; trackingTokenHash: string }

/** Who a record is written by: staff, or the system on the complainant's request. */
export type RecordActor = Extract<Actor, { kind: 'staff' }> | { kind: 'system' }

export interface RecordDecision {
  event: {
    type:
      | 'revealed'
      | 'evidence_opened'
      | 'evidence_restricted'
      | 'evidence_unrestricted'
      | 'dossier_generated'
      | 'tracking_link_reissued'
    visibility: 'public' | 'internal'
    payload: Record<string, unknown>
  }
  /** The ticket's new tracking secret hash, when the record replaces it. */
  trackingTokenHash?: string
}

/** `version` is the ticket's, unchanged by a record: it tells which state the staff member saw. */
export function decideRecord(input: RecordInput, version: number): RecordDecision {
  switch (input.type) {
    case 'reveal':
      return {
        event: {
          type: 'revealed',
          visibility: 'internal',
          payload: { fields: input.fields, version },
        },
      }
    case 'restrict_evidence':
      return {
        event: {
          type: input.sensitive ? 'evidence_restricted' : 'evidence_unrestricted',
          visibility: 'internal',
          payload: { evidenceId: input.evidenceId },
        },
      }
    case 'open_sensitive_evidence':
      return {
        event: {
          type: 'evidence_opened',
          visibility: 'internal',
          payload: { evidenceId: input.evidenceId },
        },
      }
    case 'dossier': {
      const { masked, locale, files, manifestSha256 } = input
      return {
        event: {
          type: 'dossier_generated',
          visibility: 'internal',
          payload: { masked, locale, files, manifestSha256, version },
        },
      }
    }
    case 'reissue_link':
      return {
        event: { type: 'tracking_link_reissued', visibility: 'public', payload: {} },
        trackingTokenHash: input.trackingTokenHash,
      }
  }
}
