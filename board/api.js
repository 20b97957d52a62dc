// The board is a client of the public API, nothing more: GraphQL over HTTP on /graphql, and graphql-ws's own
// browser client (served as /board/vendor/graphql-ws.js, window.graphqlWs) on the same path.

const TOKEN_KEY = 'board.token';

/** The token lives for this tab only (sessionStorage): never in a URL, never in localStorage. */
export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Credentials refused or expired: the board goes back to sign-in. */
export class SignedOut extends Error {}

let onSignedOut = () => {};
export const whenSignedOut = (fn) => (onSignedOut = fn);

const signedOut = (why) => {
  session.clear();
  onSignedOut(why);
  return new SignedOut(why);
};

/** One GraphQL operation over HTTP. GraphQL errors without data throw; `data` with partial errors is returned. */
export async function gql(query, variables = {}) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`服务器应答异常（HTTP ${res.status}）`);
  }
  const errors = body.errors ?? [];
  if (token && errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'))
    throw signedOut('登录已失效，请重新登录');
  if (errors.length && !body.data) throw new Error(errors.map((e) => e.message).join('；'));
  return body.data;
}

/**
 * One graphql-ws client for the board's subscriptions. It does not retry on its own: a retry of graphql-ws
 * would subscribe again with the first variables, replaying from the first cursor. `resumable` below
 * subscribes again itself, from the last cursor it received (D21, D56).
 * Status: 'connecting' → 'live'; when the socket closes: 'reconnecting' until it is back.
 */
export function liveClient({ onStatus }) {
  const { createClient } = window.graphqlWs;
  let socket = null;
  let pongTimer;
  const connected = new Set();
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => ({ authorization: `Bearer ${session.token}` }),
    lazy: true,
    retryAttempts: 0,
    shouldRetry: () => false,
    // A ping every 10 s; no pong within 5 s: the network is gone, close and resume (graphql-ws's recipe).
    keepAlive: 10_000,
    on: {
      connecting: () => onStatus(socket ? 'reconnecting' : 'connecting'),
      connected: (s) => {
        socket = s;
        onStatus('live');
        connected.forEach((f) => f());
      },
      closed: () => {
        clearTimeout(pongTimer);
        if (socket) onStatus('reconnecting');
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(
          () => socket?.readyState === WebSocket.OPEN && socket.close(4408, 'Pong timeout'),
          5_000,
        );
      },
      pong: (received) => received && clearTimeout(pongTimer),
    },
  });
  // The browser knows the network is back: try at once rather than at the next backoff step.
  const retryNow = new Set();
  const onOnline = () => retryNow.forEach((f) => f());
  window.addEventListener('online', onOnline);
  return {
    client,
    retryNow,
    connected,
    dispose: () => {
      window.removeEventListener('online', onOnline);
      client.dispose();
    },
  };
}

const AUTH_CLOSES = new Set([4401, 4403]);

/**
 * A subscription that resumes: it passes the cursor of the last item it received as `after` when it subscribes
 * again, so that the server replays what was raised meanwhile (no gap) and nothing already received (no
 * duplicate). `cursor` is where to start (null: live from now). `onItem` gets every item once, in order.
 */
export function resumable(
  live,
  { query, field, variables = {}, cursor = null, onItem, onProblem = () => {} },
) {
  let stopped = false;
  let unsubscribe = null;
  let timer;
  let failures = 0;
  const again = (why) => {
    unsubscribe = null;
    if (stopped) return;
    if (why && AUTH_CLOSES.has(why.code)) return void signedOut('登录已失效，请重新登录');
    if (Array.isArray(why)) onProblem(why.map((e) => e.message).join('；'));
    const wait = Math.min(500 * 2 ** failures++, 10_000);
    timer = setTimeout(start, wait);
  };
  const start = () => {
    clearTimeout(timer);
    if (stopped || unsubscribe) return;
    unsubscribe = live.client.subscribe(
      { query, variables: { ...variables, after: cursor } },
      {
        next: (result) => {
          failures = 0;
          const item = result.data?.[field];
          if (item) {
            if (item.cursor) cursor = item.cursor;
            onItem(item);
          }
          if (result.errors?.length) onProblem(result.errors.map((e) => e.message).join('；'));
        },
        error: again,
        complete: () => again(null),
      },
    );
  };
  const now = () => {
    if (!unsubscribe && !stopped) {
      failures = 0;
      start();
    }
  };
  const reset = () => (failures = 0);
  live.retryNow.add(now);
  live.connected.add(reset);
  start();
  return {
    get cursor() {
      return cursor;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      live.retryNow.delete(now);
      live.connected.delete(reset);
      unsubscribe?.();
    },
  };
}
