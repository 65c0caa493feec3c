import { parseHTML as parse } from 'linkedom'

/** A DOM for asserting what a user would see, rather than matching strings in the markup. */
export function parseHTML(markup: string) {
  const { document } = parse(
    markup.trimStart().startsWith('<!doctype')
      ? markup
      : `<!doctype html><html><body>${markup}</body></html>`,
  )
  return {
    document,
    $: (selector: string) => document.querySelector(selector),
    $$: (selector: string) => [...document.querySelectorAll(selector)],
    text: (selector: string) =>
      document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
  }
}
