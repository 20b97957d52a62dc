import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 18, sessions and browsers: CORS answers only the server's own origin
 * and the configured ones (never a reflected stranger), and every response
 * carries nosniff and a content security policy; GraphiQL's page gets one
 * that lets exactly its own inlined scripts run and forbids framing.
 */
const world = useWorld();

const preflight = (origin: string) =>
  new Request('http://api.test/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });

describe('CORS allow-list (issue 18)', () => {
  it('D55 issue 18: a stranger origin gets no CORS grant, on /graphql and the exports alike', async () => {
    const app = world().app(world().database.db);
    for (const path of ['/graphql', '/exports/complaints.csv']) {
      const res = await app.yoga.fetch(
        new Request(`http://api.test${path}`, {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
        }),
      );
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(res.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    const post = await app.yoga.fetch('http://api.test/graphql', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('issue 18: the server’s own origin and a configured one are allowed, with credentials', async () => {
    const w = world();
    const app = createApp({
      ...w.services(w.database.db),
      config: { ...w.config, corsOrigins: ['https://portal.example'] },
    });
    const own = await app.yoga.fetch(preflight('http://api.test'));
    expect(own.headers.get('access-control-allow-origin')).toBe('http://api.test');
    const portal = await app.yoga.fetch(preflight('https://portal.example'));
    expect(portal.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    expect(portal.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await app.yoga.fetch(preflight('https://portal.example.evil.test'));
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers (issue 18)', () => {
  it('issue 18: API answers are nosniff, unframeable and run nothing', async () => {
    const app = world().app(world().database.db);
    for (const [path, init] of [
      [
        '/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        },
      ],
      ['/healthz', {}],
    ] as const) {
      const res = await app.yoga.fetch(`http://api.test${path}`, init as RequestInit);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
  });

  it('issue 18: GraphiQL renders under its CSP: every inline script is allowed by its hash, nothing else inline, no framing', async () => {
    const app = world().app(world().database.db);
    const res = await app.yoga.fetch('http://api.test/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Complaint platform');
    const csp = res.headers.get('content-security-policy')!;
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'))!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
      (m) => m[1]!,
    );
    expect(inline.length).toBeGreaterThan(0);
    for (const body of inline) {
      expect(scriptSrc).toContain(
        `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
      );
    }
    // Nothing is loaded from another origin (assets are inlined): every src/href is relative or data:.
    for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g))
      expect(m[1]!).not.toMatch(/^(https?:)?\/\//);
    // No inline event handlers, which a hash cannot allow.
    expect(html).not.toMatch(/<[^>]+\son[a-z]+=/i);
  });
});
