import { createUser, findUserByEmail } from '../auth/users.js'
import { type Role } from '../domain/roles.js'
import { actOnTicket, fileTicket } from '../change/ticketChanges.js'
import type { ChangeWriter } from '../change/types.js'
import { CATEGORY_KEYS, selfHelpKeys, type CategoryKey } from '../domain/categories.js'
import { DESIRED_OUTCOMES, type BodyOutcome, type Level } from '../domain/ladder.js'
import type { Actor } from '../domain/lifecycle.js'
import type { ActionInput } from '../domain/actions.js'
import { AGENT_REPLIES, MERCHANTS, NAMES_EN, NAMES_ZH, NARRATIVES } from './texts.js'

export const DEMO_PASSWORD = 'ladder-demo-2026'
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.ladder.test', name: '管理员 Admin', role: 'admin' },
  { email: 'manager@demo.ladder.test', name: '陈主管 Manager Chen', role: 'manager' },
  { email: 'agent1@demo.ladder.test', name: '李专员 Agent Li', role: 'agent' },
  { email: 'agent2@demo.ladder.test', name: 'Agent Sam Green', role: 'agent' },
]

/** A small seeded generator, so the same demo comes out every time. */
export function seededRandom(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  }
}

export interface DemoResult {
  tickets: number
  accounts: typeof DEMO_ACCOUNTS
  createdAccounts: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Fills the database with a realistic demo: staff accounts and `count` tickets filed over the
 * last 120 days, each taken some way along its journey through the real lifecycle.
 */
/** Demo data is written without `notify`: it mails no one. */
export async function generateDemo(
  w: ChangeWriter,
  options: { count?: number; now: number; seed?: number },
): Promise<DemoResult> {
  const { db } = w
  const count = options.count ?? 300
  const rnd = seededRandom(options.seed ?? 20261123)
  let createdAccounts = 0
  const staffIds: number[] = []
  for (const account of DEMO_ACCOUNTS) {
    let user = await findUserByEmail(db, account.email)
    if (!user) {
      const created = await createUser(db, { ...account, password: DEMO_PASSWORD }, options.now)
      if (!created.ok) throw new Error(`demo account ${account.email}: ${created.problem}`)
      user = created.user
      createdAccounts++
    }
    if (account.role !== 'admin') staffIds.push(user.id)
  }
  const providers = await db.selectFrom('providers').select('id').where('active', '=', 1).execute()

  for (let i = 0; i < count; i++) {
    const filedAt = options.now - rnd.int(1, 120 * 24) * HOUR
    const category = rnd.pick(CATEGORY_KEYS) as CategoryKey
    const zh = rnd.chance(0.7)
    const amountMinor = rnd.chance(0.85) ? rnd.int(5, 20000) * 100 + rnd.int(0, 99) : null
    const text = rnd
      .pick(zh ? NARRATIVES[category].zh : NARRATIVES[category].en)
      .replace('{amount}', amountMinor === null ? '' : (amountMinor / 100).toFixed(2))
      .replace('{merchant}', rnd.pick(MERCHANTS))
      .replace('{ref}', `${rnd.int(2026, 2026)}${String(rnd.int(1, 999999999)).padStart(12, '0')}`)
    const tried = selfHelpKeys(category).filter(() => rnd.chance(0.5))
    const filed = await fileTicket(w, {
      input: {
        category,
        providerId: rnd.pick(providers).id,
        providerOther: null,
        occurredAt: filedAt - rnd.int(1, 20) * DAY,
        amountMinor,
        currency: 'CNY',
        transactionRef: `T${rnd.int(100000000, 999999999)}`,
        merchant: rnd.pick(MERCHANTS),
        description: text,
        desiredOutcome: rnd.pick(DESIRED_OUTCOMES),
        selfHelp: tried,
        name: zh ? rnd.pick(NAMES_ZH) : rnd.pick(NAMES_EN),
        email: rnd.chance(0.8) ? `complainant${i + 1}@example.com` : null,
        phone: rnd.chance(0.5) ? `139${String(rnd.int(0, 99999999)).padStart(8, '0')}` : null,
        locale: zh ? 'zh-CN' : 'en',
      },
      evidence: [],
      now: filedAt,
    })
    await walkJourney(w, filed.ticket.id, filedAt, options.now, rnd, staffIds, zh)
  }
  return { tickets: count, accounts: DEMO_ACCOUNTS, createdAccounts }
}

/** Takes one ticket a random distance along a plausible path, never past `now`. */
async function walkJourney(
  w: ChangeWriter,
  ticketId: number,
  filedAt: number,
  now: number,
  rnd: ReturnType<typeof seededRandom>,
  staffIds: number[],
  zh: boolean,
) {
  const agentId = rnd.pick(staffIds)
  const agent: Actor = { kind: 'staff', role: 'agent', userId: agentId }
  const complainant: Actor = { kind: 'complainant' }
  let t = filedAt
  const step = async (input: ActionInput, actor: Actor, afterHours: [number, number]) => {
    t += rnd.int(afterHours[0], afterHours[1]) * HOUR
    if (t >= now) return false
    const r = await actOnTicket(w, { ticketId, expectedVersion: null, input, actor, now: t })
    return r.ok
  }
  const replies = zh ? AGENT_REPLIES.zh : AGENT_REPLIES.en
  const depth = rnd.next()
  if (depth < 0.12) return // still new
  if (!(await step({ type: 'assign', assigneeId: agentId }, agent, [1, 30]))) return
  if (!(await step({ type: 'reply', body: rnd.pick(replies) }, agent, [1, 24]))) return
  if (rnd.chance(0.3)) {
    if (!(await step({ type: 'request_info', body: replies[2]! }, agent, [1, 48]))) return
    if (rnd.chance(0.25)) return // still waiting on the complainant
    if (
      !(await step(
        { type: 'comment', body: zh ? '已补充截图，请查收。' : 'I added the screenshots.' },
        complainant,
        [2, 72],
      ))
    )
      return
  }
  if (rnd.chance(0.1)) {
    await step(
      { type: 'withdraw', reason: zh ? '问题已自行解决' : 'Sorted it out myself' },
      complainant,
      [24, 200],
    )
    return
  }
  const levels: Level[] = ['platform', 'consumer_association', 'regulator', 'legal']
  for (let li = 0; li < levels.length; li++) {
    const outcome: BodyOutcome = rnd.pick(['accepted', 'accepted', 'refused', 'refused'] as const)
    if (
      !(await step(
        {
          type: 'record_contact',
          body: zh ? '已向机构提交材料。' : 'Dossier sent to the body.',
          externalRef: `REF-${rnd.int(1000, 99999)}`,
          outcome,
        },
        agent,
        [4, 96],
      ))
    )
      return
    const resolvedHere = rnd.chance(li === 0 ? 0.55 : 0.45)
    if (resolvedHere || li === levels.length - 1) {
      const monetary = rnd.chance(0.6)
      const ok = await step(
        {
          type: 'propose_resolution',
          body: zh ? '平台同意退还全部款项。' : 'The provider agreed to return the full amount.',
          relief: monetary ? 'monetary' : 'explanation',
          amountRecoveredMinor: monetary ? rnd.int(1, 5000) * 100 : null,
        },
        agent,
        [24, 24 * 12],
      )
      if (!ok) return
      if (rnd.chance(0.2)) return // the complainant has not answered yet
      if (rnd.chance(0.75) || li === levels.length - 1) {
        if (!(await step({ type: 'accept', reason: null }, complainant, [2, 96]))) return
        await step(
          { type: 'close', outcome: 'resolved', note: null, duplicateOfId: null },
          agent,
          [1, 48],
        )
        return
      }
      if (
        !(await step(
          {
            type: 'dispute',
            reason: zh ? '金额不对，只退了一部分。' : 'Only part of the money came back.',
          },
          complainant,
          [2, 96],
        ))
      )
        return
      if (
        !(await step(
          { type: 'escalate', reason: 'disputed', note: null, externalRef: null },
          agent,
          [2, 72],
        ))
      )
        return
      continue
    }
    if (rnd.chance(0.3)) return // waiting at this level
    // The demo's histories are shorter than the clocks: "no answer in time" would be refused.
    const reason = 'refused'
    if (
      !(await step({ type: 'escalate', reason, note: null, externalRef: null }, agent, [
        24,
        24 * 15,
      ]))
    )
      return
  }
}
