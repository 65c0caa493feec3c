import { hashSecret } from '../secrets.js'
import type { RateLimit } from '../http/rateLimit.js'

// How often a fresh tracking link may be asked for. Pure. Every request counts, matching or
// not, so a refusal tells nothing about the case.
//
// A count per case let three requests by anyone block the case's owner for an hour. What needs
// a cap per case is the mail to its owner, and only a request with the case's email sends one;
// so the ceiling is per case and email (a stranger who does not know the email never touches
// the owner's count), and per case only for one address at a time.

export const LOST_LINK_WINDOW_MS = 60 * 60 * 1000
/** Requests from one address, whatever the cases: guessing case numbers or emails. */
export const LOST_LINK_PER_IP = 10
/** Requests for one case from one address. */
export const LOST_LINK_PER_CASE_AND_IP = 3
/** Requests for one case naming one email, from all addresses: the most link mails an owner gets in an hour. */
export const LOST_LINK_PER_CASE_AND_EMAIL = 10

export function lostLinkLimits(r: { caseNumber: string; email: string; ip: string }): RateLimit[] {
  // Hashed: the table of counters need not hold complainants' addresses.
  const email = hashSecret(r.email.trim().toLowerCase())
  return [
    { key: `lostlink:ip:${r.ip}`, limit: LOST_LINK_PER_IP, windowMs: LOST_LINK_WINDOW_MS },
    {
      key: `lostlink:pair:${r.caseNumber}|${r.ip}`,
      limit: LOST_LINK_PER_CASE_AND_IP,
      windowMs: LOST_LINK_WINDOW_MS,
    },
    {
      key: `lostlink:case:${r.caseNumber}|${email}`,
      limit: LOST_LINK_PER_CASE_AND_EMAIL,
      windowMs: LOST_LINK_WINDOW_MS,
    },
  ]
}
