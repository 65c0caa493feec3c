import type { Readable } from 'node:stream'
import type { Config } from '../config.js'
import type { StoredEvidence } from '../change/evidenceRows.js'
import { FORM_LIMIT_BYTES } from '../http/limits.js'
import { readMultipart } from '../http/multipart.js'
import type { MinimumRate } from '../http/receiveRate.js'
import type { MessageKey, Params } from '../i18n/translate.js'
import { sanitizeFileName, withTypeExtension } from './names.js'
import { EvidenceSniffer, type EvidenceMime } from './sniff.js'
import type { EvidenceStore, StagedFile, StagingFile } from './store.js'

export interface UploadLimits {
  maxFiles: number
  maxFileBytes: number
}

export interface ReceiveLimits extends UploadLimits {
  maxBodyBytes: number
  /** Slower is a 408: a trickling sender must not hold one of the few upload slots. */
  minRate: MinimumRate
}

type LimitSettings =
  'evidenceMaxFiles' | 'evidenceMaxFileBytes' | 'uploadMinBytesPerSecond' | 'uploadRateWindowMs'

/** What a form that may carry evidence is allowed: the files, plus the text fields around them. */
export function evidenceLimits(config: Pick<Config, LimitSettings>): ReceiveLimits {
  return {
    maxFiles: config.evidenceMaxFiles,
    maxFileBytes: config.evidenceMaxFileBytes,
    maxBodyBytes: config.evidenceMaxFiles * config.evidenceMaxFileBytes + FORM_LIMIT_BYTES,
    minRate: {
      bytesPerSecond: config.uploadMinBytesPerSecond,
      windowMs: config.uploadRateWindowMs,
    },
  }
}

export interface AcceptedFile {
  /** Received and fsynced under a temporary name; storeUploads() moves it into place. */
  staged: StagedFile
  mime: EvidenceMime
  /** Sanitised, for display only, and ending with an extension of `mime` (withTypeExtension). */
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

type EvidenceField = typeof EVIDENCE_FIELD | typeof ID_DOCUMENT_FIELD

/** One file part of an evidence field, as received; checked only once the whole form is in. */
export interface ReceivedFile {
  field: EvidenceField
  /** Sanitised, for display only. */
  name: string
  /** A file input left empty sends a nameless, empty part: that is no file. */
  chosen: boolean
  size: number
  tooLarge: boolean
  /** From the bytes; null when they are not a type we accept. */
  mime: EvidenceMime | null
  /** Null when it was not kept: empty, too large, or beyond the number of files allowed. */
  staged: StagedFile | null
}

export interface EvidenceForm {
  fields: FormData
  files: ReceivedFile[]
  /** Removes every received file not moved into the store; call it whatever happened. */
  discard(): Promise<void>
}

/** How much of a file is gathered in memory before it is written out. */
const WRITE_BYTES = 256 * 1024

const isEvidenceField = (field: string): field is EvidenceField =>
  field === EVIDENCE_FIELD || field === ID_DOCUMENT_FIELD

/** A form that came without files (urlencoded, or an action that takes none). */
export const withoutFiles = (fields: FormData): EvidenceForm => ({
  fields,
  files: [],
  discard: async () => {},
})

/**
 * Reads a multipart form that may carry evidence without holding its files in memory: each file
 * of an evidence field streams to a temporary file while it is hashed and its type is sniffed.
 * Files of other fields are read past. Past the number of files allowed, or past a file's size
 * limit, nothing more is written (the form will be refused anyway).
 */
export async function receiveEvidenceForm(
  request: Request,
  store: EvidenceStore,
  limits: ReceiveLimits,
): Promise<EvidenceForm> {
  const contentType = request.headers.get('content-type') ?? ''
  const staging: StagingFile[] = []
  const discard = async () => {
    await Promise.all(staging.splice(0).map((s) => s.discard()))
  }

  const files: ReceivedFile[] = []
  let chosen = 0
  const choose = (file: ReceivedFile) => {
    if (file.chosen) return
    file.chosen = true
    chosen++
  }
  const receive = async (field: EvidenceField, filename: string, stream: Readable) => {
    const file: ReceivedFile = {
      field,
      name: sanitizeFileName(filename),
      chosen: false,
      size: 0,
      tooLarge: false,
      mime: null,
      staged: null,
    }
    files.push(file)
    if (filename !== '') choose(file)
    const sniffer = new EvidenceSniffer()
    let writing: StagingFile | null = null
    // Pieces are gathered up to WRITE_BYTES before each write: a typical screenshot is one write.
    let pending: Uint8Array[] = []
    let pendingBytes = 0
    const flush = async () => {
      if (!pendingBytes) return
      if (!writing) {
        writing = await store.stage()
        staging.push(writing)
      }
      const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
      pending = []
      pendingBytes = 0
      await writing.write(bytes)
    }
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      choose(file)
      file.size += chunk.byteLength
      if (file.tooLarge || chosen > limits.maxFiles) continue
      if (file.size > limits.maxFileBytes) {
        file.tooLarge = true
        pending = []
        pendingBytes = 0
        continue
      }
      sniffer.push(chunk)
      pending.push(chunk)
      pendingBytes += chunk.byteLength
      if (pendingBytes >= WRITE_BYTES) await flush()
    }
    if (file.size > 0 && !file.tooLarge && chosen <= limits.maxFiles) {
      await flush()
      file.mime = sniffer.result(file.name)
      file.staged = await writing!.finish()
    }
  }
  try {
    const { maxBodyBytes, minRate } = limits
    const fields = await readMultipart(
      request.body,
      contentType,
      { maxBodyBytes, maxFieldBytes: FORM_LIMIT_BYTES, minRate },
      async (part) => {
        if (isEvidenceField(part.field)) await receive(part.field, part.filename, part.stream)
        else part.stream.resume()
      },
    )
    return { fields, files, discard }
  } catch (err) {
    await discard()
    throw err
  }
}

export interface CheckedUploads {
  files: AcceptedFile[]
  problems: UploadProblem[]
}

export interface CheckedEvidenceForm extends CheckedUploads {
  /** The field the first problem belongs to, for the message beside it. */
  problemField: EvidenceField | null
}

/**
 * Both evidence fields of a form, checked together before any file is stored: one limit on the
 * number of files, and a refusal in either stores nothing from both.
 */
export function checkEvidenceForm(
  form: Pick<EvidenceForm, 'fields' | 'files'>,
  limits: UploadLimits,
): CheckedEvidenceForm {
  const chosen = form.files.filter((f) => f.chosen)
  if (chosen.length > limits.maxFiles) {
    return {
      files: [],
      problems: [
        {
          key: 'complaints.evidence.tooMany',
          params: { max: limits.maxFiles, count: chosen.length },
        },
      ],
      problemField: EVIDENCE_FIELD,
    }
  }
  const maxMb = Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10
  const accepted: AcceptedFile[] = []
  const problems: UploadProblem[] = []
  let problemField: EvidenceField | null = null
  for (const field of [EVIDENCE_FIELD, ID_DOCUMENT_FIELD] as const) {
    const before = problems.length
    // A text value where a file belongs (a hand-made request): not silently ignored.
    for (const value of form.fields.getAll(field)) {
      if (typeof value === 'string' && value !== '')
        problems.push({ key: 'complaints.evidence.notAFile', params: {} })
    }
    for (const file of chosen) {
      if (file.field !== field) continue
      const name = file.name
      if (file.size === 0) problems.push({ key: 'complaints.evidence.empty', params: { name } })
      else if (file.tooLarge)
        problems.push({ key: 'complaints.evidence.tooLarge', params: { name, max: maxMb } })
      else if (!file.mime || !file.staged)
        problems.push({ key: 'complaints.evidence.refusedType', params: { name } })
      else
        accepted.push({
          staged: file.staged,
          mime: file.mime,
          name: withTypeExtension(name, file.mime),
          sensitive: field === ID_DOCUMENT_FIELD,
        })
    }
    if (problems.length > before) problemField ??= field
  }
  return { files: problems.length ? [] : accepted, problems, problemField }
}

/** Moves the accepted files (already fsynced) into the store, before the transaction that points rows at them. */
export async function storeUploads(
  store: EvidenceStore,
  files: readonly AcceptedFile[],
): Promise<StoredEvidence[]> {
  const stored: StoredEvidence[] = []
  for (const f of files) {
    const { sha256, size } = await store.commit(f.staged)
    stored.push({ sha256, size, mime: f.mime, originalName: f.name, sensitive: f.sensitive })
  }
  return stored
}
