import { describe, expect, it } from 'vitest';
import { gql } from './support/gql.js';
import { useWorld } from './support/world.js';

const world = useWorld();

describe('smoke', () => {
  it('D1: the fixture tree is served', async () => {
    const w = world();
    await w.tx(async (db) => {
      const res = await gql(
        w.app(db),
        '{ orgUnit(code: "GD-GZ-TH") { code parent { code } ancestors { code } } }',
        {},
        { token: await w.token('gz.handler') },
      );
      expect(res.data.orgUnit).toEqual({
        code: 'GD-GZ-TH',
        parent: { code: 'GD-GZ' },
        ancestors: [{ code: 'GD' }, { code: 'GD-GZ' }],
      });
    });
  });
});
