// The ticket page's live parts: who else has it open.
export const en = {
  'presence.title': 'Also here',
  'presence.others': 'Also on this case now: {names}.',
  'presence.typing': '{name} is writing a reply.',
  'presence.separator': ', ',
}

export const zh: Record<keyof typeof en, string> = {
  'presence.title': '同时在看',
  'presence.others': '正在查看此案件的同事：{names}。',
  'presence.typing': '{name} 正在撰写回复。',
  'presence.separator': '、',
}
