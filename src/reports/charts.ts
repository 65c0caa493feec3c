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
}

export interface ChartText {
  id: string
  title: string
  desc: string
}

function open(text: ChartText, width: number, height: number, kind: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(text.id)}" class="chart chart-${kind}" ` +
    `viewBox="0 0 ${width} ${height}" width="100%" role="img" ` +
    `aria-labelledby="${escapeXml(text.id)}-title ${escapeXml(text.id)}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${escapeXml(text.id)}-title">${escapeXml(text.title)}</title>` +
    `<desc id="${escapeXml(text.id)}-desc">${escapeXml(text.desc)}</desc>`
  )
}

/** Horizontal bars, one per row: the funnel of levels. */
export function horizontalBars(text: ChartText, bars: readonly Bar[]): string {
  const width = 400
  const labelW = 140
  const valueW = 70
  const rowH = 30
  const barH = 20
  const top = 6
  const height = top * 2 + bars.length * rowH
  const max = Math.max(1, ...bars.map((b) => b.value))
  const span = width - labelW - valueW
  let out = open(text, width, height, 'hbars')
  bars.forEach((b, i) => {
    const y = top + i * rowH
    const w = (b.value / max) * span
    const shown = b.valueText ?? String(b.value)
    out +=
      `<text class="chart-label" x="${labelW - 6}" y="${num(y + barH / 2 + 5)}" text-anchor="end" font-size="13" fill="currentColor">${escapeXml(b.label)}</text>` +
      `<rect class="bar bar-${i}" x="${labelW}" y="${y}" width="${num(w)}" height="${barH}" fill="#0f5c4d">` +
      `<title>${escapeXml(`${b.label}: ${shown}`)}</title></rect>` +
      `<text class="chart-value" x="${num(labelW + w + 5)}" y="${num(y + barH / 2 + 5)}" font-size="13" fill="currentColor">${escapeXml(shown)}</text>`
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
  const width = 400
  const left = 34
  const right = 6
  const top = 26
  const plotH = 150
  const axisH = 22
  const height = top + plotH + axisH
  const max = Math.max(1, ...groups.flatMap((g) => g.values))
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
    lx += 14 + s.name.length * 7 + 16
  }
  const base = top + plotH
  out +=
    `<line class="chart-axis" x1="${left}" y1="${base}" x2="${width - right}" y2="${base}" stroke="currentColor" stroke-width="1"/>` +
    `<line class="chart-grid" x1="${left}" y1="${top}" x2="${width - right}" y2="${top}" stroke="#d9dee3" stroke-width="1"/>` +
    `<text class="chart-tick" x="${left - 4}" y="${top + 4}" text-anchor="end" font-size="10" fill="currentColor">${max}</text>` +
    `<text class="chart-tick" x="${left - 4}" y="${base}" text-anchor="end" font-size="10" fill="currentColor">0</text>`
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
      out += `<text class="chart-tick" x="${num(gx)}" y="${base + 15}" font-size="10" fill="currentColor">${escapeXml(g.label)}</text>`
    }
  })
  return out + '</svg>'
}
