import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { complaintsWhere } from '../src/auth/sql.js';
import { loadPartnerViewer, loadStaffViewer, type Viewer } from '../src/auth/viewer.js';
import { ManualClock } from '../src/config/clock.js';
import { rowsOf } from '../src/db/client.js';
import { complaints, orgUnits, users } from '../src/db/schema.js';
import {
  draftAnalysisReport,
  type ReportPeriod,
  shiftPeriod,
} from '../src/domain/analysis-report.js';
import type { CaseAction, Env, Inputs, RegisterInput } from '../src/domain/complaints.js';
import { registerComplaint, transition } from '../src/domain/complaints.js';
import type { Channel, Severity } from '../src/domain/enums.js';
import { DomainError } from '../src/domain/errors.js';
import type { Services } from '../src/graphql/context.js';
import { shanghaiDate } from '../src/sla/calendar.js';
import { seedCentre } from './centre.js';
import { GIVEN, SURNAMES } from './names.js';

/**
 * ~300 demo complaints over the last 13 weeks (a quarter, so that the
 * periodic analysis reports of D77 have a quarter, its months and a trend
 * to show), driven through the lifecycle
 * engine exactly as the portals would (no raw inserts): every step of every
 * case is put on one time line and played in time order, so older cases are
 * closed or archived and recent ones are still open, in every state, line,
 * severity and unit; then the centre's other contacts (demo/centre.ts).
 * Deterministic: the same data on every fresh start.
 */

const HOUR = 3_600_000;
const DISTRICTS = [
  '广州市天河区',
  '广州市越秀区',
  '广州市番禺区',
  '深圳市南山区',
  '深圳市福田区',
  '佛山市南海区',
  '佛山市顺德区',
];
const STREETS = [
  '体育西路',
  '中山五路',
  '市桥大道',
  '科技园路',
  '深南大道',
  '桂城大道',
  '大良新城',
];

const TOPICS: Record<
  string,
  { category: string; title: string; description: string; details: () => Record<string, unknown> }[]
> = {
  mobile: [
    {
      category: 'NETWORK_TECHNICAL',
      title: '室内无信号',
      description: '家中室内手机信号弱，经常无法接通电话。',
      details: () => ({ cellId: 'GZ-4G-0042', location: '小区 3 栋' }),
    },
    {
      category: 'TARIFF_POLICY',
      title: '套餐变更后资费不符',
      description: '上月变更套餐后，本月话费与营业员介绍的不一致。',
      details: () => ({}),
    },
  ],
  broadband: [
    {
      category: 'NETWORK_TECHNICAL',
      title: '宽带频繁掉线',
      description: '晚上八点后宽带每隔十几分钟掉线一次，已重启光猫无效。',
      details: () => ({ planMbps: 500 }),
    },
    {
      category: 'SERVICE_QUALITY',
      title: '装机人员未按约上门',
      description: '预约周六上午安装宽带，工作人员未到也未通知。',
      details: () => ({}),
    },
  ],
  'fixed-line': [
    {
      category: 'NETWORK_TECHNICAL',
      title: '固话无拨号音',
      description: '家中固定电话拿起无拨号音，已持续两天。',
      details: () => ({ faultType: 'NO_DIAL_TONE' }),
    },
    {
      category: 'NETWORK_TECHNICAL',
      title: '通话杂音大',
      description: '固话通话时有明显杂音，影响正常使用。',
      details: () => ({ faultType: 'NOISE' }),
    },
  ],
  enterprise: [
    {
      category: 'SERVICE_QUALITY',
      title: '专线中断未及时修复',
      description: '公司互联网专线中断四小时，客户经理未及时响应。',
      details: () => ({ slaTier: 'GOLD' }),
    },
  ],
  'billing-dispute': [
    {
      category: 'BILLING_DISPUTE',
      title: '不认可增值业务扣费',
      description: '账单中出现未订购的增值业务费用，要求退还。',
      details: () => ({ billingPeriod: '2026-10', disputedAmount: 29.9 }),
    },
  ],
  interconnection: [
    {
      category: 'CALL_COMPLETION',
      title: '跨网呼叫接通率低',
      description: '本网用户呼叫贵网号码段接通率明显下降。',
      details: () => ({ trunkId: 'TRK-GZ-07' }),
    },
    {
      category: 'SMS_BLOCKING',
      title: '跨网短信被拦截',
      description: '本网用户发往贵网的验证码短信被拦截。',
      details: () => ({}),
    },
  ],
};

/** A small seeded PRNG (mulberry32), so the demo is the same on every fresh start. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

type Step = { at: number; run: () => Promise<unknown> };

export async function seedDemoComplaints(
  services: Services,
  opts: { count?: number; now?: Date; onStart?: (count: number) => void } = {},
): Promise<number> {
  const { db } = services;
  const [existing] = await db.select({ id: complaints.id }).from(complaints).limit(1);
  if (existing) return 0;

  const count = opts.count ?? 300;
  opts.onStart?.(count); // only when it will seed: the caller says so before the wait
  const end = (opts.now ?? services.clock.now()).getTime();
  const start = end - 91 * 24 * HOUR;
  const clock = new ManualClock(new Date(start));
  // One outer transaction (each step a savepoint): one commit instead of thousands.
  return db.transaction(async (tx) => {
    const env: Env = { db: tx, clock, lines: services.lines, config: services.config };
    const r = prng(20261123);

    const unitId = new Map((await tx.select().from(orgUnits)).map((u) => [u.code, u.id]));
    const viewers = new Map<string, Viewer>();
    const who = async (username: string) => {
      let v = viewers.get(username);
      if (!v) {
        const [u] = await tx.select().from(users).where(eq(users.username, username));
        v = (await loadStaffViewer(tx, u!.id, null))!;
        viewers.set(username, v);
      }
      return { viewer: v, ability: defineAbilityFor(v) };
    };
    const keyFile = join(services.config.dataDir, 'demo-partner-key');
    const partnerKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null;
    const partner = partnerKey ? await loadPartnerViewer(tx, partnerKey) : null;

    const steps: Step[] = [];
    for (let i = 0; i < count; i++) {
      // More recent cases than old ones, as in a real queue, yet every week of the quarter has its share.
      const t0 = end - (end - start) * r.next() ** 1.35;
      const interconnection = partner !== null && r.chance(0.06);
      const transfer = !interconnection && r.chance(0.06);
      const line = interconnection
        ? 'interconnection'
        : r.pick([
            'mobile',
            'mobile',
            'broadband',
            'broadband',
            'fixed-line',
            'enterprise',
            'billing-dispute',
          ]);
      const topic = r.pick(TOPICS[line]!);
      const severity: Severity = r.chance(0.8) ? 'ORDINARY' : r.chance(0.75) ? 'MAJOR' : 'URGENT';
      const centreUser =
        interconnection || transfer ? 'gd.legal' : r.pick(['gd.agent', 'gd.agent2']);
      const city = r.pick(['gz', 'sz', 'fs']);
      const county = r.pick({ gz: ['th', 'yx', 'py'], sz: ['ns', 'ft'], fs: ['nh', 'sd'] }[city]!);
      const route: 'city' | 'county' | 'centre' =
        line === 'enterprise' ? 'centre' : r.chance(0.35) ? 'county' : 'city';
      const handler =
        route === 'centre'
          ? 'bc.handler'
          : route === 'county'
            ? `${city}.${county}.handler`
            : `${city}.handler`;
      const surname = r.pick(SURNAMES);
      const input: RegisterInput = {
        channel: interconnection
          ? 'API'
          : r.pick<Channel>([
              'PHONE',
              'PHONE',
              'PHONE',
              'ONLINE',
              'APP',
              'EMAIL',
              'SOCIAL_MEDIA',
              'LETTER',
            ]),
        source: interconnection
          ? 'PARTNER_CARRIER'
          : transfer
            ? r.pick(['REGULATOR_TRANSFER', 'GROUP_TRANSFER', 'GOVERNMENT_TRANSFER'])
            : 'CUSTOMER',
        businessLine: line,
        category: interconnection ? topic.category : null,
        title: topic.title,
        description: topic.description,
        customer: {
          name: surname + r.pick(GIVEN),
          phone: `13${r.int(5, 9)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
          address: `广东省${r.pick(DISTRICTS)}${r.pick(STREETS)}${r.int(1, 300)}号`,
          accountNumber: `AC${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
        },
        details: topic.details(),
        contactAt: new Date(t0 - r.int(1, 8) * 60_000),
        // D74: who transferred it.
        transferredBy: transfer
          ? r.pick(['广东省通信管理局', '集团客服部', '12345 政务服务热线'])
          : null,
      };

      // The case's steps, each a few hours after the one before.
      let id = '';
      let at = t0;
      const plan: { gapHours: number; run: () => Promise<unknown> }[] = [];
      const act = <A extends CaseAction>(
        username: string,
        action: A,
        args: Inputs[A] | (() => Inputs[A]),
        gapHours = r.int(2, 30),
      ) =>
        plan.push({
          gapHours,
          run: async () =>
            id &&
            transition(
              env,
              await who(username),
              action,
              id,
              typeof args === 'function' ? args() : args,
            ),
        });
      const deadline = (days: number) => () => ({
        toUnitId: null as string | null,
        deadline: new Date(clock.now().getTime() + days * 24 * HOUR),
      });

      plan.push({
        gapHours: 0,
        run: async () => {
          const c = await registerComplaint(
            env,
            interconnection
              ? { viewer: partner!, ability: defineAbilityFor(partner!) }
              : await who(centreUser),
            input,
          );
          id = c.id;
        },
      });
      const fate = r.next();
      if (fate < 0.07) {
        act(centreUser, 'REJECT', {
          reason: r.pick(['EXPIRED', 'INSUFFICIENT_INFORMATION', 'NO_DIRECT_INTEREST']),
          note: '不符合受理条件。',
        });
        // D10, D23: a rejected case is still answered before it is archived.
        act(
          centreUser,
          'CONTACT_CUSTOMER',
          { method: 'PHONE', content: '已向客户解释不予受理的原因。', substantive: true },
          r.int(1, 20),
        );
        act(centreUser, 'ARCHIVE', {}, 48);
      } else if (fate < 0.12 && !interconnection && !transfer) {
        act(centreUser, 'RESOLVE_ON_SPOT', { answer: '已向客户解释资费规则，客户表示理解。' }, 0);
        act(centreUser, 'RECORD_CALLBACK', { result: 'SATISFIED' }, 24);
        act(centreUser, 'ARCHIVE', {}, 30);
      } else {
        act(
          centreUser,
          'ACCEPT',
          { businessLine: line, category: topic.category, severity },
          r.int(0, 3),
        );
        if (severity !== 'ORDINARY' && r.chance(0.5)) {
          act(centreUser, 'ESCALATE', { note: '影响面较大，申请升级督办。' }, 1);
          if (centreUser !== 'gd.legal') act('gd.legal', 'DECIDE_ESCALATION', { approve: true }, 1);
        }
        if (severity !== 'ORDINARY' && r.chance(0.5))
          act('gd.legal', 'ADD_SUPERVISION_NOTE', { note: '请加快处理，每日报告进展。' }, 2);
        if (r.chance(0.05)) {
          act(centreUser, 'WITHDRAW', { note: '客户来电撤诉。' }, 10);
          act(centreUser, 'ARCHIVE', {}, 30);
        } else {
          const cityCode = route === 'centre' ? 'GD-BC' : `GD-${city.toUpperCase()}`;
          act(
            centreUser,
            'DISPATCH',
            () => ({ ...deadline(7)(), toUnitId: unitId.get(cityCode)! }),
            r.int(1, 6),
          );
          act(route === 'centre' ? 'bc.handler' : `${city}.handler`, 'ACKNOWLEDGE', {});
          if (route === 'county') {
            act(`${city}.handler`, 'DELEGATE', () => ({
              ...deadline(5)(),
              toUnitId: unitId.get(`GD-${city.toUpperCase()}-${county.toUpperCase()}`)!,
            }));
            act(handler, 'ACKNOWLEDGE', {});
          }
          if (r.chance(0.1)) {
            act(handler, 'SUSPEND', { note: '等待客户提供账单截图。' }, 4);
            act(handler, 'RESUME', { note: '客户已提供资料。' }, 30);
          }
          act(handler, 'RECORD_INVESTIGATION', {
            kind: 'INITIAL',
            findings: '现场核查，确认问题属实。',
          });
          act(handler, 'CONTACT_CUSTOMER', { method: 'PHONE', content: '已告知客户处理进展。' }, 2);
          act(handler, 'DETERMINE_RESPONSIBILITY', {
            nature: r.pick(['VALID', 'VALID', 'PARTIALLY_VALID', 'INVALID']),
            rootCause: '设备故障未及时处理',
            remedy: r.chance(0.5)
              ? { kind: 'COMPENSATION', amount: r.int(10, 100) }
              : { kind: 'EXPLANATION' },
            rectification: '加强设备巡检。',
          });
          act(handler, 'SUBMIT_REPORT', {});
          if (route === 'county') act(`${city}.handler`, 'REVIEW_REPORT', { approve: true });
          if (route !== 'centre') act(`${city}.leader`, 'CONFIRM_REPORT', { approve: true });
          act(centreUser, 'REVIEW_REPORT', { approve: true });
          act(centreUser, 'REPLY_TO_CUSTOMER', {
            method: r.pick(['PHONE', 'SMS']),
            content: '您反映的问题已处理完毕，感谢您的耐心。',
          });
          // D74: most transfers are fed back before their callback; without it they cannot close.
          if (transfer && r.chance(0.8))
            act(
              'gd.legal',
              'RECORD_TRANSFER_FEEDBACK',
              { method: 'LETTER', content: '已将处理结果函复转办单位。' },
              2,
            );
          const callerBack =
            route === 'county' || (route === 'city' && line === 'billing-dispute')
              ? `${city}.handler`
              : centreUser; // D14
          act(
            callerBack,
            'RECORD_CALLBACK',
            {
              result: r.pick([
                'SATISFIED',
                'SATISFIED',
                'SATISFIED',
                'BASICALLY_SATISFIED',
                'BASICALLY_SATISFIED',
                'UNREACHABLE',
                'UNSATISFIED',
              ]),
            },
            24,
          );
          act(centreUser, 'ARCHIVE', {}, r.int(24, 60));
        }
      }
      for (const p of plan) {
        at += p.gapHours * HOUR + r.int(0, 59) * 60_000;
        steps.push({ at, run: p.run });
      }
    }

    // Play every step whose time has come, in time order; later steps are the cases' future.
    steps.sort((a, b) => a.at - b.at);
    for (const s of steps) {
      if (s.at > end) continue;
      clock.set(new Date(s.at));
      try {
        await s.run();
      } catch (e) {
        // A step whose case stopped earlier (e.g. its registration was in the future) is skipped.
        if (!(e instanceof DomainError)) throw e;
      }
    }
    // DOMAIN §10: consultations, queries, fault reports, supervision, transfers' feedback, an extension.
    await seedCentre(env, clock, who, unitId, end);
    await draftDemoReports(tx, new Date(end));
    const [row] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from complaints`),
    );
    return row!.n;
  });
}

/**
 * D77: DRAFT analysis reports of the province (by its LEGAL_OFFICER) and of
 * Guangzhou (by its DEPARTMENT_LEADER) for this quarter, the quarter before
 * and last month, so that `analysisReports` lists them and their `pageUrl`
 * opens a page with figures at once.
 */
async function draftDemoReports(tx: Env['db'], now: Date) {
  const today = shanghaiDate(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const quarter = `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  const keys: { period: ReportPeriod; periodStart: string }[] = [
    { period: 'QUARTER', periodStart: quarter },
    { period: 'QUARTER', periodStart: shiftPeriod('QUARTER', quarter, -1) },
    { period: 'MONTH', periodStart: shiftPeriod('MONTH', `${today.slice(0, 7)}-01`, -1) },
  ];
  const units = new Map((await tx.select().from(orgUnits)).map((u) => [u.code, u]));
  for (const [username, code] of [
    ['gd.legal', 'GD'],
    ['gz.leader', 'GD-GZ'],
  ] as const) {
    const [u] = await tx.select().from(users).where(eq(users.username, username));
    const viewer = u ? await loadStaffViewer(tx, u.id, null) : null;
    const unit = units.get(code);
    if (!viewer || !unit) continue;
    const env = {
      db: tx,
      viewer,
      readable: complaintsWhere(defineAbilityFor(viewer), 'read'),
      now,
      unitOf: async (id: string) => [...units.values()].find((x) => x.id === id) ?? null,
    };
    for (const key of keys) await draftAnalysisReport(env, { unitId: unit.id, ...key });
  }
}
