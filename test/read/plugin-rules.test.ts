import { describe, expect, it } from 'vitest';
import type { RuleContributor } from '../../src/auth/abilities.js';
import { checkPlugins, LineRegistry } from '../../src/domain/lines.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { createApp } from '../../src/server/app.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';

/**
 * §6: a business line may contribute permission rules. They join the
 * viewer's ability, so they hold for one case (`complaint`) and, compiled to
 * SQL, for lists and counts alike.
 */
const world = useWorld();

/** Enterprise cases are read by every duty manager (say, a key-account watch), wherever they are handled. */
const dutyReadsEnterprise: RuleContributor = (viewer, { can }) => {
  if (viewer.kind === 'user' && viewer.grants.some((g) => g.role === 'DUTY_MANAGER'))
    can('read', 'Complaint', { businessLine: 'enterprise' });
};

const withRule = () =>
  new LineRegistry(
    world()
      .lines.all()
      .map((l) => (l.code === 'enterprise' ? { ...l, abilities: dutyReadsEnterprise } : l)),
  );

const Q = `query ($id: ID!, $n: String!) {
  complaint(id: $id) { number customer { masked } }
  complaints(filter: { search: $n }) { totalCount nodes { number } }
}`;

describe('§6: business lines add permission rules', () => {
  it('D54 §6: a line’s rule lets sz.duty read enterprise cases at the centre, in one case and in lists, masked (D50)', () =>
    world().tx(async (db) => {
      world().clock.set(T0);
      const e = engine(world(), db);
      const enterprise = await e.investigating('centre', {}, 'enterprise');
      const mobile = await e.investigating('centre', {}, 'mobile');
      const token = await world().token('sz.duty');
      const ask = (app: ReturnType<typeof createApp>, c: { id: string; number: string }) =>
        gql(app, Q, { id: toGlobalId('Complaint', c.id), n: c.number }, { token });

      const plain = await ask(world().app(db), enterprise);
      expect(plain.data.complaint).toBeNull();
      expect(plain.data.complaints.totalCount).toBe(0);

      const app = createApp({ ...world().services(db), lines: withRule() });
      const granted = await ask(app, enterprise);
      expect(granted.data.complaint).toEqual({
        number: enterprise.number,
        customer: { masked: true },
      });
      expect(granted.data.complaints).toEqual({
        totalCount: 1,
        nodes: [{ number: enterprise.number }],
      });
      // Only the line's cases: the mobile case at the same centre stays absent.
      const other = await ask(app, mobile);
      expect(other.data.complaint).toBeNull();
      expect(other.data.complaints.totalCount).toBe(0);
    }));

  it('§6: a plugin whose abilities is not a function is refused at start-up', () => {
    const enterprise = world().lines.get('enterprise')!;
    expect(() => checkPlugins([{ ...enterprise, abilities: 'everyone' }], ['enterprise'])).toThrow(
      /abilities/,
    );
  });
});
