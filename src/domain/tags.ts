// What a tag is: one short word or phrase, compared without case or surrounding spaces, so that
// "VIP", " vip" and "vip" are one tag in the filter, the counts and the search.
export const TAG_MAX_LENGTH = 32
/** Letters (any script), digits, and - _ . between them; no spaces, commas or markup. */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\-_.]*$/u

export type TagProblem = 'empty' | 'too_long' | 'bad_characters'

export function normalizeTag(
  raw: string,
): { ok: true; tag: string } | { ok: false; problem: TagProblem } {
  const tag = raw.normalize('NFKC').trim().toLowerCase()
  if (tag === '') return { ok: false, problem: 'empty' }
  if ([...tag].length > TAG_MAX_LENGTH) return { ok: false, problem: 'too_long' }
  if (!TAG_PATTERN.test(tag)) return { ok: false, problem: 'bad_characters' }
  return { ok: true, tag }
}
