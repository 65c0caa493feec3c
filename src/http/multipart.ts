import { once } from 'node:events'
import type { Readable } from 'node:stream'
import { Busboy, type BusboyInstance } from '@fastify/busboy'
import { HttpError } from './errors.js'
import { atMinimumRate, type MinimumRate } from './receiveRate.js'

export interface FilePart {
  field: string
  /** As the browser sent it (UTF-8); an empty file input sends none. */
  filename: string
  /** Must be read to the end (or resumed) for the parsing to go on. */
  stream: Readable
}

export interface MultipartLimits {
  /** The whole body; more is a 413 as soon as it arrives. */
  maxBodyBytes: number
  /** One text field's value; longer is a 413. */
  maxFieldBytes: number
  /** A body arriving slower than this is a 408; none: as slow as the sender likes. */
  minRate?: MinimumRate
}

/**
 * Parses a multipart body as it arrives: text fields are collected, each file is handed to
 * `onFile` as a stream, so a file never has to fit in memory. Malformed multipart is a 400.
 * Resolves once every part and every `onFile` has finished; if anything fails, waits for the
 * other `onFile`s to settle before rejecting, so their caller can clean up after all of them.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
  limits: MultipartLimits,
  onFile: (part: FilePart) => Promise<void>,
): Promise<FormData> {
  const fields = new FormData()
  let parser: BusboyInstance
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: { fieldSize: limits.maxFieldBytes, fields: 1000, parts: 1100 },
    })
  } catch {
    throw new HttpError(400, 'error.400')
  }
  const handlers: Promise<void>[] = []
  let failure: unknown = null
  const fail = (err: unknown) => {
    failure ??= err
  }
  parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated) fail(new HttpError(413, 'error.413'))
    else fields.append(name, value)
  })
  // A file still arriving when the parsing stops (a 413, a broken body) would otherwise keep its
  // reader waiting for the rest forever: it is destroyed, so its onFile fails and settles.
  const open = new Set<Readable>()
  parser.on('file', (field, stream, filename) => {
    open.add(stream)
    stream.once('close', () => open.delete(stream))
    stream.once('end', () => open.delete(stream))
    handlers.push(
      onFile({ field, filename: unescapeFileName(filename ?? ''), stream }).catch(
        (err: unknown) => {
          fail(err)
          stream.resume()
        },
      ),
    )
  })
  for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const)
    parser.on(limit, () => fail(new HttpError(413, 'error.413')))
  const parsed = new Promise<void>((resolve) => {
    parser.on('finish', resolve)
    parser.on('error', (err) => {
      fail(err instanceof HttpError ? err : new HttpError(400, 'error.400'))
      resolve()
    })
  })

  let received = 0
  try {
    if (body) {
      const chunks = limits.minRate
        ? atMinimumRate(body, limits.minRate)
        : (body as unknown as AsyncIterable<Uint8Array>)
      for await (const chunk of chunks) {
        received += chunk.byteLength
        if (received > limits.maxBodyBytes) throw new HttpError(413, 'error.413')
        if (failure) break
        if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), parsed])
      }
    }
    if (!failure) parser.end()
  } catch (err) {
    fail(err instanceof HttpError ? err : new HttpError(400, 'error.400'))
  }
  if (failure) {
    parser.destroy()
    for (const stream of open) stream.destroy(new Error('multipart parsing stopped'))
  } else await parsed
  await Promise.allSettled(handlers)
  if (failure) throw failure
  return fields
}

// Browsers escape these three in a part's file name (HTML's multipart/form-data encoding), as
// undici does; the name shown should be the one the user chose (the caller sanitises it).
const ESCAPED_IN_FILE_NAMES: Record<string, string> = { '%0a': '\n', '%0d': '\r', '%22': '"' }

function unescapeFileName(name: string): string {
  return name.replace(/%(0a|0d|22)/gi, (m) => ESCAPED_IN_FILE_NAMES[m.toLowerCase()]!)
}
