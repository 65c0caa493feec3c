// Messages of the reliability layer: what a user sees when the database is held by another process.
export const en = {
  'reliability.busy': 'Ladder is busy right now and saved nothing. Please try again in a moment.',
} as const

export const zh: Record<keyof typeof en, string> = {
  'reliability.busy': 'Ladder 当前繁忙，本次操作未保存任何内容。请稍后重试。',
}
