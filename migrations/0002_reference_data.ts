import type { Kysely } from 'kysely'

// Reference data a fresh installation starts with; admins edit it afterwards.
// Frozen in time: later changes to these lists go in new migrations or through the admin pages.

const providers = [
  ['alipay', '支付宝', 'Alipay'],
  ['wechat_pay', '微信支付', 'WeChat Pay'],
  ['unionpay', '云闪付', 'UnionPay QuickPass'],
  ['jd_pay', '京东支付', 'JD Pay'],
  ['douyin_pay', '抖音支付', 'Douyin Pay'],
  ['apple_pay', 'Apple Pay', 'Apple Pay'],
  ['google_pay', 'Google Pay', 'Google Pay'],
  ['paypal', 'PayPal', 'PayPal'],
  ['samsung_pay', 'Samsung Pay', 'Samsung Pay'],
] as const

// China's 2026 public holidays and make-up working days (调休) as announced by the State
// Council General Office; later years are added by an admin once announced.
const cn2026: [string, 'holiday' | 'workday', string][] = [
  ['2026-01-01', 'holiday', '元旦'],
  ['2026-01-02', 'holiday', '元旦'],
  ['2026-01-03', 'holiday', '元旦'],
  ['2026-01-04', 'workday', '元旦调休'],
  ['2026-02-14', 'workday', '春节调休'],
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map(
    (d): [string, 'holiday', string] => [`2026-02-${d}`, 'holiday', '春节'],
  ),
  ['2026-02-28', 'workday', '春节调休'],
  ['2026-04-04', 'holiday', '清明节'],
  ['2026-04-05', 'holiday', '清明节'],
  ['2026-04-06', 'holiday', '清明节'],
  ['2026-05-01', 'holiday', '劳动节'],
  ['2026-05-02', 'holiday', '劳动节'],
  ['2026-05-03', 'holiday', '劳动节'],
  ['2026-05-04', 'holiday', '劳动节'],
  ['2026-05-05', 'holiday', '劳动节'],
  ['2026-05-09', 'workday', '劳动节调休'],
  ['2026-06-19', 'holiday', '端午节'],
  ['2026-06-20', 'holiday', '端午节'],
  ['2026-06-21', 'holiday', '端午节'],
  ['2026-09-20', 'workday', '国庆节调休'],
  ['2026-09-25', 'holiday', '中秋节'],
  ['2026-09-26', 'holiday', '中秋节'],
  ['2026-09-27', 'holiday', '中秋节'],
  ...['01', '02', '03', '04', '05', '06', '07'].map((d): [string, 'holiday', string] => [
    `2026-10-${d}`,
    'holiday',
    '国庆节',
  ]),
  ['2026-10-10', 'workday', '国庆节调休'],
]

// England and Wales bank holidays 2026 for the UK preset.
const gb2026: [string, 'holiday', string][] = [
  ['2026-01-01', 'holiday', "New Year's Day"],
  ['2026-04-03', 'holiday', 'Good Friday'],
  ['2026-04-06', 'holiday', 'Easter Monday'],
  ['2026-05-04', 'holiday', 'Early May bank holiday'],
  ['2026-05-25', 'holiday', 'Spring bank holiday'],
  ['2026-08-31', 'holiday', 'Summer bank holiday'],
  ['2026-12-25', 'holiday', 'Christmas Day'],
  ['2026-12-28', 'holiday', 'Boxing Day (substitute day)'],
]

export async function up(db: Kysely<any>): Promise<void> {
  const now = Date.now()
  await db
    .insertInto('providers')
    .values(
      providers.map(([slug, zh, en], i) => ({
        slug,
        name_zh: zh,
        name_en: en,
        active: 1,
        sort_order: i,
        created_at: now,
      })),
    )
    .execute()
  await db
    .insertInto('calendar_days')
    .values([
      ...cn2026.map(([date, kind, name]) => ({ calendar: 'CN', date, kind, name })),
      ...gb2026.map(([date, kind, name]) => ({ calendar: 'GB', date, kind, name })),
    ])
    .execute()
  await db
    .insertInto('settings')
    .values({ key: 'deadline_preset', value: JSON.stringify('cn'), updated_at: now })
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', 'deadline_preset').execute()
  await db.deleteFrom('calendar_days').execute()
  await db.deleteFrom('providers').execute()
}
