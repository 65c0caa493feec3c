// The one owner of ticket changes. Every way in (forms, CLI, demo data, later the API, mail and
// imports) hands its change to these functions, and only they write tickets, events and ladder
// stages: each opens the transaction (a savepoint of a shared commit, see db/groupCommit.ts),
// checks the version, asks the lifecycle, writes what it decided and runs the listeners.
import type { DB } from '../db/connection.js'
import { groupedWrite } from '../db/groupCommit.js'
import { loadDeadlineContext } from '../deadlines/context.js'
import { act, StaleTicket, type ActRequest, type ActResult } from './acting.js'
import { file, type Filed, type FileRequest } from './filing.js'
import { record, type RecordRequest, type RecordResult } from './recording.js'
import type { ChangeWriter } from './types.js'

/** One transaction's worth of changes; `trx` is there for the caller's own rows (keys, outbox). */
export interface ChangeTx {
  trx: DB
  file(req: FileRequest): Promise<Filed>
  /** Throws StaleTicket when another writer won the race, so that the whole transaction is undone. */
  act(req: ActRequest): Promise<ActResult>
  record(req: RecordRequest): Promise<RecordResult>
}

/** Runs `work` in one transaction; several changes (and the caller's own rows) commit together. */
export async function changeTransaction<T>(
  w: ChangeWriter,
  work: (tx: ChangeTx) => Promise<T>,
): Promise<T> {
  const deadlines = await loadDeadlineContext(w.db)
  return groupedWrite(w.db, (trx) =>
    work({
      trx,
      file: (req) => file(trx, w.listeners, deadlines, req),
      act: (req) => act(trx, w.listeners, deadlines, req),
      record: (req) => record(trx, w.listeners, deadlines, req),
    }),
  )
}

/** Files a complaint in a transaction of its own. */
export function fileTicket(w: ChangeWriter, req: FileRequest): Promise<Filed> {
  return changeTransaction(w, (tx) => tx.file(req))
}

/** One action in a transaction of its own; a lost race is answered as stale, with nothing written. */
export async function actOnTicket(w: ChangeWriter, req: ActRequest): Promise<ActResult> {
  try {
    return await changeTransaction(w, (tx) => tx.act(req))
  } catch (err) {
    if (err instanceof StaleTicket) return { ok: false, kind: 'stale', ticket: err.ticket }
    throw err
  }
}

export function recordOnTicket(w: ChangeWriter, req: RecordRequest): Promise<RecordResult> {
  return changeTransaction(w, (tx) => tx.record(req))
}
