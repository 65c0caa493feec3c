// Signs a staff account that has not set up its second factor in to a running Ladder, the way a
// person would: password, then the enrolment page's key for manual entry, a code computed from it
// with otpauth, and the session cookie that answer sets. For the scripts that drive a real server
// (crash test, sqlmap); the tests have their own helper (test/helpers/staffSignIn.ts).
//   node scripts/staff-sign-in.mjs BASE_URL EMAIL PASSWORD   → prints `ladder_session=…`
import { pathToFileURL } from 'node:url'
import { Secret, TOTP } from 'otpauth'

const cookieOf = (res, name) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith(`${name}=`) && c !== `${name}=`)

export async function signInEnrolling(base, email, password) {
  const post = (path, cookie, form) =>
    fetch(base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: base,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(form),
    })
  const login = await post('/login', null, { email, password })
  const challenge = cookieOf(login, 'ladder_login')
  if (login.status !== 303 || !challenge) throw new Error(`sign-in answered ${login.status}`)
  if (login.headers.get('location') !== '/login/enrol') {
    throw new Error(
      `expected a first sign-in that sets up a second factor, got ${login.headers.get('location')}`,
    )
  }
  const page = await fetch(`${base}/login/enrol`, { headers: { cookie: challenge } })
  const key = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(await page.text())?.[1]?.replace(/\s/g, '')
  if (!key) throw new Error('no key for manual entry on the enrolment page')
  const code = new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30 }).generate()
  const done = await post('/login/enrol', challenge, { code })
  const session = cookieOf(done, 'ladder_session')
  if (!session) throw new Error(`enrolment answered ${done.status}`)
  return session
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [base, email, password] = process.argv.slice(2)
  if (!base || !email || !password) {
    console.error('usage: node scripts/staff-sign-in.mjs BASE_URL EMAIL PASSWORD')
    process.exit(2)
  }
  console.log(await signInEnrolling(base, email, password))
}
