import { describe, expect, it } from 'vitest'
import { LEVELS } from '../../src/domain/ladder.js'
import { LOCALES } from '../../src/i18n/locale.js'
import {
  COMPLAINANT_ACTIVITIES,
  complainantMail,
  digestMail,
  staffMail,
  type ComplainantNotice,
  type ComposedMail,
} from '../../src/mail/compose.js'
import { parseHTML } from '../helpers/html.js'

const ctx = {
  caseNumber: 'LD-2026-000042',
  url: 'https://ladder.example.org/track/abcDEF_123-xyz',
  linkExpires: '2027-01-22',
}
const NASTY = '<script>alert("x")</script> & <b>bold</b>'

const notices: ComplainantNotice[] = [
  { kind: 'reply', body: NASTY },
  { kind: 'info_requested', body: NASTY },
  {
    kind: 'resolution_proposed',
    body: NASTY,
    relief: 'monetary',
    amount: '¥128.50',
    disputeUntil: '2027-01-22',
  },
  ...LEVELS.map((level): ComplainantNotice => ({
    kind: 'escalated',
    level,
    reason: 'refused',
    note: NASTY,
  })),
  { kind: 'closed', outcome: 'unresolved', note: NASTY },
]

/** Every placeholder filled, the free text escaped in HTML and intact in the text part. */
function wellFormed(mail: ComposedMail) {
  for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\w+\}/)
  expect(mail.html).not.toContain('<script>')
  expect(mail.html).not.toContain('<b>bold</b>')
  const { document } = parseHTML(mail.html)
  expect(document.querySelector('script')).toBeNull()
}

describe('composed notification emails', () => {
  for (const locale of LOCALES) {
    for (const notice of notices) {
      it(`${notice.kind}${notice.kind === 'escalated' ? ` to ${notice.level}` : ''} in ${locale}: text and HTML, escaped, with the link`, () => {
        const mail = complainantMail(locale, notice, ctx)
        wellFormed(mail)
        expect(mail.subject).toContain(ctx.caseNumber)
        expect(mail.text).toContain(NASTY)
        expect(mail.text).toContain(ctx.url)
        expect(mail.html).toContain(`lang="${locale}"`)
        const { document } = parseHTML(mail.html)
        expect(document.querySelector('blockquote')?.textContent).toBe(NASTY)
        expect([...document.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
          ctx.url,
        ])
      })
    }
  }

  it('names the body a case went to in words, in each language', () => {
    expect(complainantMail('en', notices[3 + 1]!, ctx).subject).toBe(
      'Your complaint LD-2026-000042 has gone to a consumer association (for example the 12315 platform)',
    )
    expect(complainantMail('zh-CN', notices[3 + 2]!, ctx).subject).toBe(
      '您的投诉 LD-2026-000042 已提交至金融监管部门',
    )
  })

  it('escapes a link that carries markup characters', () => {
    const mail = complainantMail(
      'en',
      { kind: 'reply', body: 'x' },
      { ...ctx, url: 'https://x.test/track/a"><script>' },
    )
    expect(mail.html).toContain('href="https://x.test/track/a&quot;&gt;&lt;script&gt;"')
  })

  it('builds staff mails for assignment and each complainant activity', () => {
    const common = {
      caseNumber: 'LD-2026-000042',
      name: '<Li>',
      url: 'https://ladder.example.org/tickets/LD-2026-000042',
    }
    for (const locale of LOCALES) {
      const assigned = staffMail(locale, { kind: 'assigned', by: 'Wang & Co' }, common)
      wellFormed(assigned)
      expect(assigned.html).toContain('Wang &amp; Co')
      expect(assigned.html).toContain('&lt;Li&gt;')
      for (const activity of COMPLAINANT_ACTIVITIES) {
        const mail = staffMail(locale, { kind: 'complainant_activity', activity }, common)
        wellFormed(mail)
        expect(mail.text).toContain(common.url)
      }
    }
  })

  it('cuts a long digest and says how many more there are', () => {
    const item = (i: number) => ({
      caseNumber: `LD-2026-${String(i).padStart(6, '0')}`,
      category: 'Refund',
      due: '11/20/2026',
    })
    const mail = digestMail('en', {
      name: 'Li',
      date: '2026-11-23',
      missed: Array.from({ length: 45 }, (_, i) => item(i + 1)),
      dueSoon: [item(100)],
      queueUrl: 'https://ladder.example.org/queue?assignee=me',
    })
    wellFormed(mail)
    expect(mail.subject).toBe('Your deadlines on 2026-11-23: 45 missed, 1 due soon')
    expect(mail.text).toContain('LD-2026-000030')
    expect(mail.text).not.toContain('LD-2026-000031')
    expect(mail.text).toContain('… and 15 more')
    expect(mail.text).toContain('LD-2026-000100')
    expect(mail.html).toContain('href="https://ladder.example.org/queue?assignee=me"')
  })
})
