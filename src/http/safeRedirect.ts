// Where to go after signing in or switching the language comes from the user (?next=, a hidden
// field), so a crafted link could otherwise send someone to another site, or put a line break
// into the Location header. Pure.

// Any origin would do: what matters is whether the target resolves to the same one.
const OWN_ORIGIN = 'http://ladder.invalid'
const MAX_TARGET_CHARS = 2000

// Browsers drop tab, CR and LF from a URL and read a backslash as a slash: `/\t/evil.example` and
// `/\evil.example` are both `//evil.example`, another host. Other controls have no place in a path.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\\]/

/**
 * `target` as a path on this site (path, query and fragment, serialized as a URL so the header
 * holds ASCII only), or `fallback` for anything else: no scheme, no host, no `//` start, no
 * backslash or control character. Malformed values are ignored, never an error.
 */
export function safeRedirect(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || target.length > MAX_TARGET_CHARS) return fallback
  if (!target.startsWith('/') || target.startsWith('//') || UNSAFE_CHARS.test(target))
    return fallback
  let url: URL
  try {
    url = new URL(target, OWN_ORIGIN)
  } catch {
    return fallback
  }
  if (url.origin !== OWN_ORIGIN) return fallback
  const path = url.pathname + url.search + url.hash
  // `/.//evil.example` resolves to the path `//evil.example`, which a Location header would turn
  // into a host.
  if (path.startsWith('//')) return fallback
  return path
}
