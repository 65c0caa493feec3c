import type { StoredEvidence } from '../complaints/fileComplaint.js'
import type { MessageKey, Params } from '../i18n/translate.js'
import { sanitizeFileName } from './names.js'
import { detectEvidenceType, type EvidenceMime } from './sniff.js'
import type { EvidenceStore } from './store.js'

export interface UploadLimits {
  maxFiles: number
  maxFileBytes: number
}

export interface AcceptedFile {
  bytes: Uint8Array
  mime: EvidenceMime
  /** Sanitised, for display only. */
  name: string
  /** An ID document: only the case handler and managers may see it (DOMAIN: access-restricted). */
  sensitive: boolean
}

/** The form fields that carry evidence: ordinary files, and ID documents kept from other staff. */
export const EVIDENCE_FIELD = 'evidence'
export const ID_DOCUMENT_FIELD = 'id_document'

export interface UploadProblem {
  key: MessageKey
  params: Params
}

export interface CheckedUploads {
  files: AcceptedFile[]
  problems: UploadProblem[]
}

/**
 * Checks every file of a submission before any is stored, so a refusal stores nothing. A file
 * input left empty arrives as a nameless, empty part and is not a file.
 */
export async function checkUploads(
  entries: readonly (string | File)[],
  limits: UploadLimits,
  sensitive = false,
): Promise<CheckedUploads> {
  const parts: File[] = []
  const problems: UploadProblem[] = []
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (entry !== '') problems.push({ key: 'complaints.evidence.notAFile', params: {} })
      continue
    }
    if (entry.name === '' && entry.size === 0) continue
    parts.push(entry)
  }
  if (parts.length > limits.maxFiles) {
    return { files: [], problems: [{ key: 'complaints.evidence.tooMany', params: { max: limits.maxFiles, count: parts.length } }] }
  }
  const files: AcceptedFile[] = []
  const maxMb = Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10
  for (const part of parts) {
    const name = sanitizeFileName(part.name)
    if (part.size === 0) {
      problems.push({ key: 'complaints.evidence.empty', params: { name } })
      continue
    }
    if (part.size > limits.maxFileBytes) {
      problems.push({ key: 'complaints.evidence.tooLarge', params: { name, max: maxMb } })
      continue
    }
    const bytes = new Uint8Array(await part.arrayBuffer())
    const mime = detectEvidenceType(bytes, name)
    if (!mime) {
      problems.push({ key: 'complaints.evidence.refusedType', params: { name } })
      continue
    }
    files.push({ bytes, mime, name, sensitive })
  }
  return { files: problems.length ? [] : files, problems }
}

export interface CheckedEvidenceForm extends CheckedUploads {
  /** The field the first problem belongs to, for the message beside it. */
  problemField: typeof EVIDENCE_FIELD | typeof ID_DOCUMENT_FIELD | null
}

const isChosenFile = (e: string | File) => typeof e !== 'string' && !(e.name === '' && e.size === 0)

/**
 * Both evidence fields of a form, checked together: one limit on the number of files, and a
 * refusal in either stores nothing from both.
 */
export async function checkEvidenceForm(form: FormData, limits: UploadLimits): Promise<CheckedEvidenceForm> {
  const ordinary = form.getAll(EVIDENCE_FIELD)
  const idDocuments = form.getAll(ID_DOCUMENT_FIELD)
  const count = ordinary.filter(isChosenFile).length + idDocuments.filter(isChosenFile).length
  if (count > limits.maxFiles) {
    return {
      files: [],
      problems: [{ key: 'complaints.evidence.tooMany', params: { max: limits.maxFiles, count } }],
      problemField: EVIDENCE_FIELD,
    }
  }
  const a = await checkUploads(ordinary, limits)
  const b = await checkUploads(idDocuments, limits, true)
  const problems = [...a.problems, ...b.problems]
  return {
    files: problems.length ? [] : [...a.files, ...b.files],
    problems,
    problemField: a.problems.length ? EVIDENCE_FIELD : b.problems.length ? ID_DOCUMENT_FIELD : null,
  }
}

/** Writes the accepted files (fsynced) before the transaction that points rows at them. */
export async function storeUploads(store: EvidenceStore, files: readonly AcceptedFile[]): Promise<StoredEvidence[]> {
  const stored: StoredEvidence[] = []
  for (const f of files) {
    const { sha256, size } = await store.put(f.bytes)
    stored.push({ sha256, size, mime: f.mime, originalName: f.name, sensitive: f.sensitive })
  }
  return stored
}
