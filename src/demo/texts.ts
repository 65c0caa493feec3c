import type { CategoryKey } from '../domain/categories.js'

// Complaint narratives in the complainants' own words, Chinese and English, one set per category.
// {amount}, {merchant}, {ref} are filled in by the generator.
export const NARRATIVES: Record<CategoryKey, { zh: string[]; en: string[] }> = {
  payment_failed: {
    zh: [
      '在{merchant}付款{amount}元时提示支付失败，但银行卡已经扣款，订单号{ref}。联系客服三次都说会核实，一直没有结果。',
      '用指纹支付时一直提示“安全验证未通过”，换了网络、重启手机都不行，商家{merchant}那边订单没有成功，我的钱却被冻结了。',
      '付款时显示“系统维护中”，但是第二天再试仍然失败，已经影响到我正常消费。交易号{ref}。',
    ],
    en: [
      'Paying {amount} at {merchant} failed with an error, but my card was charged anyway (order {ref}). Support promised to check three times and nothing happened.',
      'The fingerprint check keeps failing with "security verification not passed". I switched networks and restarted the phone; the merchant {merchant} shows no payment but my money is on hold.',
    ],
  },
  refund_not_received: {
    zh: [
      '{merchant}已经同意退款{amount}元，退款单号{ref}，显示“退款成功”已经过去20天，钱包余额和银行卡都没有收到。',
      '商家说退款已原路返回，但数字钱包一直显示处理中。客服让我再等7个工作日，现在已经一个多月了，退款还是不到账。',
      '我的银行卡号6222021234567890128被重复扣款{amount}元，平台承诺退款却一直不还，电话13812345678可以联系我。',
    ],
    en: [
      '{merchant} approved a refund of {amount} (refund reference {ref}). It has shown "refund successful" for 20 days but nothing reached my wallet or card.',
      'The merchant says the refund went back the original way, but the wallet still shows "processing". Support told me to wait 7 working days; it has been over a month.',
    ],
  },
  termination_failed: {
    zh: [
      '想解除与{merchant}的免密支付协议，页面一直提示“存在未完成交易”，但我没有任何待处理订单。',
      '申请解约时身份验证总是失败，重置密码后仍然不行，客服电话一直打不通。',
    ],
    en: [
      'I want to end the password-free payment agreement with {merchant}; the page says there are "unfinished transactions" but I have none.',
      'Identity verification fails every time I try to unbind the service, even after resetting my password, and the support line never answers.',
    ],
  },
  closure_failed: {
    zh: [
      '按照“设置-账户管理-注销账户”操作，短信验证码一直收不到，余额已经全部提现，还是无法注销。',
      '注销账户时提示“账户存在风险”，要求我提供身份证照片，我已上传三次仍然审核不通过。',
    ],
    en: [
      'I followed settings → account management → close account; the SMS code never arrives. My balance is already withdrawn to zero.',
      'Closing the account says "account at risk" and asks for my ID photo. I uploaded it three times and it is still rejected.',
    ],
  },
  activation_failed: {
    zh: [
      '开通钱包时一直提示“证件信息不一致”，我的身份证信息填写完全正确，照片也很清晰。',
      '手机号填写正确但收不到验证码，无法开通，客服说账户受限却不告诉原因。',
    ],
    en: [
      'Opening the wallet keeps failing with "document details do not match", although every field is right and the photo is clear.',
      'The verification code never arrives although my phone number is right; support says the account is restricted but will not say why.',
    ],
  },
  account_compromised: {
    zh: [
      '凌晨收到多笔不是我本人操作的消费，总计{amount}元，交易号{ref}。我立即联系客服冻结了账户，但平台不同意退还。',
      '账户被盗后有人用我的钱包在{merchant}消费，我已报警并提供了报案回执，平台至今没有处理结果。',
    ],
    en: [
      'Several payments I never made appeared overnight, {amount} in total (transaction {ref}). I had the account frozen at once, but the provider refuses to return the money.',
      'Someone used my stolen wallet at {merchant}. I reported it to the police and sent the receipt; the provider has given no answer since.',
    ],
  },
  other: {
    zh: ['钱包突然被限制收款，影响我的小店经营，平台只给出模板回复，没有说明原因。'],
    en: [
      'My wallet suddenly cannot receive payments, which stops my small shop; the provider only sends template answers without a reason.',
    ],
  },
}

export const MERCHANTS = [
  '美团外卖',
  '京东商城',
  '滴滴出行',
  '携程旅行',
  '拼多多',
  'Starbucks',
  'Uniqlo',
  '12306 铁路',
  '盒马鲜生',
]

export const NAMES_ZH = [
  '王芳',
  '李娜',
  '张伟',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄强',
  '周婷',
  '吴军',
]
export const NAMES_EN = ['Emma Li', 'James Chen', 'Olivia Wang', 'Noah Zhang', 'Sophia Liu']

export const AGENT_REPLIES = {
  zh: [
    '您好，我们已收到您的投诉，正在与平台核实交易情况，请保留好相关记录。',
    '平台已答复，称款项正在处理中，我们会继续跟进。',
    '请补充交易截图和与客服的聊天记录，以便我们向平台提交。',
  ],
  en: [
    'Hello, we have received your complaint and are checking the transaction with the provider. Please keep your records.',
    'The provider answered that the payment is being processed; we will keep following up.',
    'Please add a screenshot of the transaction and your chat with support so we can send them to the provider.',
  ],
}
