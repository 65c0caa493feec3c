// Server-rendered SVG charts: no client library, no inline style (the CSP forbids it), colours
// by class with a fill= fallback, scaled by viewBox so they fit a phone. Every chart carries a
// <title> and <desc>; the page puts the same numbers in a table next to it. Pure.

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const num = (n: number) => String(Math.round(n * 10) / 10)

export interface Bar {
  label: string
  value: number
  /** Shown after the bar instead of the bare value (e.g. "12 · 40%"). */
  valueText?: string
  /** The queue of the tickets the bar counts, if there is one. */
  href?: string
}

export interface ChartText {
  id: string
  title: string
  desc: string
}

/**
 * How wide a text is drawn, in user units, erring wide: a CJK character (and full-width
 * punctuation) takes a whole em, anything else at most 0.62 em in the page's sans-serif fonts. The
 * charts size their margins and boxes by it, so that no label leaves the SVG in either language.
 */
export function textWidth(s: string, fontSize: number): number {
  let ems = 0
  for (const ch of s) ems += ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.62
  return ems * fontSize
}

/** Gridline values for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
export function niceTicks(max: number, most = 5): number[] {
  const top = Math.max(1, max)
  const raw = top / most
  const power = 10 ** Math.floor(Math.log10(raw))
  // Counts: never a step below one.
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power)
  const ticks: number[] = []
  for (let v = 0; v < top + step; v += step) {
    ticks.push(v)
    if (v >= top) break
  }
  return ticks
}

// A chart whose bars are links is a figure (an image may hold nothing focusable).
function open(
  text: ChartText,
  width: number,
  height: number,
  kind: string,
  role: 'img' | 'figure' = 'img',
): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(text.id)}" class="chart chart-${kind}" ` +
    `viewBox="0 0 ${num(width)} ${num(height)}" width="100%" role="${role}" ` +
    `aria-labelledby="${escapeXml(text.id)}-title ${escapeXml(text.id)}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${escapeXml(text.id)}-title">${escapeXml(text.title)}</title>` +
    `<desc id="${escapeXml(text.id)}-desc">${escapeXml(text.desc)}</desc>`
  )
}

const linked = (href: string | undefined, inner: string) =>
  href ? `<a href="${escapeXml(href)}">${inner}</a>` : inner

/** Horizontal bars, one per row: the funnel of levels. Margins fit the longest label and value. */
export function horizontalBars(text: ChartText, bars: readonly Bar[]): string {
  const fontSize = 13
  const gap = 6
  const span = 220
  const rowH = 30
  const barH = 20
  const top = 6
  const axisH = 18
  const shownOf = (b: Bar) => b.valueText ?? String(b.value)
  const labelW = Math.ceil(gap * 2 + Math.max(0, ...bars.map((b) => textWidth(b.label, fontSize))))
  const valueW = Math.ceil(
    gap * 2 + Math.max(0, ...bars.map((b) => textWidth(shownOf(b), fontSize))),
  )
  const width = labelW + span + valueW
  const plotBottom = top + bars.length * rowH
  const height = plotBottom + axisH
  const ticks = niceTicks(Math.max(...bars.map((b) => b.value), 1), 4)
  const max = ticks[ticks.length - 1]!
  let out = open(text, width, height, 'hbars', bars.some((b) => b.href) ? 'figure' : 'img')
  for (const v of ticks) {
    const x = num(labelW + (v / max) * span)
    out +=
      `<line class="chart-grid" x1="${x}" y1="${top}" x2="${x}" y2="${plotBottom}" stroke="#d9dee3" stroke-width="1"/>` +
      `<text class="chart-tick" x="${x}" y="${plotBottom + 13}" text-anchor="middle" font-size="10" fill="currentColor">${v}</text>`
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH
    const w = (b.value / max) * span
    const shown = shownOf(b)
    out +=
      `<text class="chart-label" x="${labelW - gap}" y="${num(y + barH / 2 + 5)}" text-anchor="end" font-size="${fontSize}" fill="currentColor">${escapeXml(b.label)}</text>` +
      linked(
        b.href,
        `<rect class="bar bar-${i}" x="${labelW}" y="${y}" width="${num(w)}" height="${barH}" fill="#0f5c4d">` +
          `<title>${escapeXml(`${b.label}: ${shown}`)}</title></rect>`,
      ) +
      `<text class="chart-value" x="${num(labelW + w + gap)}" y="${num(y + barH / 2 + 5)}" font-size="${fontSize}" fill="currentColor">${escapeXml(shown)}</text>`
  })
  return out + '</svg>'
}

export interface ColumnGroup {
  label: string
  values: readonly number[]
}

export interface Series {
  name: string
  /** A class suffix and its fallback colour. */
  key: string
  fill: string
}

/** Vertical columns, several series side by side per group: the weekly trend. */
export function groupedColumns(
  text: ChartText,
  series: readonly Series[],
  groups: readonly ColumnGroup[],
): string {
  const right = 6
  const top = 26
  const plotH = 150
  const axisH = 22
  const height = top + plotH + axisH
  const ticks = niceTicks(Math.max(1, ...groups.flatMap((g) => g.values)))
  const max = ticks[ticks.length - 1]!
  const left = Math.ceil(textWidth(String(max), 10) + 8)
  const legendW = series.reduce((w, s) => w + 14 + textWidth(s.name, 11) + 16, left)
  const width = Math.max(400, Math.ceil(legendW))
  const groupW = (width - left - right) / Math.max(1, groups.length)
  const barW = Math.max(0.5, (groupW * 0.8) / series.length)
  const labelEvery = Math.max(1, Math.ceil(groups.length / Math.floor((width - left) / 44)))
  let out = open(text, width, height, 'columns')
  // Legend on top, so the colours are named without relying on colour alone (titles name them too).
  let lx = left
  for (const s of series) {
    out +=
      `<rect class="legend-swatch series-${escapeXml(s.key)}" x="${lx}" y="6" width="10" height="10" fill="${escapeXml(s.fill)}"/>` +
      `<text class="chart-legend" x="${lx + 14}" y="15" font-size="11" fill="currentColor">${escapeXml(s.name)}</text>`
    lx += 14 + textWidth(s.name, 11) + 16
  }
  const base = top + plotH
  for (const v of ticks) {
    const y = num(base - (v / max) * plotH)
    out +=
      `<line class="chart-grid" x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="#d9dee3" stroke-width="1"/>` +
      `<text class="chart-tick" x="${left - 4}" y="${y}" dy="3" text-anchor="end" font-size="10" fill="currentColor">${v}</text>`
  }
  out += `<line class="chart-axis" x1="${left}" y1="${base}" x2="${width - right}" y2="${base}" stroke="currentColor" stroke-width="1"/>`
  groups.forEach((g, gi) => {
    const gx = left + gi * groupW + groupW * 0.1
    series.forEach((s, si) => {
      const v = g.values[si] ?? 0
      const h = (v / max) * plotH
      out +=
        `<rect class="bar series-${escapeXml(s.key)}" x="${num(gx + si * barW)}" y="${num(base - h)}" width="${num(barW)}" height="${num(h)}" fill="${escapeXml(s.fill)}">` +
        `<title>${escapeXml(`${g.label} · ${s.name}: ${v}`)}</title></rect>`
    })
    if (gi % labelEvery === 0) {
      // Under its group, but never past either edge.
      const w = textWidth(g.label, 10)
      const x = Math.min(Math.max(gx + groupW * 0.4 - w / 2, 0), width - w)
      out += `<text class="chart-tick" x="${num(x)}" y="${base + 15}" font-size="10" fill="currentColor">${escapeXml(g.label)}</text>`
    }
  })
  return out + '</svg>'
}
