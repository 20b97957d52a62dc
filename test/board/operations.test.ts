import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * Issue 24: the duty board is a client of the public API only. Every operation it sends (board/queries.js) is
 * valid against the served schema (the printed schema/schema.graphql, which CI keeps in step with the server);
 * the parts that wait for fields other branches add (LATER: supervisedOverdue, openIncidents, hotspotAlerts and
 * openIncident, openSupervision) are valid against the target contract, and each switch fails here, by name, as
 * soon as the served schema has what it needs, so it is turned on at the merge.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const NEXT = resolve(ROOT, '../shared/contract/api.next.graphql');

type Later = Record<string, boolean>;
type Queries = { LATER: Later; operations(later?: Later): Record<string, string> };
const load = async () => (await import(resolve(ROOT, 'board/queries.js') as string)) as Queries;

const served = buildSchema(readFileSync(resolve(ROOT, 'schema/schema.graphql'), 'utf8'));
const problems = (schema: GraphQLSchema, ops: Record<string, string>) =>
  Object.entries(ops).flatMap(([name, text]) => validate(schema, parse(text)).map((e) => `${name}: ${e.message}`));

/** The operations a switch adds: those that differ when it is turned on. */
function added(q: Queries, flag: string): Record<string, string> {
  const off = q.operations({ ...q.LATER, [flag]: false });
  const on = q.operations({ ...q.LATER, [flag]: true });
  return Object.fromEntries(Object.entries(on).filter(([name, text]) => text !== off[name] || gatedBy[name] === flag));
}
/** Operations sent only when their switch is on (their text does not change with it). */
const gatedBy: Record<string, string> = { HOTSPOTS: 'hotspots', OPEN_INCIDENT: 'hotspots', OPEN_SUPERVISION: 'openSupervision' };

describe('the board’s GraphQL operations (issue 24)', () => {
  it('issue 24: every operation the board sends now is valid against the served schema', async () => {
    const q = await load();
    const ops = Object.fromEntries(Object.entries(q.operations()).filter(([name]) => !gatedBy[name] || q.LATER[gatedBy[name]!]));
    expect(Object.keys(ops)).toEqual(expect.arrayContaining(['LOGIN', 'BRIEFING', 'START', 'FEED', 'ALERTS', 'CASE', 'SUPERVISION_NOTE']));
    expect(problems(served, ops)).toEqual([]);
  });

  it('issue 24: each LATER switch that is off still needs something the served schema lacks (else: turn it on)', async () => {
    const q = await load();
    for (const [flag, on] of Object.entries(q.LATER)) {
      if (on) continue;
      const ops = added(q, flag);
      expect(Object.keys(ops).length, flag).toBeGreaterThan(0);
      expect(problems(served, ops).length, `the served schema has what LATER.${flag} needs: set it to true in board/queries.js`).toBeGreaterThan(0);
    }
  });

  it.skipIf(!existsSync(NEXT))('issue 24: with every switch on, every operation is valid against the target contract (api.next)', async () => {
    const q = await load();
    const all = Object.fromEntries(Object.keys(q.LATER).map((k) => [k, true]));
    expect(problems(buildSchema(readFileSync(NEXT, 'utf8')), q.operations(all))).toEqual([]);
  });
});
