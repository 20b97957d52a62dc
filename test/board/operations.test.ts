import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * Issue 24: the duty board is a client of the public API only. Every operation it sends (board/queries.js) is
 * valid against the served schema (the printed schema/schema.graphql, which CI keeps in step with the server),
 * and the board's script sends no operation that is not one of them.
 */
const ROOT = resolve(import.meta.dirname, '../..');

type Queries = { operations(): Record<string, string> };
const load = async () => (await import(resolve(ROOT, 'board/queries.js') as string)) as Queries;

const served = buildSchema(readFileSync(resolve(ROOT, 'schema/schema.graphql'), 'utf8'));

describe('the board’s GraphQL operations (issue 24)', () => {
  it('issue 24 D32 D73 D76: every operation the board sends is valid against the served schema', async () => {
    const ops = (await load()).operations();
    expect(Object.keys(ops).sort()).toEqual(
      [
        'ALERTS',
        'BRIEFING',
        'CASE',
        'FEED',
        'HOTSPOTS',
        'LOGIN',
        'ME',
        'OPEN_INCIDENT',
        'OPEN_SUPERVISION',
        'START',
        'SUPERVISION_NOTE',
      ].sort(),
    );
    const problems = Object.entries(ops).flatMap(([name, text]) =>
      validate(served, parse(text)).map((e) => `${name}: ${e.message}`),
    );
    expect(problems).toEqual([]);
    // The briefing asks for every figure the board shows (D32, D73, D76).
    expect(ops.BRIEFING).toMatch(/\bsupervisedOverdue\b/);
    expect(ops.BRIEFING).toMatch(/\bopenIncidents\b/);
  });

  it('issue 24: the board’s script takes every operation from board/queries.js (no GraphQL text of its own)', () => {
    for (const file of ['board/app.js', 'board/api.js']) {
      const text = readFileSync(resolve(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/`\s*(query|mutation|subscription)\b/);
    }
  });
});
