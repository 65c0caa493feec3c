// Issue 21, item 11: staff wording kept apart from the complainant's (`status.*` speaks to the
// complainant), the header's clock sentences, the escalation's confirmation.
export const en = {
  'staffStatus.new': 'New',
  'staffStatus.open': 'Open',
  'staffStatus.waiting_complainant': 'Waiting on the complainant',
  'staffStatus.waiting_body': 'Waiting on the outside body',
  'staffStatus.resolution_proposed': 'Resolution proposed',
  'staffStatus.resolved': 'Resolved',
  'staffStatus.closed': 'Closed',
  'staffStatus.withdrawn': 'Withdrawn by the complainant',
  'refusal.deadline_not_passed':
    'The body’s deadline has not passed yet: “no answer in time” cannot be the reason.',
  'escalate.choose': 'Choose a reason',
  'escalate.to': 'Escalate to {level}',
} as const

export const zh: Record<keyof typeof en, string> = {
  'staffStatus.new': '新投诉',
  'staffStatus.open': '处理中',
  'staffStatus.waiting_complainant': '等待投诉人补充',
  'staffStatus.waiting_body': '等待外部机构答复',
  'staffStatus.resolution_proposed': '已提出解决方案',
  'staffStatus.resolved': '已解决',
  'staffStatus.closed': '已结案',
  'staffStatus.withdrawn': '投诉人已撤回',
  'refusal.deadline_not_passed': '机构的答复时限尚未届满，不能以“逾期未答复”为理由。',
  'escalate.choose': '请选择理由',
  'escalate.to': '升级至{level}',
}
