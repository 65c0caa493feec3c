import type { RateLimit } from '../http/rateLimit.js'

// Which failed sign-ins count against which limit. Pure.
//
// A count per account alone let anyone lock anyone out: five wrong passwords from any address
// and the owner's right one was refused too. So the tight limit is per account and address, and
// the address has its own limit across accounts. What is left to an attacker with many
// addresses is capped by a slower ceiling per account, which only strangers count against and
// only strangers meet: a browser that has signed in to the account before (src/auth/devices.ts)
// has its own tight limit and is never refused because of others' failures.

export const LOGIN_WINDOW_MS = 15 * 60_000
/** Wrong passwords for one account from one address, or from one browser known to it: typos, not guessing. */
export const LOGIN_FAILURES_PER_CLIENT = 5
/** Wrong passwords from one address, whatever the accounts (one office behind one address included). */
export const LOGIN_FAILURES_PER_IP = 20
export const LOGIN_ACCOUNT_WINDOW_MS = 60 * 60_000
/**
 * Wrong passwords for one account from browsers not known to it, from all addresses together.
 * Above what one address can reach (its own limits allow 20 an hour on one account), and low
 * enough that a crowd of addresses gets no more than 1,200 guesses a day at a password of 8 or
 * more characters in mixed classes. Someone on a new browser during such an attack waits for
 * the hour to end; the owner's usual browser does not.
 */
export const LOGIN_FAILURES_PER_ACCOUNT = 50

export interface LoginLimit extends RateLimit {
  /** After a successful sign-in: the client's own failures are forgotten; others are only not counted. */
  onSuccess: 'reset' | 'undo'
}

export function loginLimits(a: {
  email: string
  ip: string
  knownDevice: string | null
}): LoginLimit[] {
  if (a.knownDevice) {
    return [
      {
        key: `login:device:${a.knownDevice}:${a.email}`,
        limit: LOGIN_FAILURES_PER_CLIENT,
        windowMs: LOGIN_WINDOW_MS,
        onSuccess: 'reset',
      },
    ]
  }
  return [
    {
      key: `login:pair:${a.email}|${a.ip}`,
      limit: LOGIN_FAILURES_PER_CLIENT,
      windowMs: LOGIN_WINDOW_MS,
      onSuccess: 'reset',
    },
    {
      key: `login:ip:${a.ip}`,
      limit: LOGIN_FAILURES_PER_IP,
      windowMs: LOGIN_WINDOW_MS,
      onSuccess: 'undo',
    },
    {
      key: `login:account:${a.email}`,
      limit: LOGIN_FAILURES_PER_ACCOUNT,
      windowMs: LOGIN_ACCOUNT_WINDOW_MS,
      onSuccess: 'undo',
    },
  ]
}
