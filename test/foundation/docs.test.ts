import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 26: the repository explains itself. Every link in the README and in
// docs/ resolves inside the repository (a clone has no ../shared), anchors
// included, and the domain guide names the rules the code cites.
const ROOT = resolve(import.meta.dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (file: string) =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );

/** Markdown links outside code fences. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe('documentation', () => {
  it.each(pages)('%s links only to files and headings that exist in the repository', (page) => {
    const file = join(ROOT, page);
    const broken: string[] = [];
    for (const link of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? resolve(dirname(file), path) : file;
      if (relative(ROOT, target).startsWith('..')) broken.push(`${link} (outside the repository)`);
      else if (!existsSync(target)) broken.push(`${link} (no such file)`);
      else if (anchor && statSync(target).isFile() && !anchorsOf(target).has(anchor))
        broken.push(`${link} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it('the domain guide explains every rule id the code and tests cite', () => {
    const guide = readFileSync(join(ROOT, 'docs/domain.md'), 'utf8');
    const explained = new Set([...guide.matchAll(/\bD\d+a?\b/g)].map((m) => m[0]));
    const cited = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|mts)$/.test(e.name))
          for (const m of readFileSync(p, 'utf8').matchAll(/\bD(\d+a?)\b/g)) cited.add(`D${m[1]}`);
      }
    };
    for (const dir of ['src', 'plugins']) walk(join(ROOT, dir));
    expect([...cited].filter((id) => !explained.has(id)).sort()).toEqual([]);
  });
});
