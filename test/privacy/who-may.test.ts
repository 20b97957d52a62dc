import { describe, expect, it } from 'vitest';
import {
  filterRefusal,
  PARTNER_EVENT_ACTIONS,
  readsInternals,
  staff,
  visibleEventActions,
} from '../../src/auth/guards.js';
import { passwordProblem } from '../../src/auth/password-policy.js';
import type { PartnerViewer, StaffViewer } from '../../src/auth/viewer.js';

/** The declared guards of src/auth (issue 18: one module answers "who may"), as pure predicates. */
const partner: PartnerViewer = {
  kind: 'partner',
  id: 'p',
  name: 'P',
  carrierCode: 'P',
  provinceId: 'gd',
  expiresAt: null,
};
const auditor: StaffViewer = {
  kind: 'user',
  id: 'u',
  username: 'a',
  displayName: 'A',
  unitId: 'gd',
  expiresAt: null,
  mustChangePassword: false,
  grants: [
    { role: 'AUDITOR', unitId: 'gd', unitPath: '/gd/', unitLevel: 'PROVINCE', provinceId: 'gd' },
  ],
};

describe('src/auth guards', () => {
  it('D40: a partner may not filter by unitId, escalated or overdue (false included); staff may; other filters pass', () => {
    expect(filterRefusal(partner, { unitId: 'x' })).toMatch(/unitId/);
    expect(filterRefusal(partner, { escalated: false })).toMatch(/escalated/);
    expect(filterRefusal(partner, { overdue: true, unitId: 'x' })).toMatch(
      /unitId, overdue are not/,
    );
    expect(filterRefusal(partner, { status: ['RECEIVED'], unitId: null })).toBeNull();
    expect(filterRefusal(auditor, { unitId: 'x', escalated: true, overdue: true })).toBeNull();
  });

  it('D40 D55: staff operations refuse partners and the anonymous; partners see the D40 events only and no internals', () => {
    expect(staff(partner)).toBe('Staff only');
    expect(staff(null)).toBe('Staff only');
    expect(staff(auditor)).toBeNull();
    expect(visibleEventActions(auditor)).toBeNull();
    expect(visibleEventActions(partner)).toEqual(PARTNER_EVENT_ACTIONS);
    expect(PARTNER_EVENT_ACTIONS).not.toContain('ESCALATE');
    expect(PARTNER_EVENT_ACTIONS).not.toContain('ADD_SUPERVISION_NOTE');
    expect(PARTNER_EVENT_ACTIONS).not.toContain('DISPATCH');
    expect([readsInternals(partner), readsInternals(auditor)]).toEqual([false, true]);
  });

  it('D52: the password policy', () => {
    expect(passwordProblem('exactly-12ch', 'someone')).toBeNull();
    expect(passwordProblem('eleven-char', 'someone')).toMatch(/at least 12/);
    expect(passwordProblem('十二个汉字的密码真的足够长吗', 'someone')).toBeNull(); // counted in characters, not bytes
    expect(passwordProblem('            ', 'someone')).toMatch(/blank/);
    expect(passwordProblem('Zhang.San.2026', 'zhang.san.2026')).toMatch(/username/);
    expect(passwordProblem('zhang.san.2026!', 'zhang.san.2026')).toMatch(/username/);
    expect(passwordProblem('Password1234', 'someone')).toMatch(/common/);
    expect(passwordProblem('123456789012345', 'someone')).toMatch(/common/);
    expect(passwordProblem('x'.repeat(257), 'someone')).toMatch(/at most 256/);
  });
});

describe('one permission module (issue 18)', () => {
  it('D54 D55: no resolver, server module or plugin decides by role itself: role grants are read only in src/auth (and where they are stored)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory()
          ? files(join(dir, f))
          : f.endsWith('.ts')
            ? [join(dir, f)]
            : [],
      );
    // Deciding by a grant's role: `g.role === 'X'`, `.role !== …`, `grants.some(…role…)`.
    const deciding = /\.role\s*[!=]==|grants\.(some|every|filter|find)\([^)]*role/;
    const offenders = ['src/graphql', 'src/server', 'src/events', 'src/sla', 'plugins']
      .flatMap(files)
      .filter((f) => deciding.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    // The check can see a decision: the guards module has them.
    expect(deciding.test(readFileSync('src/auth/guards.ts', 'utf8'))).toBe(true);
  });
});
