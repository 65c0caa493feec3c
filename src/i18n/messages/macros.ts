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
  'macros.done.added': 'The macro was added.',
  'macros.done.saved': 'The macro was saved.',
  'macros.done.deleted': 'The macro was deleted.',
  'macros.linkHint': 'Named sets of steps agents apply to a case in one action.',
  'macros.placeholdersHint':
    'Optional. {case} is replaced by the case number and {name} by the complainant’s name.',
  'macros.outcomeHint': 'Only when the macro closes the case.',
  'macros.outcome.none': 'No closing',
  'macros.deleteNamed': 'Delete the macro {name}',
  'macros.apply.choose': 'Choose a macro.',
  'macros.apply.hint':
    'Applies every step at once, each through the usual rules; if one is refused, nothing is applied.',
  'macros.nothingToDo': 'Nothing was applied: every step of “{name}” is already in place.',
  'macros.event': 'Macro “{name}”',
  'admin.activity.macro_added': 'Added the macro {subject}',
  'admin.activity.macro_saved': 'Changed the macro {subject}',
  'admin.activity.macro_deleted': 'Deleted the macro {subject}',
  'dossier.proposal': 'Proposed resolution',
  'dossier.proposal.withAmount': '{relief}, {amount}',
  'dossier.proposal.pending': 'Proposed on {proposed}: {what}. Awaiting the complainant’s answer.',
  'dossier.proposal.disputed':
    'Proposed on {proposed}: {what}. Disputed by the complainant on {disputed}: not the outcome, nothing recovered.',
  'dossier.proposal.lapsed': 'Proposed on {proposed}: {what}. Not accepted.',
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
  'macros.done.added': '已添加宏。',
  'macros.done.saved': '已保存宏。',
  'macros.done.deleted': '已删除宏。',
  'macros.linkHint': '专员一次操作即可对案件执行的一组命名步骤。',
  'macros.placeholdersHint': '选填。{case} 会替换为案件编号，{name} 会替换为投诉人姓名。',
  'macros.outcomeHint': '仅在宏关闭案件时使用。',
  'macros.outcome.none': '不关闭',
  'macros.deleteNamed': '删除宏 {name}',
  'macros.apply.choose': '请选择一个宏。',
  'macros.apply.hint': '一次执行全部步骤，每一步都按常规规则办理；任何一步被拒绝，则全部不执行。',
  'macros.nothingToDo': '未执行任何步骤：“{name}”的每一步都已生效。',
  'macros.event': '宏“{name}”',
  'admin.activity.macro_added': '添加了宏 {subject}',
  'admin.activity.macro_saved': '修改了宏 {subject}',
  'admin.activity.macro_deleted': '删除了宏 {subject}',
  'dossier.proposal': '解决方案提议',
  'dossier.proposal.withAmount': '{relief}，{amount}',
  'dossier.proposal.pending': '于 {proposed} 提出：{what}。等待投诉人答复。',
  'dossier.proposal.disputed':
    '于 {proposed} 提出：{what}。投诉人已于 {disputed} 提出异议：并非最终结果，未追回任何款项。',
  'dossier.proposal.lapsed': '于 {proposed} 提出：{what}。未被接受。',
}
