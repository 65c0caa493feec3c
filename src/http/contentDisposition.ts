// A download's name for every browser and tool: RFC 6266's `filename*` (RFC 8187 / 5987, UTF-8)
// carries the real name, Chinese included; `filename` is a plain-ASCII stand-in for clients that
// ignore `filename*`, and cannot break out of its quotes or the header.

/** RFC 5987 value: percent-encode everything outside attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

// What may stand inside the quotes of `filename` without any client reading it differently:
// no quote, backslash, percent sign (some clients decode it) or semicolon.
const NOT_PLAIN = /[^A-Za-z0-9 ._()+,=@~!#$&'[\]{}^-]/g

/**
 * `attachment` with both names. An ASCII `name` is its own stand-in (unsafe characters become
 * `_`); any other uses `asciiFallback`, which should end with the same extension.
 */
export function attachmentDisposition(name: string, asciiFallback: string): string {
  return disposition('attachment', name, asciiFallback)
}

/** `inline` with the same names: only an evidence preview is shown rather than saved. */
export function inlineDisposition(name: string, asciiFallback: string): string {
  return disposition('inline', name, asciiFallback)
}

function disposition(kind: 'attachment' | 'inline', name: string, asciiFallback: string): string {
  const ascii = /^[\x20-\x7e]+$/.test(name) ? name : asciiFallback
  return `${kind}; filename="${ascii.replace(NOT_PLAIN, '_')}"; filename*=UTF-8''${rfc5987(name)}`
}
