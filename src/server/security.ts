import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/index.js';

/**
 * Browsers (issue 18). CORS: only the server's own origin and those listed
 * in CORS_ORIGINS may call the API from a page (no origin is reflected
 * blindly; credentials are headers, never cookies). Every response says
 * `nosniff`; pages (GraphiQL) get a content security policy that lets their
 * own inlined scripts run by hash and nothing from elsewhere, and may not be
 * framed (`frame-ancestors 'none'`).
 */
export function corsFor(config: Config) {
  const allowed = new Set(config.corsOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin) return false as const;
    const own = new URL(request.url).origin;
    if (origin !== own && !allowed.has(origin)) return false as const;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'x-api-key',
        'x-graphql-yoga-csrf',
        'x-request-id',
      ],
      maxAge: 600,
    };
  };
}

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The CSP of an HTML page: its inline scripts allowed by their SHA-256, everything else from the server itself. */
export function pageCsp(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    // GraphiQL sets styles from script (CodeMirror, its themes): inline styles stay allowed, scripts do not.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For what is not a page (JSON, CSV, text): nothing may run or frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function useSecurityHeaders(): Plugin {
  return {
    async onResponse({ response }) {
      response.headers.set('x-content-type-options', 'nosniff');
      response.headers.set('referrer-policy', 'no-referrer');
      response.headers.set('x-frame-options', 'DENY');
      if (response.headers.has('content-security-policy')) return;
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('text/html')) {
        // Pages are small and made by the server (GraphiQL): read once to hash their inline scripts.
        const html = await response.clone().text();
        response.headers.set('content-security-policy', pageCsp(html));
      } else {
        response.headers.set('content-security-policy', API_CSP);
      }
    },
  };
}
