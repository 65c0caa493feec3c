import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface Received {
  rcpt: string[]
  mail: ParsedMail
}

/** A real SMTP server on loopback that can refuse the first `refuse` messages with a 451. */
export async function startSmtp(options: { refuse?: number } = {}) {
  const received: Received[] = []
  let refusals = options.refuse ?? 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--
          const err = Object.assign(new Error('try again later'), { responseCode: 451 })
          callback(err)
          return
        }
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail })
          callback()
        }, callback)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export type Smtp = Awaited<ReturnType<typeof startSmtp>>
