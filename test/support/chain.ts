import { createHash } from 'node:crypto';
import type { App } from '../../src/server/app.js';
import { gql } from './gql.js';

/**
 * D56: an outside auditor's check of a case's chain through the API alone:
 * each event's hash is the SHA-256 of the previous hash (empty for the
 * first), a line feed, and the RFC 8785 JSON of the event as served. With
 * D51: where the payload has a noteSha256 and the note is still served, the
 * note must hash to it. Written independently of src (its own RFC 8785), as an
 * outside auditor would.
 */
const TIMELINE = `query ($id: ID!, $after: String) { complaint(id: $id) { id timeline(first: 100, after: $after) {
  edges { node { action actor { ... on User { id } ... on Partner { id } } at complaint { id } fromStatus toStatus payload note hash } }
  pageInfo { hasNextPage endCursor } } } }`;

export type ServedEvent = {
  action: string;
  actor: { id: string } | null;
  at: string;
  complaint: { id: string };
  fromStatus: string | null;
  toStatus: string | null;
  payload: any;
  note?: string | null;
  hash: string;
};

export async function servedTimeline(
  app: App,
  id: string,
  auth: { token?: string; apiKey?: string },
): Promise<ServedEvent[]> {
  const events: ServedEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const r: { data?: any; errors?: unknown[] } = await gql(app, TIMELINE, { id, after }, auth);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const t: any = r.data.complaint.timeline;
    events.push(...t.edges.map((e: any) => e.node));
    if (!t.pageInfo.hasNextPage) return events;
    after = t.pageInfo.endCursor;
  }
}

/** RFC 8785 for the JSON values an API response holds. */
export function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${jcs(o[k])}`)
    .join(',')}}`;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The first problem an auditor finds in the served chain, or null when it verifies. */
export function chainProblem(events: ServedEvent[]): string | null {
  let prev = '';
  for (const [i, e] of events.entries()) {
    const body = jcs({
      action: e.action,
      actor: e.actor?.id ?? null,
      at: e.at,
      complaint: e.complaint.id,
      fromStatus: e.fromStatus,
      payload: e.payload,
      toStatus: e.toStatus,
    });
    const expected = sha256(`${prev}\n${body}`);
    if (expected !== e.hash) return `event ${i} (${e.action}): hash ${e.hash} ≠ ${expected}`;
    if (e.note != null && e.payload?.noteSha256 !== sha256(e.note))
      return `event ${i} (${e.action}): note does not match noteSha256`;
    prev = e.hash;
  }
  return null;
}
