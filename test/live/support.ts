import { type Client, createClient, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { Listening } from '../../src/server/http.js';

/**
 * Helpers of the live-feed tests: graphql-ws clients that never retry (so a
 * close reaches the test), subscriptions that collect what they receive, and
 * polling with a short timeout instead of sleeping.
 */

export const wsUrl = (s: Listening | string) =>
  (typeof s === 'string' ? s : s.url).replace(/^http/, 'ws');

export type Closed = { code: number; reason: string };

export type LiveClient = Client & { closes: Closed[]; socket(): WebSocket | null };

/** A graphql-ws client on the server's path; its closes are recorded. */
export function wsClient(
  server: Listening | string,
  connectionParams: Record<string, unknown> = {},
): LiveClient {
  const closes: Closed[] = [];
  let current: WebSocket | null = null;
  const client = createClient({
    url: wsUrl(server),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
    lazyCloseTimeout: 0,
    on: {
      connected: (socket) => {
        current = socket as WebSocket;
      },
      closed: (event) =>
        closes.push({
          code: (event as { code: number }).code,
          reason: String((event as { reason?: string }).reason ?? ''),
        }),
    },
  });
  return Object.assign(client, { closes, socket: () => current });
}

export type Collected<T> = {
  items: T[];
  /** Results that carried errors (the operation goes on). */
  resultErrors: unknown[];
  /** What the operation ended with: an array of GraphQL errors, a CloseEvent, or an Error. */
  error: unknown;
  done: boolean;
  stop(): void;
};

/**
 * Subscribes and collects `data[field]` of every result, in arrival order.
 * `field` defaults to the first root field of the result.
 */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Collected<T> {
  const c: Collected<T> = {
    items: [],
    resultErrors: [],
    error: undefined,
    done: false,
    stop: () => {},
  };
  c.stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (r: ExecutionResult<Record<string, T>, unknown>) => {
        if (r.errors?.length) c.resultErrors.push(r.errors);
        if (r.data) c.items.push(Object.values(r.data)[0] as T);
      },
      error: (e) => {
        c.error = e;
        c.done = true;
      },
      complete: () => {
        c.done = true;
      },
    },
  );
  return c;
}

/** Polls `check` every few milliseconds until it returns a truthy value; fails with `what` after `timeout` ms. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string | (() => string),
  timeout = 5_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The first result of a query or mutation over the socket (or what it was refused with). */
export async function first(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
) {
  for await (const result of client.iterate({ query, variables }))
    return result as ExecutionResult<any, unknown>;
  throw new Error('the operation completed without a result');
}

/** The event selection every feed test reads. */
export const EVENT_FIELDS = `
  cursor action fromStatus toStatus at payload hash
  actor { __typename ... on User { username displayName } ... on Partner { name } }
  complaint { id number severity handlingUnit { code } }
`;

export const FEED = `subscription Feed($filter: ComplaintEventFilter, $after: String) {
  complaintEvents(filter: $filter, after: $after) { ${EVENT_FIELDS} }
}`;

export type Ev = {
  cursor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  at: string;
  payload: unknown;
  hash: string;
  actor: { __typename: string; username?: string; displayName?: string; name?: string } | null;
  complaint: {
    id: string;
    number: string;
    severity: string | null;
    handlingUnit: { code: string } | null;
  };
};

/** Decodes an event cursor (D56: opaque to clients; the tests know it is a position). */
export const positionOf = (cursor: string) => {
  const m = /^ev:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new Error(`not an event cursor: ${cursor}`);
  return BigInt(m[1]!);
};

/** Every adjacent pair strictly increasing. */
export const strictlyIncreasing = (cursors: string[]) =>
  cursors.every((c, i) => i === 0 || positionOf(cursors[i - 1]!) < positionOf(c));
