import type { ManualClock } from '../src/config/clock.js';
import type { CaseAction, Env, Inputs, RegisterInput, Who } from '../src/domain/complaints.js';
import { convertToComplaint, registerComplaint, transition } from '../src/domain/complaints.js';

/**
 * The demo province's centre beyond complaints (DOMAIN §10), played through
 * the engine at fixed times before `end`: consultations and queries answered,
 * forwarded and converted (D71), fault reports of big customers and internet
 * cafés repaired (D72), a supervised case whose progress report is overdue
 * (D73), transfers with and without their feedback (D74), and an approved
 * extension with its promised time (D78).
 */

const HOUR = 3_600_000;
type Titled = Partial<RegisterInput> & Pick<RegisterInput, 'title' | 'description'>;
const DAY = 24 * HOUR;

export async function seedCentre(
  env: Env,
  clock: ManualClock,
  who: (username: string) => Promise<Who>,
  unitId: Map<string, string>,
  end: number,
) {
  const at = (msBeforeEnd: number) => clock.set(new Date(end - msBeforeEnd));
  let n = 0;
  /** Registers a case (counted) with a phone contact's defaults; `about` is its title and description. */
  const reg = async (username: string, about: [string, string], input: Partial<RegisterInput>) => {
    n++;
    return registerComplaint(env, await who(username), {
      channel: 'PHONE',
      customer: { name: '陈小姐', phone: '13800138000', address: '广东省广州市天河区体育西路88号' },
      title: about[0],
      description: about[1],
      ...input,
    });
  };
  const act = async <A extends CaseAction>(
    username: string,
    action: A,
    c: { id: string },
    input: Inputs[A],
  ) => transition(env, await who(username), action, c.id, input);
  const deadline = (hours: number) => new Date(clock.now().getTime() + hours * HOUR);

  // D70 D71: consultations, answered on the spot or within hours by whoever took them (any unit, any channel).
  const consultations: [string, RegisterInput['channel'], string, string][] = [
    ['gd.agent', 'PHONE', '5G 套餐资费咨询', '客户咨询 129 元 5G 套餐包含的流量和通话分钟数。'],
    ['gz.handler', 'BUSINESS_HALL', '携号转网办理条件', '客户在营业厅咨询携号转网需要满足的条件。'],
    ['th.duty', 'ONLINE', '宽带提速咨询', '客户咨询家庭宽带从 300M 提速到 1000M 的费用。'],
    ['sz.leader', 'APP', '国际漫游开通', '客户下周出国，咨询国际漫游的开通方式和资费。'],
    ['bc.handler', 'PHONE', '专线报价咨询', '企业客户咨询 100M 互联网专线的报价。'],
  ];
  for (const [i, [user, channel, title, description]] of consultations.entries()) {
    at((9 - i) * DAY);
    const c = await reg(user, [title, description], { kind: 'CONSULTATION', channel });
    at((9 - i) * DAY - (i + 1) * 40 * 60_000);
    await act(user, 'ANSWER_CONTACT', c, {
      method: 'PHONE',
      content: '已向客户详细解答，客户表示清楚。',
    });
  }
  at(2 * HOUR);
  await reg('gd.agent2', ['家庭融合套餐咨询', '客户咨询手机与宽带融合套餐的优惠。'], {
    kind: 'CONSULTATION',
  }); // still open

  // D71: queries and requests: forwarded to the unit that knows, answered there (one still waiting).
  const forwarded: {
    days: number;
    hours: number;
    by: string;
    input: Titled;
    forwardedBy: string;
    to: string;
    within: number;
    note?: string;
    answer?: { after: number; by: string; method: 'SMS' | 'PHONE'; content: string };
  }[] = [
    {
      days: 6,
      hours: 0,
      by: 'gd.agent',
      input: { title: '上月话费明细查询', description: '客户查询上月话费中 58 元流量费的明细。' },
      forwardedBy: 'gd.agent',
      to: 'GD-SZ',
      within: 24,
      note: '计费数据在深圳分公司。',
      answer: {
        after: 5,
        by: 'sz.handler',
        method: 'SMS',
        content: '流量费明细已短信发送给客户。',
      },
    },
    {
      days: 3,
      hours: 0,
      by: 'fs.handler',
      input: {
        kind: 'BUSINESS_REQUEST',
        channel: 'BUSINESS_HALL',
        title: '宽带移机申请',
        description: '客户搬家，申请将宽带移至佛山市南海区新地址。',
      },
      forwardedBy: 'fs.handler',
      to: 'GD-FS-NH',
      within: 48,
      note: '新地址属南海区。',
      answer: { after: 20, by: 'fs.nh.handler', method: 'PHONE', content: '已预约周六上门移机。' },
    },
    {
      days: 0,
      hours: 5,
      by: 'th.duty',
      input: { channel: 'VISIT', title: '积分兑换查询', description: '客户查询积分为何未到账。' },
      forwardedBy: 'gd.agent',
      to: 'GD-GZ',
      within: 20,
    },
  ];
  for (const x of forwarded) {
    const registeredAt = x.days * DAY + x.hours * HOUR;
    at(registeredAt);
    const c = await reg(x.by, [x.input.title, x.input.description], { kind: 'QUERY', ...x.input });
    await act(x.forwardedBy, 'FORWARD_CONTACT', c, {
      toUnitId: unitId.get(x.to)!,
      deadline: deadline(x.within),
      ...(x.note ? { note: x.note } : {}),
    });
    if (!x.answer) continue;
    at(registeredAt - x.answer.after * HOUR);
    await act(x.answer.by, 'ANSWER_CONTACT', c, {
      method: x.answer.method,
      content: x.answer.content,
    });
  }
  // D71: a query converted into a complaint.
  at(4 * DAY);
  const charged = await reg('gd.agent2', ['重复扣费查询', '客户查询本月为何被扣两次月租。'], {
    kind: 'QUERY',
  });
  at(4 * DAY - HOUR);
  n++;
  await convertToComplaint(env, await who('gd.agent2'), charged.id, {
    note: '确认重复扣费，转为投诉处理。',
  });

  const accept = (
    username: string,
    c: { id: string },
    businessLine: string,
    category: Inputs['ACCEPT']['category'],
    severity: Inputs['ACCEPT']['severity'] = 'ORDINARY',
  ) => act(username, 'ACCEPT', c, { businessLine, category, severity });
  const dispatch = (username: string, c: { id: string }, unit: string, hours: number) =>
    act(username, 'DISPATCH', c, { toUnitId: unitId.get(unit)!, deadline: deadline(hours) });
  /** D72: investigated, found valid, service restored, reported (confirmed by the city when asked), reviewed and replied. */
  const restore = async (
    c: { id: string },
    handler: string,
    o: { findings: string; rootCause: string; rectification?: string; confirmedBy?: string },
    reviewAt: number,
    reply: string,
  ) => {
    await act(handler, 'RECORD_INVESTIGATION', c, { kind: 'INITIAL', findings: o.findings });
    await act(handler, 'DETERMINE_RESPONSIBILITY', c, {
      nature: 'VALID',
      rootCause: o.rootCause,
      remedy: { kind: 'SERVICE_RESTORED' },
      ...(o.rectification ? { rectification: o.rectification } : {}),
    });
    let report = await act(handler, 'SUBMIT_REPORT', c, {});
    if (o.confirmedBy)
      report = await act(o.confirmedBy, 'CONFIRM_REPORT', report, { approve: true });
    at(reviewAt);
    report = await act('gd.agent', 'REVIEW_REPORT', report, { approve: true });
    return act('gd.agent', 'REPLY_TO_CUSTOMER', report, { method: 'PHONE', content: reply });
  };

  // D72: fault reports: an enterprise one repaired within 4 hours, a café's broadband within 24, one still open and supervised.
  const faults: {
    days: number;
    by: string;
    input: Titled;
    line: string;
    unit: string;
    hours: number;
    handler: string;
    repairedAfter: number;
    repair: Parameters<typeof restore>[2];
    reviewedAfter: number;
    reply: string;
  }[] = [
    {
      days: 8,
      by: 'bc.handler',
      input: {
        title: '工厂专线中断',
        description: '某电子厂 100M 互联网专线中断，生产系统无法访问。',
        customer: { name: '刘经理', phone: '13922223333' },
      },
      line: 'enterprise',
      unit: 'GD-BC',
      hours: 3,
      handler: 'bc.handler',
      repairedAfter: 2,
      repair: { findings: '光缆被施工挖断，已熔接恢复。', rootCause: '第三方施工挖断光缆' },
      reviewedAfter: 3,
      reply: '专线已恢复，故障原因为第三方施工。',
    },
    {
      days: 5,
      by: 'gz.handler',
      input: {
        channel: 'BUSINESS_HALL',
        title: '网吧宽带全部断网',
        description: '天河区某网吧 200 台电脑全部无法上网。',
      },
      line: 'broadband',
      unit: 'GD-GZ',
      hours: 12,
      handler: 'gz.handler',
      repairedAfter: 6,
      repair: {
        findings: '汇聚交换机板卡故障，已更换。',
        rootCause: '设备老化',
        rectification: '排查同批次板卡。',
        confirmedBy: 'gz.leader',
      },
      reviewedAfter: 8,
      reply: '网络已恢复。',
    },
  ];
  for (const x of faults) {
    at(x.days * DAY);
    const c = await reg(x.by, [x.input.title, x.input.description], {
      kind: 'FAULT_REPORT',
      ...x.input,
    });
    await accept('gd.agent', c, x.line, 'NETWORK_TECHNICAL');
    await dispatch('gd.agent', c, x.unit, x.hours);
    await act(x.handler, 'ACKNOWLEDGE', c, {});
    at(x.days * DAY - x.repairedAfter * HOUR);
    const replied = await restore(
      c,
      x.handler,
      x.repair,
      x.days * DAY - x.reviewedAfter * HOUR,
      x.reply,
    );
    if (x.line === 'enterprise') {
      at(x.days * DAY - DAY);
      await act('gd.agent', 'RECORD_CALLBACK', replied, { result: 'SATISFIED' });
    }
  }

  at(3 * HOUR);
  const down = await reg(
    'bc.handler',
    ['酒店专线丢包严重', '某酒店专线丢包率 30%，客人投诉上网慢。'],
    { kind: 'FAULT_REPORT' },
  );
  await accept('gd.agent', down, 'enterprise', 'NETWORK_TECHNICAL'); // REPAIR running, supervised
  await act('gd.duty', 'HAND_OVER_SUPERVISION', down, {
    toUserId: (await who('gd.duty')).viewer.id,
  });

  // D73: a MAJOR case supervised by the province duty manager, its progress report overdue (due 2 working days after opening).
  at(6 * DAY);
  const major = await reg('gd.agent', ['小区整体无信号', '某小区 2000 户手机全部无信号已两天。'], {
    businessLine: 'mobile',
  });
  await accept('gd.agent', major, 'mobile', 'NETWORK_TECHNICAL', 'MAJOR');
  await act('gd.duty', 'HAND_OVER_SUPERVISION', major, {
    toUserId: (await who('gd.duty')).viewer.id,
    note: '值班经理督办',
  });
  await dispatch('gd.agent', major, 'GD-GZ', 72);
  await act('gz.handler', 'ACKNOWLEDGE', major, {});
  await act('gd.duty', 'ADD_SUPERVISION_NOTE', major, { note: '请每日报告抢修进展。' });

  // D74: transfers from the regulator and the government hotline: one fed back, one whose feedback is still owed.
  const transfers: [number, Titled, string, Inputs['ACCEPT']['category'], number?][] = [
    [
      7,
      {
        source: 'REGULATOR_TRANSFER',
        transferredBy: '广东省通信管理局',
        externalRef: 'GDCA-2026-3301',
        externalDeadline: deadline(10 * 24),
        title: '用户申诉：宽带退订被拒',
        description: '用户向通信管理局申诉宽带退订被拒。',
      },
      'broadband',
      'PROCESS',
      6,
    ],
    [
      2,
      {
        source: 'GOVERNMENT_TRANSFER',
        transferredBy: '12345 政务服务热线',
        externalRef: '12345-20261201-77',
        externalDeadline: deadline(5 * 24),
        title: '市民投诉：话费不明扣费',
        description: '市民经 12345 热线投诉话费不明扣费。',
      },
      'billing-dispute',
      'BILLING_DISPUTE',
    ],
  ];
  for (const [days, input, line, category, fedBackAt] of transfers) {
    at(days * DAY);
    const c = await reg('gd.legal', [input.title, input.description], {
      ...input,
      businessLine: line,
    });
    await accept('gd.legal', c, line, category);
    if (fedBackAt === undefined) continue;
    at(fedBackAt * DAY);
    await act('gd.legal', 'RECORD_TRANSFER_FEEDBACK', c, {
      method: 'LETTER',
      content: '已受理并联系用户，预计五个工作日内办结。',
    });
  }

  // D78: a city asks for two more days on its assignment; the province approves and the customer is told.
  at(4 * DAY);
  const ext = await reg('gd.agent', ['基站施工噪音', '楼顶基站施工噪音扰民。'], {
    businessLine: 'mobile',
  });
  await accept('gd.agent', ext, 'mobile', 'SERVICE_QUALITY');
  await dispatch('gd.agent', ext, 'GD-SZ', 48);
  await act('sz.handler', 'ACKNOWLEDGE', ext, {});
  at(3 * DAY);
  await act('sz.handler', 'REQUEST_EXTENSION', ext, {
    clock: 'ASSIGNMENT',
    dueAt: new Date(clock.now().getTime() + 3 * DAY),
    note: '需协调物业夜间停工，需延长两天。',
  });
  at(3 * DAY - 2 * HOUR);
  await act('gd.agent', 'DECIDE_EXTENSION', ext, { approve: true });
  return n;
}
