import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * Issue 24: the duty board, a page of the server's own at `/board` on the API's port. It is a client of the
 * public API like any portal (login, dutyBriefing, complaint, complaintEvents, slaAlerts and hotspotAlerts over graphql-ws, openIncident, openSupervision): this
 * module only serves its files. What it serves is a fixed allow-list: the page and its own scripts from
 * `board/` in the repository (copied to `dist/board` by `npm run build`), and four browser builds from
 * `node_modules` (Preact, its hooks, htm, graphql-ws's client). Any other path under `/board/` is 404: there is
 * no generic file server, so no path can reach another file. Files are read once and kept in memory.
 * The page's CSP comes from useSecurityHeaders (src/server/security.ts): its one inline script, the import map,
 * is allowed by hash; everything else is loaded from the server itself.
 */

/** The page's own files, in `board/` beside `src/` (dist/board in a build). */
const OWN = ['index.html', 'app.js', 'api.js', 'queries.js', 'labels.js', 'board.css'] as const;

/** Browser builds from node_modules: URL name → [package, file inside the package]. */
const VENDOR: Record<string, [string, string]> = {
  'preact.mjs': ['preact', 'dist/preact.mjs'],
  'hooks.mjs': ['preact', 'hooks/dist/hooks.mjs'],
  'htm.mjs': ['htm', 'dist/htm.module.js'],
  'graphql-ws.js': ['graphql-ws', 'umd/graphql-ws.min.js'],
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Where `board/` is: two folders above this module, in the sources (src/server) and in dist (dist/src/server). */
export const BOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../board');

const require = createRequire(import.meta.url);

/** The root folder of an installed package (found from its entry point: not every package exports package.json). */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name
    )
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`board: package ${name} not found`);
    dir = up;
  }
}

/** The allow-list: URL path → file on disk. Exported for the test that checks nothing else is served. */
export function boardFiles(dir = BOARD_DIR): Map<string, string> {
  const files = new Map<string, string>();
  files.set('/board', join(dir, 'index.html'));
  for (const f of OWN) if (f !== 'index.html') files.set(`/board/${f}`, join(dir, f));
  for (const [name, [pkg, file]] of Object.entries(VENDOR))
    files.set(`/board/vendor/${name}`, join(packageRoot(pkg), file));
  return files;
}

export function useBoard(dir = BOARD_DIR): Plugin {
  let files: Map<string, string> | undefined;
  const cache = new Map<string, { body: string; type: string }>();
  const read = (path: string) => {
    files ??= boardFiles(dir);
    const file = files.get(path);
    if (!file) return null;
    let hit = cache.get(path);
    if (!hit)
      cache.set(
        path,
        (hit = {
          body: readFileSync(file, 'utf8'),
          type: TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
        }),
      );
    return hit;
  };
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (path !== '/board' && !path.startsWith('/board/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(
          new fetchAPI.Response('GET only\n', {
            status: 405,
            headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      }
      if (path === '/board/')
        return endResponse(
          new fetchAPI.Response(null, { status: 302, headers: { location: '/board' } }),
        );
      const hit = read(path);
      if (!hit)
        return endResponse(
          new fetchAPI.Response('not found\n', {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : hit.body, {
          status: 200,
          // no-cache: the browser revalidates, so a new version of the server is picked up at the next load.
          headers: { 'content-type': hit.type, 'cache-control': 'no-cache' },
        }),
      );
    },
  };
}
