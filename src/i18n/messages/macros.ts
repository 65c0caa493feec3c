// Issue 21: macros (item 10), the header's clock line, the escalation's confirmation page and
// disputed proposals in facts and dossiers (item 11 b, c, d).
export const en = {
  'clockLine.body_accept': 'Clock running: the body must accept the case by {when} ({relative}).',
  'clockLine.body_accept.passed':
    'Overdue: the body had to accept the case by {when} ({relative}).',
  'clockLine.body_answer': 'Clock running: the body must answer by {when} ({relative}).',
  'clockLine.body_answer.passed': 'Overdue: the body had to answer by {when} ({relative}).',
  'clockLine.reminder':
    'No legal clock at this level; the agent’s reminder falls due {when} ({relative}).',
  'clockLine.reminder.passed':
    'No legal clock at this level; the agent’s reminder fell due {when} ({relative}).',
  'clockLine.no_clock': 'No clock runs at this level and no reminder is set: no deadline.',
  'clockLine.complainant_answer':
    'Clock paused while we wait for the complainant’s answer; no deadline runs meanwhile.',
  'clockLine.complainant_decision':
    'Clock paused while the complainant decides on the proposed resolution: they may accept or dispute it until {when} ({relative}).',
  'clockLine.complainant_decision.passed':
    'Clock paused: the complainant’s window to dispute the proposed resolution closed on {when} ({relative}).',
  'clockLine.stopped': 'No clock runs: the case is resolved or closed.',
  'clockLine.waiting.body': 'Waiting for: the outside body.',
  'clockLine.waiting.complainant': 'Waiting for: the complainant.',
  'clockLine.waiting.agent': 'Waiting for: us (the next step is the agent’s).',
} as const

export const zh: Record<keyof typeof en, string> = {
  'clockLine.body_accept': '计时中：机构受理期限为 {when}（{relative}）。',
  'clockLine.body_accept.passed': '已逾期：机构受理期限为 {when}（{relative}）。',
  'clockLine.body_answer': '计时中：机构答复期限为 {when}（{relative}）。',
  'clockLine.body_answer.passed': '已逾期：机构答复期限为 {when}（{relative}）。',
  'clockLine.reminder': '本级无法定时限；专员设置的提醒期限为 {when}（{relative}）。',
  'clockLine.reminder.passed': '本级无法定时限；专员设置的提醒已于 {when}（{relative}）到期。',
  'clockLine.no_clock': '本级无法定时限，也未设置提醒：无期限。',
  'clockLine.complainant_answer': '等待投诉人答复期间，计时暂停；暂停期间没有期限。',
  'clockLine.complainant_decision':
    '等待投诉人对解决方案作出决定，计时暂停：投诉人可在 {when}（{relative}）前接受或提出异议。',
  'clockLine.complainant_decision.passed':
    '计时暂停：投诉人对解决方案提出异议的期限已于 {when}（{relative}）结束。',
  'clockLine.stopped': '案件已解决或已结案，不再计时。',
  'clockLine.waiting.body': '正在等待：外部机构。',
  'clockLine.waiting.complainant': '正在等待：投诉人。',
  'clockLine.waiting.agent': '正在等待：我方（下一步由专员处理）。',
}
