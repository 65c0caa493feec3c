// Staff accounts: the password rule, password reset by email, and invitations (the admin's
// side and the invitee's).
export const en = {
  'password.hint':
    'At least 8 characters, with a letter and a digit or symbol. Not a common password, and not your name or email address.',
  'password.rule.tooLong': 'At most 200 characters.',
  'password.rule.repetitive': 'Use at least 5 different characters.',
  'password.rule.personal': 'Do not use your name or the part of your email address before the @.',
  'password.rule.common':
    'This password is on the list of common passwords that attackers try first. Choose another one.',

  'password.forgot.link': 'Forgot your password?',
  'password.forgot.title': 'Reset your password',
  'password.forgot.lead':
    'Enter the email address of your staff account. We send a link to choose a new password; it works once, for 30 minutes.',
  'password.forgot.email': 'Email',
  'password.forgot.submit': 'Send the link',
  'password.forgot.sent.title': 'Check your email',
  'password.forgot.sent.body':
    'If a staff account uses this address, an email with a link to choose a new password is on its way. The link works once, for 30 minutes.',
  'password.forgot.sent.more':
    'No email after a few minutes? Look in the spam folder, or ask an administrator.',
  'password.reset.title': 'Choose a new password',
  'password.reset.lead':
    'For the account {email}. Once it is changed, every device signed in to this account is signed out.',
  'password.reset.password': 'New password',
  'password.reset.passwordConfirm': 'New password again',
  'password.reset.submit': 'Change the password',
  'password.reset.invalid':
    'This link is not valid any more: it was used already, it expired (links work for 30 minutes), or the account is no longer active.',
  'password.reset.again': 'Ask for a new link',
  'login.passwordChanged':
    'Your password was changed and every session of the account was ended. Sign in with the new password.',
  'login.accountCreated':
    'Your account is ready. Sign in with your email address and the password you chose.',

  'invitation.title': 'Join Ladder',
  'invitation.lead':
    'You are invited with the role {role} and the address {email}. Choose your password to create the account.',
  'invitation.name': 'Your name',
  'invitation.password': 'Password',
  'invitation.passwordConfirm': 'Password again',
  'invitation.submit': 'Create my account',
  'invitation.invalid':
    'This invitation is not valid any more: it was used already, it expired, it was revoked, or a newer email replaced it. Ask the administrator who invited you to send it again.',
  'invitation.emailTaken':
    'An account with this address exists already. Sign in, or reset its password.',

  'admin.users.inviteTitle': 'Invite a user',
  'admin.users.inviteLead':
    'The person gets an email with a link to choose their own password. The link works once, for 7 days.',
  'admin.users.inviteSubmit': 'Send the invitation',
  'admin.users.done.invited': 'The invitation was sent.',
  'admin.users.done.resent': 'The invitation was sent again; the earlier link no longer works.',
  'admin.users.done.revoked': 'The invitation was revoked.',
  'admin.invitations.title': 'Open invitations',
  'admin.invitations.none': 'No open invitations.',
  'admin.invitations.invitedBy': 'Invited by',
  'admin.invitations.waiting': 'Waiting; the link works until {date}',
  'admin.invitations.expired': 'Expired on {date}',
  'admin.invitations.resend': 'Send again',
  'admin.invitations.revoke': 'Revoke',
  'admin.invitations.revokeConfirm': 'Revoke this invitation? Its link stops working at once.',
  'admin.invitations.alreadyInvited':
    'An invitation to this address is waiting. Send it again from the list of open invitations.',
  'admin.invitations.closed': 'This invitation was accepted or revoked already.',
  'admin.invitations.emailTaken':
    'A user with this address exists already, so the invitation cannot be sent.',
  'admin.activity.user_invited': 'Invited {subject} as {role}',
  'admin.activity.invitation_resent': 'Sent the invitation of {subject} again',
  'admin.activity.invitation_revoked': 'Revoked the invitation of {subject}',
  'admin.activity.invitation_accepted': '{subject} accepted the invitation as {role}',

  'mail.reset.subject': 'Choose a new Ladder password',
  'mail.reset.intro':
    'Someone, probably you, asked to reset the password of your Ladder staff account {email}.',
  'mail.reset.link': 'Choose a new password with this link. It works once, until {date}:',
  'mail.reset.ignore':
    'If you did not ask for this, ignore this email: your password stays as it is.',
  'mail.resetUnknown.subject': 'Password reset asked for at Ladder',
  'mail.resetUnknown.intro':
    'Someone asked to reset the Ladder password of this address, {email}, but no active staff account uses it.',
  'mail.resetUnknown.after':
    'If it was you, your account may use another address: ask an administrator. If not, ignore this email.',
  'mail.passwordChanged.subject': 'Your Ladder password was changed',
  'mail.passwordChanged.body':
    'The password of your Ladder staff account {email} was changed on {date}, and every session of the account was ended.',
  'mail.passwordChanged.notYou': 'If you did not do this, tell an administrator at once.',
  'mail.invitation.subject': 'You are invited to Ladder',
  'mail.invitation.intro':
    '{inviter} invites you to Ladder, the complaint desk, with the role {role}.',
  'mail.invitation.link': 'Choose your password with this link. It works once, until {date}:',
  'mail.invitation.ignore': 'If you did not expect this invitation, ignore this email.',
}

export const zh: Record<keyof typeof en, string> = {
  'password.hint':
    '至少 8 个字符，包含字母以及数字或符号；不能是常见密码，也不能包含您的姓名或邮箱地址。',
  'password.rule.tooLong': '最多 200 个字符。',
  'password.rule.repetitive': '请至少使用 5 个不同的字符。',
  'password.rule.personal': '请不要使用您的姓名或邮箱地址中 @ 之前的部分。',
  'password.rule.common': '该密码在常见密码列表中，攻击者会最先尝试。请另选一个。',

  'password.forgot.link': '忘记密码？',
  'password.forgot.title': '重设密码',
  'password.forgot.lead':
    '请输入您工作人员账户的邮箱。我们会发送一个设置新密码的链接，该链接仅可使用一次，30 分钟内有效。',
  'password.forgot.email': '邮箱',
  'password.forgot.submit': '发送链接',
  'password.forgot.sent.title': '请查收邮件',
  'password.forgot.sent.body':
    '如果有工作人员账户使用该邮箱，设置新密码的链接已在发送途中。该链接仅可使用一次，30 分钟内有效。',
  'password.forgot.sent.more': '几分钟后仍未收到？请查看垃圾邮件文件夹，或联系管理员。',
  'password.reset.title': '设置新密码',
  'password.reset.lead': '账户：{email}。密码修改后，所有已登录该账户的设备都将退出登录。',
  'password.reset.password': '新密码',
  'password.reset.passwordConfirm': '再次输入新密码',
  'password.reset.submit': '修改密码',
  'password.reset.invalid':
    '此链接已失效：它已被使用、已过期（链接 30 分钟内有效），或该账户已停用。',
  'password.reset.again': '重新申请链接',
  'login.passwordChanged': '密码已修改，该账户的所有登录会话均已结束。请使用新密码登录。',
  'login.accountCreated': '您的账户已创建。请使用您的邮箱和刚设置的密码登录。',

  'invitation.title': '加入 Ladder',
  'invitation.lead': '您受邀以{role}身份加入，邮箱为 {email}。请设置密码以创建账户。',
  'invitation.name': '您的姓名',
  'invitation.password': '密码',
  'invitation.passwordConfirm': '再次输入密码',
  'invitation.submit': '创建我的账户',
  'invitation.invalid':
    '此邀请已失效：它已被使用、已过期、已被撤销，或已被更新的邮件取代。请联系邀请您的管理员重新发送。',
  'invitation.emailTaken': '该邮箱已有账户。请直接登录，或重设其密码。',

  'admin.users.inviteTitle': '邀请用户',
  'admin.users.inviteLead':
    '对方会收到一封邮件，通过其中的链接自行设置密码。该链接仅可使用一次，7 天内有效。',
  'admin.users.inviteSubmit': '发送邀请',
  'admin.users.done.invited': '邀请已发送。',
  'admin.users.done.resent': '邀请已重新发送，之前的链接已失效。',
  'admin.users.done.revoked': '邀请已撤销。',
  'admin.invitations.title': '待接受的邀请',
  'admin.invitations.none': '暂无待接受的邀请。',
  'admin.invitations.invitedBy': '邀请人',
  'admin.invitations.waiting': '等待接受；链接有效期至 {date}',
  'admin.invitations.expired': '已于 {date} 过期',
  'admin.invitations.resend': '重新发送',
  'admin.invitations.revoke': '撤销',
  'admin.invitations.revokeConfirm': '确定撤销此邀请？其链接将立即失效。',
  'admin.invitations.alreadyInvited': '该邮箱已有待接受的邀请。请在待接受的邀请列表中重新发送。',
  'admin.invitations.closed': '此邀请已被接受或已撤销。',
  'admin.invitations.emailTaken': '该邮箱已有用户，无法发送邀请。',
  'admin.activity.user_invited': '邀请 {subject} 担任{role}',
  'admin.activity.invitation_resent': '重新发送了给 {subject} 的邀请',
  'admin.activity.invitation_revoked': '撤销了给 {subject} 的邀请',
  'admin.activity.invitation_accepted': '{subject} 接受了邀请，角色为{role}',

  'mail.reset.subject': '设置新的 Ladder 密码',
  'mail.reset.intro': '有人（可能是您本人）申请重设您的 Ladder 工作人员账户 {email} 的密码。',
  'mail.reset.link': '请通过以下链接设置新密码。该链接仅可使用一次，有效期至 {date}：',
  'mail.reset.ignore': '如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。',
  'mail.resetUnknown.subject': 'Ladder 密码重设申请',
  'mail.resetUnknown.intro':
    '有人为邮箱 {email} 申请重设 Ladder 密码，但没有在用的工作人员账户使用该邮箱。',
  'mail.resetUnknown.after':
    '如果是您本人，您的账户可能使用其他邮箱，请联系管理员。如果不是，请忽略此邮件。',
  'mail.passwordChanged.subject': '您的 Ladder 密码已修改',
  'mail.passwordChanged.body':
    '您的 Ladder 工作人员账户 {email} 的密码已于 {date} 修改，该账户的所有登录会话均已结束。',
  'mail.passwordChanged.notYou': '如果这不是您本人的操作，请立即告知管理员。',
  'mail.invitation.subject': '邀请您加入 Ladder',
  'mail.invitation.intro': '{inviter} 邀请您以{role}身份加入 Ladder 投诉处理平台。',
  'mail.invitation.link': '请通过以下链接设置密码。该链接仅可使用一次，有效期至 {date}：',
  'mail.invitation.ignore': '如果您没有预期收到此邀请，请忽略此邮件。',
}
