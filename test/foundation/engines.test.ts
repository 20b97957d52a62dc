import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 26: `npm install` prints no EBADENGINE warning on the Node versions
// the project claims (package.json "engines": what CI tests). Every package
// of the lock file must accept the lowest claimed version and the one running
// the tests. (@graphql-tools/executor 2.1 and @graphql-tools/utils 12.1 pulled
// @whatwg-node packages that want Node ≥ 22.15: executor is pinned to 2.0.1,
// and package.json "overrides" keep schema, merge and utils 12 on releases
// that use @whatwg-node/promise-helpers 1.)
const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

type V = [number, number, number];
const parse = (v: string): V => {
  const parts = v
    .replace(/^v/, '')
    .split('.')
    .map((p) => (p === 'x' || p === '*' || p === '' ? 0 : Number(p)));
  if (parts.some((p) => !Number.isInteger(p)))
    throw new Error(`unsupported version ${JSON.stringify(v)}`);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
};
const cmp = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The subset of semver ranges that engines fields use: `||` of `>=X.Y.Z`, `^X.Y.Z`, `>X`, `<X` terms, ANDed by spaces. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((term) => {
        const m = /^(>=|<=|>|<|\^|~|=)?(.+)$/.exec(term);
        if (!m) throw new Error(`unsupported range ${JSON.stringify(range)}`);
        const [, op = '=', raw] = m;
        // An X-range (`*`, `20`, `20.x`, `20.1`) without an operator: any version it leaves open.
        if (op === '=' && /^(\*|x|\d+(\.(\d+|x|\*))?(\.(x|\*))?)$/.test(raw!)) {
          const fixed = raw!
            .split('.')
            .filter((p) => p !== 'x' && p !== '*')
            .map(Number);
          return fixed.every((n, i) => v[i] === n);
        }
        const r = parse(raw!);
        switch (op) {
          case '>=':
            return cmp(v, r) >= 0;
          case '>':
            return cmp(v, r) > 0;
          case '<=':
            return cmp(v, r) <= 0;
          case '<':
            return cmp(v, r) < 0;
          case '^':
            return (
              cmp(v, r) >= 0 &&
              (r[0] > 0
                ? v[0] === r[0]
                : r[1] > 0
                  ? v[0] === 0 && v[1] === r[1]
                  : cmp(v, [0, 0, r[2] + 1]) < 0)
            );
          case '~':
            return cmp(v, r) >= 0 && v[0] === r[0] && v[1] === r[1];
          default:
            return cmp(v, r) === 0;
        }
      }),
  );
}

describe('engines', () => {
  const claimed = pkg.engines?.node as string;
  const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(claimed)?.[1];

  it('package.json claims the Node line CI tests (20), from its lowest version every dependency accepts', () => {
    expect(claimed).toBe('^20.19.0');
    expect(satisfies(process.version, claimed)).toBe(true);
  });

  it('the range checker reads engines fields as npm does', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.18.3', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.20.2', '>=22.15.0')).toBe(false);
    expect(satisfies('20.20.2', '>= 10.x')).toBe(true);
    expect(satisfies('20.20.2', '^16 || ^18 || >=20')).toBe(true);
    expect(satisfies('21.0.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('21.1.0', '18 || 20 || >=22')).toBe(false);
    expect(satisfies('20.19.0', '*')).toBe(true);
    expect(satisfies('20.19.0', '20.x')).toBe(true);
    expect(satisfies('22.1.0', '20.x')).toBe(false);
  });

  /** The locked packages whose `engines.node` range refuses `node`, with the range they want. */
  const refusing = (node: string) =>
    Object.entries(lock.packages)
      .filter(
        ([path, p]) =>
          path &&
          p.engines &&
          !Array.isArray(p.engines) &&
          p.engines.node &&
          !satisfies(node, p.engines.node),
      )
      .map(
        ([path, p]) =>
          `${path.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`,
      );

  it.each([lowest!, process.version.slice(1)])(
    'every locked package accepts Node %s (no EBADENGINE)',
    (node) => {
      expect(refusing(node)).toEqual([]);
    },
  );

  // README "Node 22 and 24: what is known": untested there, but nothing in the lock file refuses them.
  it.each(['22.13.0', '24.0.0'])('README: every locked package also accepts Node %s', (node) => {
    expect(refusing(node)).toEqual([]);
  });
});
