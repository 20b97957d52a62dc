import type { ManualClock } from '../src/config/clock.js';
import {
  type CaseAction,
  convertToComplaint,
  type Env,
  type Inputs,
  type RegisterInput,
  registerComplaint,
  transition,
  type Who,
} from '../src/domain/complaints.js';
import type { ComplaintRow } from '../src/domain/lifecycle.js';

/**
 * The demo province's centre beyond complaints (DOMAIN §10), played through
 * the engine at fixed times before `end`: consultations and queries answered,
 * forwarded and converted (D71), fault reports of big customers and internet
 * cafés repaired (D72), a supervised case whose progress report is overdue
 * (D73), transfers with and without their feedback (D74), and an approved
 * extension with its promised time (D78).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function seedCentre(
  env: Env,
  clock: ManualClock,
  who: (username: string) => Promise<Who>,
  unitId: Map<string, string>,
  end: number,
) {
  const at = (msBeforeEnd: number) => clock.set(new Date(end - msBeforeEnd));
  const reg = async (
    username: string,
    input: Partial<RegisterInput> & Pick<RegisterInput, 'title' | 'description'>,
  ) =>
    registerComplaint(env, await who(username), {
      channel: 'PHONE',
      customer: { name: '陈小姐', phone: '13800138000', address: '广东省广州市天河区体育西路88号' },
      ...input,
    });
  const act = async <A extends CaseAction>(
    username: string,
    action: A,
    c: { id: string },
    input: Inputs[A],
  ) => transition(env, await who(username), action, c.id, input);
  const deadline = (hours: number) => new Date(clock.now().getTime() + hours * HOUR);
  let n = 0;
  const made = (c: ComplaintRow) => (n++, c);

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
    const c = made(await reg(user, { kind: 'CONSULTATION', channel, title, description }));
    at((9 - i) * DAY - (i + 1) * 40 * 60_000);
    await act(user, 'ANSWER_CONTACT', c, {
      method: 'PHONE',
      content: '已向客户详细解答，客户表示清楚。',
    });
  }
  at(2 * HOUR);
  made(
    await reg('gd.agent2', {
      kind: 'CONSULTATION',
      title: '家庭融合套餐咨询',
      description: '客户咨询手机与宽带融合套餐的优惠。',
    }),
  ); // still open

  // D71: queries and requests: forwarded to the unit that knows, answered there; one converted into a complaint.
  at(6 * DAY);
  const bill = made(
    await reg('gd.agent', {
      kind: 'QUERY',
      title: '上月话费明细查询',
      description: '客户查询上月话费中 58 元流量费的明细。',
    }),
  );
  await act('gd.agent', 'FORWARD_CONTACT', bill, {
    toUnitId: unitId.get('GD-SZ')!,
    deadline: deadline(24),
    note: '计费数据在深圳分公司。',
  });
  at(6 * DAY - 5 * HOUR);
  await act('sz.handler', 'ANSWER_CONTACT', bill, {
    method: 'SMS',
    content: '流量费明细已短信发送给客户。',
  });
  at(3 * DAY);
  const move = made(
    await reg('fs.handler', {
      kind: 'BUSINESS_REQUEST',
      channel: 'BUSINESS_HALL',
      title: '宽带移机申请',
      description: '客户搬家，申请将宽带移至佛山市南海区新地址。',
    }),
  );
  await act('fs.handler', 'FORWARD_CONTACT', move, {
    toUnitId: unitId.get('GD-FS-NH')!,
    deadline: deadline(48),
    note: '新地址属南海区。',
  });
  at(3 * DAY - 20 * HOUR);
  await act('fs.nh.handler', 'ANSWER_CONTACT', move, {
    method: 'PHONE',
    content: '已预约周六上门移机。',
  });
  at(5 * HOUR);
  const open = made(
    await reg('th.duty', {
      kind: 'QUERY',
      channel: 'VISIT',
      title: '积分兑换查询',
      description: '客户查询积分为何未到账。',
    }),
  );
  await act('gd.agent', 'FORWARD_CONTACT', open, {
    toUnitId: unitId.get('GD-GZ')!,
    deadline: deadline(20),
  }); // forwarded, not yet answered
  at(4 * DAY);
  const charged = made(
    await reg('gd.agent2', {
      kind: 'QUERY',
      title: '重复扣费查询',
      description: '客户查询本月为何被扣两次月租。',
    }),
  );
  at(4 * DAY - HOUR);
  made(
    await convertToComplaint(env, await who('gd.agent2'), charged.id, {
      note: '确认重复扣费，转为投诉处理。',
    }),
  );

  // D72: fault reports: an enterprise one repaired within 4 hours, a café's broadband within 24, one still open and supervised.
  at(8 * DAY);
  let f = made(
    await reg('bc.handler', {
      kind: 'FAULT_REPORT',
      title: '工厂专线中断',
      description: '某电子厂 100M 互联网专线中断，生产系统无法访问。',
      customer: { name: '刘经理', phone: '13922223333' },
    }),
  );
  f = await act('gd.agent', 'ACCEPT', f, {
    businessLine: 'enterprise',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  });
  f = await act('gd.agent', 'DISPATCH', f, {
    toUnitId: unitId.get('GD-BC')!,
    deadline: deadline(3),
  });
  f = await act('bc.handler', 'ACKNOWLEDGE', f, {});
  at(8 * DAY - 2 * HOUR);
  await act('bc.handler', 'RECORD_INVESTIGATION', f, {
    kind: 'INITIAL',
    findings: '光缆被施工挖断，已熔接恢复。',
  });
  await act('bc.handler', 'DETERMINE_RESPONSIBILITY', f, {
    nature: 'VALID',
    rootCause: '第三方施工挖断光缆',
    remedy: { kind: 'SERVICE_RESTORED' },
  });
  f = await act('bc.handler', 'SUBMIT_REPORT', f, {});
  at(8 * DAY - 3 * HOUR);
  f = await act('gd.agent', 'REVIEW_REPORT', f, { approve: true });
  f = await act('gd.agent', 'REPLY_TO_CUSTOMER', f, {
    method: 'PHONE',
    content: '专线已恢复，故障原因为第三方施工。',
  });
  at(7 * DAY);
  await act('gd.agent', 'RECORD_CALLBACK', f, { result: 'SATISFIED' });

  at(5 * DAY);
  let cafe = made(
    await reg('gz.handler', {
      kind: 'FAULT_REPORT',
      channel: 'BUSINESS_HALL',
      title: '网吧宽带全部断网',
      description: '天河区某网吧 200 台电脑全部无法上网。',
    }),
  );
  cafe = await act('gd.agent', 'ACCEPT', cafe, {
    businessLine: 'broadband',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  });
  cafe = await act('gd.agent', 'DISPATCH', cafe, {
    toUnitId: unitId.get('GD-GZ')!,
    deadline: deadline(12),
  });
  cafe = await act('gz.handler', 'ACKNOWLEDGE', cafe, {});
  at(5 * DAY - 6 * HOUR);
  await act('gz.handler', 'RECORD_INVESTIGATION', cafe, {
    kind: 'INITIAL',
    findings: '汇聚交换机板卡故障，已更换。',
  });
  await act('gz.handler', 'DETERMINE_RESPONSIBILITY', cafe, {
    nature: 'VALID',
    rootCause: '设备老化',
    remedy: { kind: 'SERVICE_RESTORED' },
    rectification: '排查同批次板卡。',
  });
  cafe = await act('gz.handler', 'SUBMIT_REPORT', cafe, {});
  cafe = await act('gz.leader', 'CONFIRM_REPORT', cafe, { approve: true });
  at(5 * DAY - 8 * HOUR);
  cafe = await act('gd.agent', 'REVIEW_REPORT', cafe, { approve: true });
  await act('gd.agent', 'REPLY_TO_CUSTOMER', cafe, { method: 'PHONE', content: '网络已恢复。' });

  at(3 * HOUR);
  let down = made(
    await reg('bc.handler', {
      kind: 'FAULT_REPORT',
      title: '酒店专线丢包严重',
      description: '某酒店专线丢包率 30%，客人投诉上网慢。',
    }),
  );
  down = await act('gd.agent', 'ACCEPT', down, {
    businessLine: 'enterprise',
    category: 'NETWORK_TECHNICAL',
    severity: 'ORDINARY',
  }); // REPAIR running, supervised
  await act('gd.duty', 'HAND_OVER_SUPERVISION', down, {
    toUserId: (await who('gd.duty')).viewer.id,
  });

  // D73: a MAJOR case supervised by the province duty manager, its progress report overdue (due 2 working days after opening).
  at(6 * DAY);
  let major = made(
    await reg('gd.agent', {
      title: '小区整体无信号',
      description: '某小区 2000 户手机全部无信号已两天。',
      businessLine: 'mobile',
    }),
  );
  major = await act('gd.agent', 'ACCEPT', major, {
    businessLine: 'mobile',
    category: 'NETWORK_TECHNICAL',
    severity: 'MAJOR',
  });
  major = await act('gd.duty', 'HAND_OVER_SUPERVISION', major, {
    toUserId: (await who('gd.duty')).viewer.id,
    note: '值班经理督办',
  });
  major = await act('gd.agent', 'DISPATCH', major, {
    toUnitId: unitId.get('GD-GZ')!,
    deadline: deadline(72),
  });
  major = await act('gz.handler', 'ACKNOWLEDGE', major, {});
  await act('gd.duty', 'ADD_SUPERVISION_NOTE', major, { note: '请每日报告抢修进展。' });

  // D74: transfers from the regulator: one fed back, one whose feedback is still owed.
  at(7 * DAY);
  let fed = made(
    await reg('gd.legal', {
      source: 'REGULATOR_TRANSFER',
      transferredBy: '广东省通信管理局',
      externalRef: 'GDCA-2026-3301',
      externalDeadline: deadline(10 * 24),
      title: '用户申诉：宽带退订被拒',
      description: '用户向通信管理局申诉宽带退订被拒。',
      businessLine: 'broadband',
    }),
  );
  fed = await act('gd.legal', 'ACCEPT', fed, {
    businessLine: 'broadband',
    category: 'PROCESS',
    severity: 'ORDINARY',
  });
  at(6 * DAY);
  await act('gd.legal', 'RECORD_TRANSFER_FEEDBACK', fed, {
    method: 'LETTER',
    content: '已受理并联系用户，预计五个工作日内办结。',
  });
  at(2 * DAY);
  const owed = made(
    await reg('gd.legal', {
      source: 'GOVERNMENT_TRANSFER',
      transferredBy: '12345 政务服务热线',
      externalRef: '12345-20261201-77',
      externalDeadline: deadline(5 * 24),
      title: '市民投诉：话费不明扣费',
      description: '市民经 12345 热线投诉话费不明扣费。',
      businessLine: 'billing-dispute',
    }),
  );
  await act('gd.legal', 'ACCEPT', owed, {
    businessLine: 'billing-dispute',
    category: 'BILLING_DISPUTE',
    severity: 'ORDINARY',
  });

  // D78: a city asks for two more days on its assignment; the province approves and the customer is told.
  at(4 * DAY);
  let ext = made(
    await reg('gd.agent', {
      title: '基站施工噪音',
      description: '楼顶基站施工噪音扰民。',
      businessLine: 'mobile',
    }),
  );
  ext = await act('gd.agent', 'ACCEPT', ext, {
    businessLine: 'mobile',
    category: 'SERVICE_QUALITY',
    severity: 'ORDINARY',
  });
  ext = await act('gd.agent', 'DISPATCH', ext, {
    toUnitId: unitId.get('GD-SZ')!,
    deadline: deadline(48),
  });
  ext = await act('sz.handler', 'ACKNOWLEDGE', ext, {});
  at(3 * DAY);
  ext = await act('sz.handler', 'REQUEST_EXTENSION', ext, {
    clock: 'ASSIGNMENT',
    dueAt: new Date(clock.now().getTime() + 3 * DAY),
    note: '需协调物业夜间停工，需延长两天。',
  });
  at(3 * DAY - 2 * HOUR);
  await act('gd.agent', 'DECIDE_EXTENSION', ext, { approve: true });
  return n;
}
