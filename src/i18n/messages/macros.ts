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
  'escalateConfirm.title': 'Escalate {case}?',
  'escalateConfirm.heading': 'Escalate to {level}?',
  'escalateConfirm.irreversible':
    'An escalation cannot be undone: the case moves to the next body and its deadline starts again there.',
  'escalateConfirm.case': 'Case',
  'escalateConfirm.from': 'From',
  'escalateConfirm.to': 'To',
  'escalateConfirm.reason': 'Reason',
  'escalateConfirm.mailed': 'The complainant will be emailed that the case has gone to this body.',
  'escalateConfirm.notMailed':
    'The complainant gave no email address: they will see the escalation on their tracking page.',
  'escalateConfirm.cancel': 'Back to the case',
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
  'escalateConfirm.title': '升级 {case}？',
  'escalateConfirm.heading': '升级至{level}？',
  'escalateConfirm.irreversible': '升级后无法撤销：案件将转交下一级机构，并在该级重新计时。',
  'escalateConfirm.case': '案件',
  'escalateConfirm.from': '当前层级',
  'escalateConfirm.to': '升级至',
  'escalateConfirm.reason': '原因',
  'escalateConfirm.mailed': '系统将发送邮件告知投诉人：案件已转交该机构。',
  'escalateConfirm.notMailed': '投诉人未留电子邮箱：投诉人将在案件跟踪页看到此次升级。',
  'escalateConfirm.cancel': '返回案件',
}
