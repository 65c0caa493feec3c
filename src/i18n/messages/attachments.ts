// Files staff send with a reply, a request or a proposal, and the evidence viewer (issue 21,
// items 8 and 9).
export const en = {
  'attachments.field': 'Attach files (sent to the complainant)',
  'attachments.refused':
    'Nothing was sent: a file could not be accepted. Your text is kept below; choose the files again.',
  'attachments.refused.tooLarge':
    'Nothing was sent: a file is too large. Your text is kept below; choose the files again.',
  'attachments.fromUs': 'Sent by us',
  'attachments.sentBy': 'Sent by us ({name})',
  'attachments.timeline.sent': 'Files sent to the complainant ({n}):',
  'attachments.timeline.files': 'Files ({n}):',
  'attachments.track.fromOffice': 'From the complaints office',
  'attachments.track.yours': 'Sent by you',
  'attachments.track.files': 'Files ({n}):',
  'attachments.mail.title': 'Files sent with this message (open each through your case page):',
  'attachments.mail.item': '{name} ({size})',
  'preview.open': 'Preview',
  'preview.download': 'Download',
  'preview.close': 'Close',
  'preview.frameTitle': 'Preview of {name}',
  'preview.textCut': 'Only the first {kb} KB are shown. Download the file for the rest.',
}

export const zh: Record<keyof typeof en, string> = {
  'attachments.field': '附加文件（将发送给投诉人）',
  'attachments.refused':
    '未发送任何内容：有文件无法接受。您输入的文字已保留在下方，请重新选择文件。',
  'attachments.refused.tooLarge':
    '未发送任何内容：有文件过大。您输入的文字已保留在下方，请重新选择文件。',
  'attachments.fromUs': '我方发送',
  'attachments.sentBy': '我方发送（{name}）',
  'attachments.timeline.sent': '发送给投诉人的文件（{n} 个）：',
  'attachments.timeline.files': '文件（{n} 个）：',
  'attachments.track.fromOffice': '来自投诉处理人员',
  'attachments.track.yours': '您上传的',
  'attachments.track.files': '文件（{n} 个）：',
  'attachments.mail.title': '随此消息发送的文件（请通过您的案件页面打开）：',
  'attachments.mail.item': '{name}（{size}）',
  'preview.open': '预览',
  'preview.download': '下载',
  'preview.close': '关闭',
  'preview.frameTitle': '{name} 的预览',
  'preview.textCut': '仅显示前 {kb} KB。如需完整内容，请下载文件。',
}
