// The one rule for a new staff password, used by setup, reset, invitation acceptance and
// `cli user add` alike.
//
// Composition: at least 8 characters with a letter and a digit or symbol (the seeds' rule).
// Not "three of lower/upper/digit/symbol": on a pinyin keyboard capitals are an extra mode, and
// letters with digits is the habit of many Chinese users; such a rule pushes people to
// `Password1!`, which a list catches and a composition rule does not. Length, a list of common
// passwords and the account's own name and address do more (NIST SP 800-63B, 5.1.1.2).
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../paths.js'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 200
/** `aaaa1111` and `abab1212` have a letter and a digit and still say almost nothing. */
export const MIN_DISTINCT_CHARACTERS = 5
/** Shorter parts of a name or address would refuse too much by chance (`li`, `wu`, `ann`). */
const MIN_PERSONAL_PART = 4

export const PASSWORD_PROBLEMS = [
  'too_short',
  'too_long',
  'weak',
  'repetitive',
  'personal',
  'common',
] as const
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number]

/** Whose password it is: the words a guesser tries first. */
export interface PasswordOwner {
  email?: string
  name?: string
}

export const COMMON_PASSWORDS_FILE = path.join(projectRoot, 'src', 'auth', 'common-passwords.txt')

let common: ReadonlySet<string> | null = null

/** Read once, on first use: a few hundred kilobytes that most requests never need. */
function commonPasswords(): ReadonlySet<string> {
  if (!common) common = parseList(fs.readFileSync(COMMON_PASSWORDS_FILE, 'utf8'))
  return common
}

export function parseList(text: string): ReadonlySet<string> {
  const out = new Set<string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line && !line.startsWith('#')) out.add(line.toLowerCase())
  }
  return out
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase()

/** The first rule a password breaks, or null; pure apart from reading the list once. */
export function passwordProblem(
  password: string,
  owner: PasswordOwner = {},
): PasswordProblem | null {
  const chars = [...password]
  if (chars.length < MIN_PASSWORD_LENGTH) return 'too_short'
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long'
  const hasLetter = /\p{L}/u.test(password)
  const hasOther = /[\p{N}\p{P}\p{S}]/u.test(password)
  if (!hasLetter || !hasOther) return 'weak'
  if (new Set(chars).size < MIN_DISTINCT_CHARACTERS) return 'repetitive'
  const folded = fold(password)
  if (personalParts(owner).some((part) => folded.includes(part))) return 'personal'
  if (commonPasswords().has(folded) || commonPasswords().has(folded.trim())) return 'common'
  return null
}

/** The address's local part and the name, whole and word by word, long enough to matter. */
function personalParts(owner: PasswordOwner): string[] {
  const parts: string[] = []
  const local = owner.email ? fold(owner.email.trim()).split('@')[0]! : ''
  if (local) parts.push(local, ...local.split(/[^\p{L}\p{N}]+/u))
  const name = owner.name ? fold(owner.name.trim()) : ''
  if (name) parts.push(name.replace(/\s+/g, ''), ...name.split(/[^\p{L}\p{N}]+/u))
  return parts.filter((p) => [...p].length >= MIN_PERSONAL_PART)
}
