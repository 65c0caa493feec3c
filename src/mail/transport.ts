import fs from 'node:fs'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { OutboxRow } from './outbox.js'

export interface MailTransport {
  /** Resolves once the message is accepted (by the SMTP server, or fsynced to disk). */
  send(row: OutboxRow): Promise<void>
  close(): void
}

export interface TransportOptions {
  smtpUrl: string | undefined
  mailDir: string
  from: string
}

function message(row: OutboxRow, from: string) {
  return {
    from,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body ?? undefined,
    // One id per outbox row, so a resend after a crash can be recognised as the same message.
    messageId: `<outbox-${row.id}-${row.created_at}@ladder>`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Ladder-Kind': row.kind },
  }
}

/** SMTP when SMTP_URL is set; otherwise each message becomes an .eml file in DATA_DIR/mail/. */
export function createTransport(options: TransportOptions): MailTransport {
  if (options.smtpUrl) {
    const smtp = nodemailer.createTransport(options.smtpUrl)
    return {
      async send(row) {
        await smtp.sendMail(message(row, options.from))
      },
      close: () => smtp.close(),
    }
  }
  const streamer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  })
  return {
    async send(row) {
      const info = await streamer.sendMail(message(row, options.from))
      const raw = info.message as Buffer
      fs.mkdirSync(options.mailDir, { recursive: true })
      const file = path.join(options.mailDir, `${String(row.id).padStart(8, '0')}-${row.kind}.eml`)
      const temp = `${file}.tmp`
      const handle = await fs.promises.open(temp, 'w', 0o600)
      try {
        await handle.writeFile(raw)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.promises.rename(temp, file)
    },
    close: () => streamer.close(),
  }
}
