// The ticket page's live parts: who else has it open, previews of evidence, and files staff send.
export const en = {
  'presence.title': 'Also here',
  'presence.others': 'Also on this case now: {names}.',
  'presence.typing': '{name} is writing a reply.',
  'presence.alone': 'Nobody else has this case open.',
  'presence.separator': ', ',
  'preview.open': 'Preview',
  'preview.title': 'Preview of {name}',
  'preview.download': 'Download',
  'preview.back': 'Back to the case',
  'preview.pdfFrame': 'PDF: {name}',
  'preview.truncated': 'Only the first {size} are shown. Download the file for the whole text.',
  'preview.none': 'This file type has no preview. Download it instead.',
  'attachments.label': 'Attach files (optional)',
  'attachments.hint':
    'PNG, JPEG, WebP, GIF, PDF, text or CSV; up to {files} files of {mb} MB each.',
  'attachments.fromUs': 'Sent by us',
}

export const zh: Record<keyof typeof en, string> = {
  'presence.title': '同时在看',
  'presence.others': '正在查看此案件的同事：{names}。',
  'presence.typing': '{name} 正在撰写回复。',
  'presence.alone': '暂无其他同事打开此案件。',
  'presence.separator': '、',
  'preview.open': '预览',
  'preview.title': '预览：{name}',
  'preview.download': '下载',
  'preview.back': '返回案件',
  'preview.pdfFrame': 'PDF：{name}',
  'preview.truncated': '仅显示前 {size}。完整内容请下载文件。',
  'preview.none': '此类文件无法预览，请下载查看。',
  'attachments.label': '附件（可选）',
  'attachments.hint':
    '支持 PNG、JPEG、WebP、GIF、PDF、文本或 CSV；最多 {files} 个文件，每个不超过 {mb} MB。',
  'attachments.fromUs': '由我方发送',
}
