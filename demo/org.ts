import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { defineAbilityFor } from '../src/auth/abilities.js';
import { loadStaffViewer } from '../src/auth/viewer.js';
import { orgUnits, users } from '../src/db/schema.js';
import type { OrgLevel, Role } from '../src/domain/enums.js';
import { createOrgUnit, createPartner, createUser, type OrgUnit } from '../src/domain/org.js';
import type { Services } from '../src/graphql/context.js';

export const DEMO_PASSWORD = 'demo-password';

/** Guangdong: three cities with their counties and a big-customer centre (D1). */
const TREE: { code: string; name: string; level: OrgLevel; parent?: string }[] = [
  { code: 'GD', name: '广东省 Guangdong', level: 'PROVINCE' },
  { code: 'GD-BC', name: '大客户中心 Big-customer centre', level: 'CENTER', parent: 'GD' },
  { code: 'GD-GZ', name: '广州市 Guangzhou', level: 'CITY', parent: 'GD' },
  { code: 'GD-GZ-TH', name: '天河区 Tianhe', level: 'COUNTY', parent: 'GD-GZ' },
  { code: 'GD-GZ-YX', name: '越秀区 Yuexiu', level: 'COUNTY', parent: 'GD-GZ' },
  { code: 'GD-GZ-PY', name: '番禺区 Panyu', level: 'COUNTY', parent: 'GD-GZ' },
  { code: 'GD-SZ', name: '深圳市 Shenzhen', level: 'CITY', parent: 'GD' },
  { code: 'GD-SZ-NS', name: '南山区 Nanshan', level: 'COUNTY', parent: 'GD-SZ' },
  { code: 'GD-SZ-FT', name: '福田区 Futian', level: 'COUNTY', parent: 'GD-SZ' },
  { code: 'GD-FS', name: '佛山市 Foshan', level: 'CITY', parent: 'GD' },
  { code: 'GD-FS-NH', name: '南海区 Nanhai', level: 'COUNTY', parent: 'GD-FS' },
  { code: 'GD-FS-SD', name: '顺德区 Shunde', level: 'COUNTY', parent: 'GD-FS' },
];

/** One user per role per relevant unit (D3). */
const STAFF: { username: string; name: string; role: Role; unit: string }[] = [
  { username: 'gd.admin', name: '管理员 Guan', role: 'ADMIN', unit: 'GD' },
  { username: 'gd.agent', name: '受理员 Chen Jing', role: 'ACCEPTANCE_AGENT', unit: 'GD' },
  { username: 'gd.agent2', name: '受理员 Huang Min', role: 'ACCEPTANCE_AGENT', unit: 'GD' },
  { username: 'gd.legal', name: '法务 Liang Wei', role: 'LEGAL_OFFICER', unit: 'GD' },
  { username: 'gd.duty', name: '值班 Zhou Qiang', role: 'DUTY_MANAGER', unit: 'GD' },
  { username: 'gd.auditor', name: '稽核 Xu Li', role: 'AUDITOR', unit: 'GD' },
  { username: 'bc.handler', name: '处理员 Feng Yu', role: 'HANDLER', unit: 'GD-BC' },
  { username: 'bc.leader', name: '主管 Deng Hua', role: 'DEPARTMENT_LEADER', unit: 'GD-BC' },
  ...['GZ', 'SZ', 'FS'].flatMap((c) => {
    const code = `GD-${c}`;
    const l = c.toLowerCase();
    return [
      {
        username: `${l}.handler`,
        name: `${c} 处理员 Handler`,
        role: 'HANDLER' as Role,
        unit: code,
      },
      {
        username: `${l}.leader`,
        name: `${c} 部门主管 Leader`,
        role: 'DEPARTMENT_LEADER' as Role,
        unit: code,
      },
      { username: `${l}.duty`, name: `${c} 值班 Duty`, role: 'DUTY_MANAGER' as Role, unit: code },
      { username: `${l}.auditor`, name: `${c} 稽核 Auditor`, role: 'AUDITOR' as Role, unit: code },
    ];
  }),
  ...['GZ-TH', 'GZ-YX', 'GZ-PY', 'SZ-NS', 'SZ-FT', 'FS-NH', 'FS-SD'].flatMap((c) => {
    const l = c.toLowerCase().replace('-', '.');
    return [
      {
        username: `${l}.handler`,
        name: `${c} 处理员 Handler`,
        role: 'HANDLER' as Role,
        unit: `GD-${c}`,
      },
      {
        username: `${l}.leader`,
        name: `${c} 主管 Leader`,
        role: 'DEPARTMENT_LEADER' as Role,
        unit: `GD-${c}`,
      },
    ];
  }),
  { username: 'th.duty', name: 'TH 值班 Duty', role: 'DUTY_MANAGER', unit: 'GD-GZ-TH' },
];

export type DemoInfo = {
  password: string;
  users: { username: string; role: Role; unit: string }[];
  partnerCode: string;
  partnerKey: string | null;
};

/**
 * Loads the demo data set on an empty database (nothing happens when units
 * exist already). The partner's key is shown once by design (D52); for the
 * demo it is also kept in DATA_DIR so every start can print it.
 */
export async function seedDemo(services: Services): Promise<DemoInfo> {
  const { db, config } = services;
  const keyFile = join(config.dataDir, 'demo-partner-key');
  const info: DemoInfo = {
    password: DEMO_PASSWORD,
    users: STAFF.map(({ username, role, unit }) => ({ username, role, unit })),
    partnerCode: 'CMCC-GD',
    partnerKey: existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null,
  };
  const [anyUnit] = await db.select({ id: orgUnits.id }).from(orgUnits).limit(1);
  if (anyUnit) return info;

  const [admin] = await db.select().from(users).where(eq(users.username, config.admin.username));
  const ability = defineAbilityFor(await loadStaffViewer(db, admin!.id, null));
  const units = new Map<string, OrgUnit>();
  for (const u of TREE) {
    const parentId = u.parent ? units.get(u.parent)!.id : null;
    units.set(
      u.code,
      await createOrgUnit(db, ability, { parentId, level: u.level, code: u.code, name: u.name }),
    );
  }
  for (const s of STAFF) {
    const unitId = units.get(s.unit)!.id;
    const user = await createUser(db, ability, {
      username: s.username,
      password: DEMO_PASSWORD,
      displayName: s.name,
      unitId,
      roles: [{ role: s.role, unitId }],
    });
    // Demo logins work as printed (D52 would otherwise have each demo user set a new password first).
    await db.update(users).set({ mustChangePassword: false }).where(eq(users.id, user.id));
  }
  const { apiKey } = await createPartner(db, ability, {
    name: '中国移动广东 China Mobile Guangdong',
    carrierCode: info.partnerCode,
    provinceId: units.get('GD')!.id,
  });
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
  info.partnerKey = apiKey;
  return info;
}
