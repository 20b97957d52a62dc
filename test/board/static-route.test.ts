import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARD_DIR, boardFiles } from '../../src/server/board.js';
import { listen } from '../../src/server/http.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 24: the board's files are served from a fixed allow-list, never by a generic file server. Every listed
 * path answers its own file with its type; any other path under /board (a traversal, an encoded one, a file of
 * node_modules, a source file) is 404 and gives nothing of another file. The page runs under the strict CSP
 * (issue 18): its only inline script, the import map, is allowed by its hash, nothing inline is allowed by
 * 'unsafe-inline', and everything it loads is the server's own.
 */
const world = useWorld();
const app = () => world().app(world().database.db);
const get = (path: string, init: RequestInit = {}) =>
  app().yoga.fetch(`http://board.test${path}`, init);

const ROOT = resolve(import.meta.dirname, '../..');
const packageJson = readFileSync(resolve(ROOT, 'package.json'), 'utf8');

describe('the board’s static route (issue 24)', () => {
  it('issue 24: the allow-list is the page, its own files in board/, and four browser builds of preact, htm and graphql-ws', () => {
    const files = boardFiles();
    expect([...files.keys()].sort()).toEqual(
      [
        '/board',
        '/board/api.js',
        '/board/app.js',
        '/board/board.css',
        '/board/labels.js',
        '/board/queries.js',
        '/board/vendor/graphql-ws.js',
        '/board/vendor/hooks.mjs',
        '/board/vendor/htm.mjs',
        '/board/vendor/preact.mjs',
      ].sort(),
    );
    for (const [path, file] of files) {
      const where = relative(ROOT, file);
      if (path.startsWith('/board/vendor/'))
        expect(where, path).toMatch(/^node_modules\/(preact|htm|graphql-ws)\/[^.]/);
      else expect(relative(BOARD_DIR, file), path).not.toMatch(/^\.\.|\//);
    }
  });

  it('issue 24: every allowed path answers its file, with its content type and nosniff', async () => {
    for (const [path, file] of boardFiles()) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(readFileSync(file, 'utf8'));
      const type = res.headers.get('content-type');
      expect(type, path).toBe(
        path === '/board'
          ? 'text/html; charset=utf-8'
          : path.endsWith('.css')
            ? 'text/css; charset=utf-8'
            : 'text/javascript; charset=utf-8',
      );
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await get('/board/')).status).toBe(302);
    expect((await get('/board', { method: 'HEAD' })).status).toBe(200);
    expect((await get('/board/app.js', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('issue 24: no path traversal: anything else under /board is 404 and serves no other file', async () => {
    const tries = [
      '/board/../package.json',
      '/board/%2e%2e/package.json',
      '/board/..%2fpackage.json',
      '/board/%2e%2e%2fpackage.json',
      '/board/vendor/../../package.json',
      '/board/vendor/%2e%2e%2f%2e%2e%2fpackage.json',
      '/board/vendor/..%5c..%5cpackage.json',
      '/board/vendor/preact/package.json',
      '/board/vendor/preact.mjs/../../../package.json',
      '/board/node_modules/preact/package.json',
      '/board/vendor/ws.js',
      '/board/index.html',
      '/board/app.js%00.png',
      '/board/app.js/',
      '/board//etc/passwd',
      '/board/%2fetc%2fpasswd',
      '/board/../src/server/board.ts',
      '/board/board.ts',
      '/boardx',
    ];
    for (const path of tries) {
      const res = await get(path);
      const body = await res.text();
      expect(res.status, path).toBe(404);
      expect(body, path).not.toContain('"dependencies"');
      expect(body, path).not.toContain(packageJson.slice(0, 40));
      expect(body, path).not.toContain('root:');
    }
    // The same on a real port, where node passes the request line's path as it was sent (no URL normalising).
    const server = await listen(app(), { port: 0, host: '127.0.0.1' });
    try {
      for (const path of tries.filter((p) => p.startsWith('/board/'))) {
        const { status, body } = await new Promise<{ status: number; body: string }>(
          (done, fail) => {
            const req = request(
              { host: '127.0.0.1', port: server.port, path, method: 'GET' },
              (res) => {
                let body = '';
                res
                  .setEncoding('utf8')
                  .on('data', (c: string) => (body += c))
                  .on('end', () => done({ status: res.statusCode!, body }));
              },
            );
            req.on('error', fail).end();
          },
        );
        expect(status, path).toBe(404);
        expect(body, path).not.toContain('"dependencies"');
      }
    } finally {
      await server.close();
    }
  });

  it('issue 24 issue 18: the page runs under the strict CSP: its import map allowed by hash, no unsafe-inline script, nothing from elsewhere', async () => {
    const res = await get('/board');
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'))!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
      (m) => m[1]!,
    );
    expect(inline).toHaveLength(1); // the import map, data only
    expect(JSON.parse(inline[0]!).imports).toEqual({
      preact: '/board/vendor/preact.mjs',
      'preact/hooks': '/board/vendor/hooks.mjs',
      htm: '/board/vendor/htm.mjs',
    });
    expect(scriptSrc).toContain(
      `'sha256-${createHash('sha256').update(inline[0]!, 'utf8').digest('base64')}'`,
    );
    // Every src/href and every import of the page's own modules is the server's.
    for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g))
      expect(m[1]!).toMatch(/^(\/board\/|data:)/);
    for (const f of ['app.js', 'api.js', 'queries.js', 'labels.js']) {
      const js = readFileSync(resolve(BOARD_DIR, f), 'utf8');
      for (const m of js.matchAll(/^import [^'"]*['"]([^'"]+)['"]/gm))
        expect(m[1]!, f).toMatch(/^(\.\/|preact$|preact\/hooks$|htm$)/);
      expect(js, f).not.toMatch(/https?:\/\//);
    }
    expect(html).not.toMatch(/<[^>]+\son[a-z]+=/i);
  });
});
