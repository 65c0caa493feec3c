// Two-factor sign-in: the code step, setting up an authenticator app, recovery codes, and the
// administrator's reset.
export const en = {
  'twoFactor.code.title': 'Enter your sign-in code',
  'twoFactor.code.lead':
    'Open the authenticator app on your phone and enter the 6-digit code it shows for Ladder.',
  'twoFactor.code.label': 'Code',
  'twoFactor.code.hint': 'Lost your phone? Enter one of your recovery codes instead.',
  'twoFactor.code.submit': 'Continue',
  'twoFactor.code.restart': 'Start again with your password',
  'twoFactor.wrongCode': 'That code is not right. Check your app’s code, or use a recovery code.',
  'twoFactor.usedCode':
    'That code has been used already. Wait for your app to show the next one, or use another recovery code.',
  'twoFactor.expired': 'Your sign-in took too long. Please enter your email and password again.',
  'twoFactor.enrol.title': 'Set up two-factor sign-in',
  'twoFactor.enrol.required':
    'Your account can see unmasked numbers and ID documents, so it needs a second factor. Set it up now to continue.',
  'twoFactor.enrol.step1':
    'Install an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator, FreeOTP or 1Password).',
  'twoFactor.enrol.step2': 'In the app, add an account and scan this QR code.',
  'twoFactor.enrol.qrAlt': 'QR code for setting up Ladder in an authenticator app',
  'twoFactor.enrol.manual': 'Cannot scan? Enter this key by hand (time-based, 6 digits):',
  'twoFactor.enrol.step3': 'Enter the 6-digit code the app now shows for Ladder.',
  'twoFactor.enrol.code': 'Code from the app',
  'twoFactor.enrol.currentCode': 'Code from your current app (or a recovery code)',
  'twoFactor.enrol.currentHint': 'Needed to move your second factor to a new phone.',
  'twoFactor.enrol.submit': 'Switch on',
  'twoFactor.enrol.expired':
    'The key shown has expired. Scan the new QR code below and enter its code.',
  'twoFactor.enrol.currentWrong': 'The code from your current app is not right.',
  'twoFactor.enrol.currentUsed':
    'The code from your current app has been used already. Wait for the next one.',
  'twoFactor.recovery.title': 'Your recovery codes',
  'twoFactor.recovery.done': 'Two-factor sign-in is on.',
  'twoFactor.recovery.lead':
    'Each of these codes signs you in once if you lose your phone. Keep them somewhere safe, away from your password: this is the only time they are shown.',
  'twoFactor.recovery.replaced': 'Any recovery codes you had before no longer work.',
  'twoFactor.recovery.continue': 'I have saved them, continue',
  'twoFactor.account.nav': 'Two-factor',
  'twoFactor.account.title': 'Two-factor sign-in',
  'twoFactor.account.on': 'On since {date}.',
  'twoFactor.account.recoveryLeft': 'Unused recovery codes: {count}.',
  'twoFactor.account.newDevice': 'Set up a new phone and new recovery codes',
  'twoFactor.account.newDeviceLead':
    'Scan the new QR code with your new phone. Your current phone keeps working until you switch the new one on.',
  'admin.users.twoFactor': 'Two-factor',
  'admin.users.twoFactorOn': 'On',
  'admin.users.twoFactorOff': 'Not set up',
  'admin.users.twoFactorReset': 'Reset two-factor',
  'admin.users.twoFactorResetConfirm':
    'Reset this user’s two-factor sign-in? Their sessions end and they must set it up again at their next sign-in.',
  'admin.users.done.twoFactorReset':
    'Two-factor sign-in was reset; the user sets it up again at the next sign-in.',
  'admin.activity.user_2fa_reset': 'Reset the two-factor sign-in of {subject}',
} as const

export const zh: Record<keyof typeof en, string> = {
  'twoFactor.code.title': '输入登录验证码',
  'twoFactor.code.lead': '打开手机上的身份验证器应用，输入它为 Ladder 显示的 6 位验证码。',
  'twoFactor.code.label': '验证码',
  'twoFactor.code.hint': '手机丢失？请改为输入一个恢复码。',
  'twoFactor.code.submit': '继续',
  'twoFactor.code.restart': '重新输入密码登录',
  'twoFactor.wrongCode': '验证码不正确。请核对应用中的验证码，或使用恢复码。',
  'twoFactor.usedCode': '该验证码已使用过。请等待应用显示下一个验证码，或使用另一个恢复码。',
  'twoFactor.expired': '登录用时过长。请重新输入邮箱和密码。',
  'twoFactor.enrol.title': '设置两步验证',
  'twoFactor.enrol.required':
    '您的账户可以查看未打码的号码和身份证件，因此需要第二重验证。请立即设置后继续。',
  'twoFactor.enrol.step1':
    '在手机上安装身份验证器应用（例如 Google Authenticator、Microsoft Authenticator、FreeOTP 或 1Password）。',
  'twoFactor.enrol.step2': '在应用中添加账户并扫描此二维码。',
  'twoFactor.enrol.qrAlt': '在身份验证器应用中设置 Ladder 的二维码',
  'twoFactor.enrol.manual': '无法扫描？请手动输入此密钥（基于时间，6 位数字）：',
  'twoFactor.enrol.step3': '输入应用现在为 Ladder 显示的 6 位验证码。',
  'twoFactor.enrol.code': '应用中的验证码',
  'twoFactor.enrol.currentCode': '当前应用中的验证码（或恢复码）',
  'twoFactor.enrol.currentHint': '将第二重验证转移到新手机时需要。',
  'twoFactor.enrol.submit': '开启',
  'twoFactor.enrol.expired': '显示的密钥已过期。请扫描下面的新二维码并输入其验证码。',
  'twoFactor.enrol.currentWrong': '当前应用中的验证码不正确。',
  'twoFactor.enrol.currentUsed': '当前应用中的验证码已使用过。请等待下一个验证码。',
  'twoFactor.recovery.title': '您的恢复码',
  'twoFactor.recovery.done': '两步验证已开启。',
  'twoFactor.recovery.lead':
    '手机丢失时，每个恢复码可供登录一次。请将它们与密码分开妥善保存：它们只显示这一次。',
  'twoFactor.recovery.replaced': '您之前的恢复码已全部失效。',
  'twoFactor.recovery.continue': '我已保存，继续',
  'twoFactor.account.nav': '两步验证',
  'twoFactor.account.title': '两步验证',
  'twoFactor.account.on': '自 {date} 起已开启。',
  'twoFactor.account.recoveryLeft': '未使用的恢复码：{count} 个。',
  'twoFactor.account.newDevice': '设置新手机并生成新的恢复码',
  'twoFactor.account.newDeviceLead':
    '请用新手机扫描新的二维码。在开启新手机之前，当前手机仍然有效。',
  'admin.users.twoFactor': '两步验证',
  'admin.users.twoFactorOn': '已开启',
  'admin.users.twoFactorOff': '未设置',
  'admin.users.twoFactorReset': '重置两步验证',
  'admin.users.twoFactorResetConfirm':
    '确定重置该用户的两步验证吗？其会话将结束，下次登录时须重新设置。',
  'admin.users.done.twoFactorReset': '两步验证已重置；该用户下次登录时重新设置。',
  'admin.activity.user_2fa_reset': '重置了 {subject} 的两步验证',
}
