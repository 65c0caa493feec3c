// Kept local so this module does not depend on src/i18n; structurally the same as a Locale map.
export type Text = { 'zh-CN': string; en: string }

export const CATEGORY_KEYS = [
  'payment_failed',
  'refund_not_received',
  'termination_failed',
  'closure_failed',
  'activation_failed',
  'account_compromised',
  'other',
] as const

export type CategoryKey = (typeof CATEGORY_KEYS)[number]

export interface SelfHelpItem {
  key: string
  text: Text
}

export interface CannedReply {
  key: string
  title: Text
  body: Text
}

export interface Category {
  key: CategoryKey
  title: Text
  summary: Text
  typicalCauses: Text[]
  selfHelp: SelfHelpItem[]
  cannedReplies: CannedReply[]
}

export const CATEGORIES: readonly Category[] = [
  {
    key: 'payment_failed',
    title: { 'zh-CN': '支付失败', en: 'Payment failed' },
    summary: {
      'zh-CN': '支付没成功，钱可能已被扣',
      en: 'My payment did not go through, and the money may have been taken anyway.',
    },
    typicalCauses: [
      { 'zh-CN': '网络中断或信号不稳定', en: 'The network dropped or the signal was weak' },
      { 'zh-CN': '账户余额不足', en: 'The balance was too low' },
      {
        'zh-CN': '未完成指纹、验证码等安全验证，或设备存在安全隐患被系统拦截',
        en: 'A security check (fingerprint, SMS code) was not completed, or the device was flagged as unsafe',
      },
      { 'zh-CN': '商家不支持该数字钱包', en: 'The merchant does not accept this wallet' },
      {
        'zh-CN': '服务商进行系统维护或更新，服务暂时中断',
        en: 'The provider was doing maintenance or an update',
      },
    ],
    selfHelp: [
      {
        key: 'switch_network_retry',
        text: {
          'zh-CN': '切换网络（Wi-Fi 与移动数据互换）后重新尝试支付',
          en: 'Switched between Wi-Fi and mobile data and tried again',
        },
      },
      {
        key: 'check_balance',
        text: {
          'zh-CN': '确认账户余额足够支付',
          en: 'Checked that the balance was enough for the payment',
        },
      },
      {
        key: 'check_security_settings',
        text: {
          'zh-CN': '检查指纹、密码等安全设置是否正常',
          en: 'Checked that the security settings (fingerprint, password) work',
        },
      },
      {
        key: 'restart_relogin',
        text: { 'zh-CN': '重启应用或重新登录账户', en: 'Restarted the app or logged in again' },
      },
      {
        key: 'confirm_merchant_accepts',
        text: {
          'zh-CN': '确认商家支持该数字钱包',
          en: 'Checked that the merchant accepts this wallet',
        },
      },
      {
        key: 'check_maintenance_retry_later',
        text: {
          'zh-CN': '查看官网或社交媒体是否有维护通知，稍后再试',
          en: 'Looked for a maintenance notice on the website or social media and tried again later',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_payment_details',
        title: { 'zh-CN': '请求补充支付信息', en: 'Ask for the payment details' },
        body: {
          'zh-CN':
            '您好，感谢您的反馈。为了尽快向服务商核实，请提供这笔支付的交易时间、金额、支付方式和商家名称，以及支付失败提示和扣款记录的截图。谢谢您的配合。',
          en: 'Hello, and thank you for contacting us. So that we can check this with the provider quickly, please send the time, amount, payment method and merchant of the payment, plus screenshots of the failure message and of any deduction. Thank you.',
        },
      },
      {
        key: 'suggest_payment_checks',
        title: { 'zh-CN': '建议先自行排查', en: 'Suggest the usual checks' },
        body: {
          'zh-CN':
            '您好，支付失败常见的原因包括网络不稳定、余额不足、安全验证未完成、商家不支持该钱包或服务商系统维护。建议您切换网络后重试，确认余额和安全设置，并查看官方是否有维护通知。如果钱已被扣但支付未成功，请告诉我们，我们会继续跟进。',
          en: 'Hello. Payments usually fail because of an unstable network, a low balance, an unfinished security check, a merchant that does not accept the wallet, or provider maintenance. Please try again on another network, check your balance and security settings, and look for a maintenance notice. If money was taken but the payment failed, let us know and we will follow it up.',
        },
      },
    ],
  },
  {
    key: 'refund_not_received',
    title: { 'zh-CN': '退款/还款不到账', en: 'Refund or repayment not received' },
    summary: {
      'zh-CN': '退款或还款迟迟没有到账',
      en: 'A refund or repayment I am owed has not arrived.',
    },
    typicalCauses: [
      {
        'zh-CN': '服务商技术故障，如系统崩溃、网络连接问题',
        en: 'A technical fault at the provider, such as a system crash or network problem',
      },
      {
        'zh-CN': '账户被盗，资金被转移或使用',
        en: 'The account was stolen and the money moved or spent',
      },
      {
        'zh-CN': '商家退款操作不当',
        en: 'The merchant handled the refund wrongly',
      },
      {
        'zh-CN': '用户信息填写错误，导致退款无法处理',
        en: 'Wrong details were entered, so the refund could not be processed',
      },
      {
        'zh-CN': '服务商政策变更，影响正常的资金操作',
        en: 'The provider changed its policy, which blocked normal transfers',
      },
    ],
    selfHelp: [
      {
        key: 'check_refund_status',
        text: {
          'zh-CN': '查看交易状态，确认退款或还款是否已经发起',
          en: 'Checked the transaction status to see whether the refund or repayment was started',
        },
      },
      {
        key: 'check_processing_time',
        text: {
          'zh-CN': '确认是否已超过正常处理时间',
          en: 'Checked whether the normal processing time has passed',
        },
      },
      {
        key: 'contact_support',
        text: {
          'zh-CN': '联系数字钱包客服，询问具体原因及解决方案',
          en: "Contacted the wallet's support and asked why, and what they will do",
        },
      },
      {
        key: 'keep_records',
        text: {
          'zh-CN': '保留所有交易记录、聊天记录等证据',
          en: 'Kept all transaction records and chat records as evidence',
        },
      },
      {
        key: 'note_support_answers',
        text: {
          'zh-CN': '记录客服给出的解决方案和处理进度',
          en: 'Wrote down the solution and progress that support gave',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_refund_evidence',
        title: {
          'zh-CN': '请求交易记录和退款状态截图',
          en: 'Ask for the records and refund status',
        },
        body: {
          'zh-CN':
            '您好，感谢您的耐心。为了向服务商核实，请提供这笔交易的交易记录（交易时间、金额），以及退款或还款状态页面的截图；如已联系过客服，也请一并提供聊天记录。谢谢。',
          en: 'Hello, and thank you for your patience. To check this with the provider, please send the transaction record (time and amount) and a screenshot of the refund or repayment status page. If you have already contacted support, please include the chat record too. Thank you.',
        },
      },
      {
        key: 'explain_processing_time',
        title: { 'zh-CN': '说明正常处理时间', en: 'Explain the normal processing time' },
        body: {
          'zh-CN':
            '您好，退款或还款发起后通常需要一段处理时间才能到账，具体时限以服务商公布的规则为准。如果已超过正常处理时间仍未到账，请告诉我们，我们会联系服务商查明原因并跟进处理进度。',
          en: 'Hello. After a refund or repayment is started it usually takes some processing time to arrive; the exact period is set by the provider. If the normal processing time has passed and the money has still not arrived, please tell us and we will ask the provider why and follow up on progress.',
        },
      },
    ],
  },
  {
    key: 'termination_failed',
    title: { 'zh-CN': '解约失败', en: 'Could not end the service' },
    summary: {
      'zh-CN': '想解约或解绑，但一直办不成',
      en: 'I want to end or unbind the wallet service, but it keeps failing.',
    },
    typicalCauses: [
      {
        'zh-CN': '账户余额未结清，或有未完成的交易',
        en: 'The balance is not settled or a transaction is still pending',
      },
      {
        'zh-CN': '身份验证未通过，如输错密码',
        en: 'Identity verification failed, for example a wrong password',
      },
      {
        'zh-CN': '服务条款限制，如使用时间、交易频率等条件',
        en: 'The terms restrict ending the service, such as a minimum usage time or transaction frequency',
      },
      { 'zh-CN': '平台技术故障或维护', en: 'A technical fault or maintenance on the platform' },
      {
        'zh-CN': '无法联系到客服，或客服响应不及时',
        en: 'Support could not be reached or did not answer in time',
      },
    ],
    selfHelp: [
      {
        key: 'clear_balance',
        text: {
          'zh-CN': '将余额提现或消费，直至余额为零',
          en: 'Withdrew or spent the balance down to zero',
        },
      },
      {
        key: 'wait_pending_transactions',
        text: {
          'zh-CN': '等未完成的交易完成后再尝试解约',
          en: 'Waited for pending transactions to finish, then tried again',
        },
      },
      {
        key: 'pass_identity_verification',
        text: {
          'zh-CN': '完成身份验证（忘记密码时使用找回密码功能，必要时提供额外的身份证件）',
          en: 'Completed identity verification (reset the password if forgotten, gave an extra ID document if asked)',
        },
      },
      {
        key: 'read_terms',
        text: {
          'zh-CN': '查阅服务条款，确认自己符合解约条件',
          en: 'Read the terms of service to check that I meet the conditions for ending it',
        },
      },
      {
        key: 'wait_for_fix',
        text: {
          'zh-CN': '关注官方信息发布，等待技术问题解决',
          en: 'Followed the official notices and waited for the technical fault to be fixed',
        },
      },
      {
        key: 'contact_support',
        text: {
          'zh-CN': '通过客服电话、在线客服或官方社区联系客服',
          en: 'Contacted support by phone, online chat or the official community',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_account_state',
        title: { 'zh-CN': '确认余额和交易状态', en: 'Ask about balance and pending transactions' },
        body: {
          'zh-CN':
            '您好，感谢您的反馈。解约前通常需要余额为零且没有未完成的交易。请确认账户余额和交易状态，并提供解约失败提示的截图，以便我们向服务商核实。',
          en: 'Hello, and thank you for writing. Ending the service usually requires a zero balance and no pending transactions. Please check your balance and transactions, and send a screenshot of the error you got, so that we can check it with the provider.',
        },
      },
      {
        key: 'explain_terms_check',
        title: { 'zh-CN': '说明将核对服务条款', en: 'Explain the terms check' },
        body: {
          'zh-CN':
            '您好，部分数字钱包的服务条款对解约设有条件，例如使用时间或交易频率的限制。我们会核对相关条款，并向服务商询问拒绝解约的具体原因。如服务商曾给出说明或受理编号，请告诉我们。',
          en: 'Hello. Some wallets set conditions for ending the service in their terms, such as a minimum usage time or transaction frequency. We will check the terms and ask the provider exactly why your request was refused. If the provider gave you an explanation or a reference number, please pass it on.',
        },
      },
    ],
  },
  {
    key: 'closure_failed',
    title: { 'zh-CN': '注销出错', en: 'Could not close the account' },
    summary: {
      'zh-CN': '想注销钱包账户，但注销时出错',
      en: 'I tried to close my wallet account but got an error.',
    },
    typicalCauses: [
      {
        'zh-CN': '短信验证码或密码验证失败',
        en: 'The SMS code or password check failed',
      },
      {
        'zh-CN': '账户余额未提取或转移',
        en: 'The balance was not withdrawn or transferred',
      },
      { 'zh-CN': '应用版本过旧', en: 'The app version is too old' },
      { 'zh-CN': '网络连接不稳定或过慢', en: 'The network connection was unstable or slow' },
      { 'zh-CN': '系统维护或故障', en: 'System maintenance or a fault' },
    ],
    selfHelp: [
      {
        key: 'resend_code',
        text: {
          'zh-CN': '确认验证码输入无误，或请求重新发送验证码',
          en: 'Checked the verification code carefully or asked for a new one',
        },
      },
      {
        key: 'clear_balance',
        text: {
          'zh-CN': '将账户余额提取或转出',
          en: 'Withdrew or transferred the balance',
        },
      },
      {
        key: 'update_app',
        text: { 'zh-CN': '将应用更新到最新版本', en: 'Updated the app to the latest version' },
      },
      {
        key: 'stable_network',
        text: {
          'zh-CN': '使用稳定的 Wi-Fi 或移动数据再次尝试',
          en: 'Tried again on a stable Wi-Fi or mobile-data connection',
        },
      },
      {
        key: 'check_maintenance',
        text: {
          'zh-CN': '查看官网或社交媒体是否有维护通知',
          en: 'Looked for a maintenance notice on the website or social media',
        },
      },
      {
        key: 'follow_closure_steps',
        text: {
          'zh-CN': '按步骤操作：登录账户 → 设置 → 账户管理 → 注销账户 → 身份验证 → 确认注销',
          en: 'Followed the steps: log in → settings → account management → close account → verify identity → confirm',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_error_details',
        title: { 'zh-CN': '请求错误提示和操作步骤', en: 'Ask for the error and the step' },
        body: {
          'zh-CN':
            '您好，感谢您的反馈。请告诉我们注销进行到哪一步时出错，并提供错误提示的截图和应用版本号。另外请确认账户余额已提取或转出，以便我们向服务商核实。',
          en: 'Hello, and thank you for writing. Please tell us at which step the closing failed, and send a screenshot of the error and your app version. Please also confirm that the balance has been withdrawn or transferred, so that we can check it with the provider.',
        },
      },
      {
        key: 'explain_after_closure',
        title: { 'zh-CN': '说明注销后的数据和信用', en: 'Explain data and credit after closing' },
        body: {
          'zh-CN':
            '您好，注销后，服务商可能会依法保留您的部分数据，时间从约30天到5年甚至更长不等。注销一般不会影响个人信用记录，除非该钱包中有未还清的贷款或账单。我们会继续跟进您的注销申请。',
          en: 'Hello. After an account is closed, the provider may keep some of your data as the law requires, for anything from about 30 days to 5 years or more. Closing usually does not affect your credit record unless loans or bills in the wallet are unpaid. We will keep following up your closing request.',
        },
      },
    ],
  },
  {
    key: 'activation_failed',
    title: { 'zh-CN': '无法开通', en: 'Could not open or activate' },
    summary: {
      'zh-CN': '开通或激活数字钱包时一直不成功',
      en: 'I cannot open or activate my wallet.',
    },
    typicalCauses: [
      {
        'zh-CN': '手机号码或邮箱填写有误，收不到验证码或激活邮件',
        en: 'A wrong phone number or email, so no code or activation email arrives',
      },
      { 'zh-CN': '系统故障或维护', en: 'A system fault or maintenance' },
      { 'zh-CN': '网络连接不佳', en: 'A poor network connection' },
      {
        'zh-CN': '身份证明材料不清晰，或与填写的信息不一致',
        en: 'The identity documents are unclear or do not match the form',
      },
      {
        'zh-CN': '因以往违规操作或欠款等原因，账户受到限制',
        en: 'The account is restricted because of past violations or debts',
      },
    ],
    selfHelp: [
      {
        key: 'check_entered_details',
        text: {
          'zh-CN': '仔细核对每一项填写的信息，尤其是手机号码和邮箱',
          en: 'Checked every field, especially the phone number and email',
        },
      },
      {
        key: 'stable_network',
        text: {
          'zh-CN': '在稳定的网络（最好是 Wi-Fi）下操作，必要时重启手机或路由器',
          en: 'Used a stable network (Wi-Fi if possible) and restarted the phone or router if needed',
        },
      },
      {
        key: 'clear_documents',
        text: {
          'zh-CN': '提交清晰、与填写信息一致的身份证明材料',
          en: 'Sent clear identity documents that match the details on the form',
        },
      },
      {
        key: 'check_maintenance',
        text: {
          'zh-CN': '查看官网或社交媒体是否有维护或故障通知',
          en: 'Looked for a maintenance or fault notice on the website or social media',
        },
      },
      {
        key: 'ask_support_restrictions',
        text: {
          'zh-CN': '联系客服了解账户是否受到限制',
          en: 'Asked support whether the account is restricted',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_activation_details',
        title: { 'zh-CN': '请求开通时的错误信息', en: 'Ask for the activation error' },
        body: {
          'zh-CN':
            '您好，感谢您的反馈。请提供开通时出现的错误提示截图，并告诉我们停在哪一步（如收不到验证码、身份验证失败）。请不要在消息中发送完整的证件号码或银行卡号。',
          en: 'Hello, and thank you for writing. Please send a screenshot of the error you saw when opening the wallet, and tell us where it stopped (for example no code arrived, or identity verification failed). Please do not send full ID or bank card numbers in your message.',
        },
      },
      {
        key: 'explain_account_restriction',
        title: { 'zh-CN': '说明账户限制', en: 'Explain account restrictions' },
        body: {
          'zh-CN':
            '您好，如果账户因以往的操作（如频繁修改信息或欠款）受到限制，需要先处理这些未解决的问题才能开通。我们会向服务商核实您的账户状态，并告诉您需要做什么。',
          en: 'Hello. If an account is restricted because of past activity (such as frequent changes to details, or debts), those issues must be settled before it can be opened. We will check your account status with the provider and tell you what is needed.',
        },
      },
    ],
  },
  {
    key: 'account_compromised',
    title: { 'zh-CN': '账户被盗 / 异常交易', en: 'Account stolen / unknown transactions' },
    summary: {
      'zh-CN': '账户可能被盗，出现了不是我本人操作的交易',
      en: 'Someone may have got into my account: there are transactions I did not make.',
    },
    typicalCauses: [
      {
        'zh-CN': '密码等账户信息被盗取',
        en: 'The password or other login details were stolen',
      },
      {
        'zh-CN': '个人信息泄露，被用于网络诈骗',
        en: 'Personal information leaked and was used for fraud',
      },
      {
        'zh-CN': '在公共 Wi-Fi 等不安全的网络下进行了操作',
        en: 'The wallet was used on an unsafe network such as public Wi-Fi',
      },
    ],
    selfHelp: [
      {
        key: 'freeze_via_support',
        text: {
          'zh-CN': '立即联系客服，要求暂时冻结账户',
          en: 'Contacted support at once and asked them to freeze the account',
        },
      },
      {
        key: 'change_password',
        text: {
          'zh-CN': '修改账户密码及相关安全信息',
          en: 'Changed the password and the security information',
        },
      },
      {
        key: 'record_abnormal_transactions',
        text: {
          'zh-CN': '记录异常交易及其发生时间，收集证据',
          en: 'Wrote down the unknown transactions and their times, and kept evidence',
        },
      },
      {
        key: 'report_to_authorities',
        text: {
          'zh-CN': '向相关法律机构反映情况',
          en: 'Reported it to the relevant legal authorities',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'urge_freeze',
        title: { 'zh-CN': '提醒立即冻结账户', en: 'Urge an immediate freeze' },
        body: {
          'zh-CN':
            '您好，如果您还没有这样做，请立即联系服务商客服要求暂时冻结账户，并第一时间修改密码及相关安全信息，以防止更大的损失。在客服指导前，请不要进行其他操作。',
          en: "Hello. If you have not done so yet, please contact the provider's support right away and ask them to freeze the account, then change your password and security information, to prevent further loss. Until support advises you, please avoid other actions on the account.",
        },
      },
      {
        key: 'request_abnormal_transactions',
        title: { 'zh-CN': '请求异常交易清单', en: 'Ask for the list of unknown transactions' },
        body: {
          'zh-CN':
            '您好，为了向服务商核实，请提供每笔异常交易的时间、金额和收款方截图，以及您联系客服冻结账户的时间和受理编号。请不要在消息中发送密码或验证码。',
          en: 'Hello. To check this with the provider, please send a screenshot of each unknown transaction with its time, amount and payee, and tell us when you asked support to freeze the account and the reference number they gave. Please never send us passwords or verification codes.',
        },
      },
    ],
  },
  {
    key: 'other',
    title: { 'zh-CN': '其他', en: 'Other' },
    summary: {
      'zh-CN': '遇到的问题不属于以上几类',
      en: 'My problem is not one of the types above.',
    },
    typicalCauses: [],
    selfHelp: [
      {
        key: 'contact_support_first',
        text: {
          'zh-CN': '已先联系服务商客服',
          en: "Contacted the provider's support first",
        },
      },
      {
        key: 'note_support_answers',
        text: {
          'zh-CN': '记录客服的答复、处理进度和受理编号',
          en: 'Wrote down what support said, the progress and any reference number',
        },
      },
      {
        key: 'collect_screenshots',
        text: { 'zh-CN': '保存相关截图', en: 'Saved screenshots of the problem' },
      },
      {
        key: 'keep_transaction_records',
        text: {
          'zh-CN': '保留交易记录和聊天记录',
          en: 'Kept the transaction records and chat records',
        },
      },
    ],
    cannedReplies: [
      {
        key: 'request_more_details',
        title: { 'zh-CN': '请求补充说明', en: 'Ask for more details' },
        body: {
          'zh-CN':
            '您好，感谢您的反馈。请简要说明问题的经过（时间、金额、涉及的商家或服务），并提供相关截图和交易记录，以便我们了解情况并向服务商核实。',
          en: 'Hello, and thank you for writing. Please describe briefly what happened (time, amount, the merchant or service involved) and send any screenshots and transaction records, so that we can understand the case and check it with the provider.',
        },
      },
      {
        key: 'ask_provider_contacted',
        title: { 'zh-CN': '询问是否已联系服务商', en: 'Ask whether the provider was contacted' },
        body: {
          'zh-CN':
            '您好，请问您是否已经联系过服务商客服？如有，请告诉我们联系的日期、渠道、客服的答复以及受理编号。上级投诉机构通常会先确认是否已向企业反映过问题。',
          en: "Hello. Have you already contacted the provider's support? If so, please tell us the date, the channel, what they said and any reference number. Higher complaint bodies usually ask first whether the company was given a chance to fix it.",
        },
      },
    ],
  },
]

const BY_KEY: ReadonlyMap<string, Category> = new Map(CATEGORIES.map((c) => [c.key, c]))

export function isCategoryKey(key: string): key is CategoryKey {
  return (CATEGORY_KEYS as readonly string[]).includes(key)
}

export function getCategory(key: string): Category | undefined {
  return BY_KEY.get(key)
}

export function selfHelpKeys(key: CategoryKey): string[] {
  return getCategory(key)?.selfHelp.map((item) => item.key) ?? []
}
