import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { type RevocationWatch, revocationsFor } from '../../src/auth/revocation.js';
import { signToken, TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';
import { users } from '../../src/db/schema.js';
import { createPartner, createUser } from '../../src/domain/org.js';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { type EventFeed, feedFor } from '../../src/live/feed.js';
import { type App, createApp } from '../../src/server/app.js';
import { type Listening, listen, REVOKED_CLOSE } from '../../src/server/http.js';
import { engine } from '../support/cases.js';
import { gql } from '../support/gql.js';
import { T0, useWorld } from '../support/world.js';
import { collect, FEED, type LiveClient, waitFor, wsClient } from './support.js';

/**
 * Issue 18, D52: every live path ends with its credentials — at the token's
 * expiry, and at once when the user is disabled or reset or a partner's key
 * rotated — over graphql-ws (close 4401 / 4403) and over server-sent events
 * (the stream ends with UNAUTHENTICATED), on every instance: the change is
 * announced through the database (NOTIFY at commit) and each instance's
 * watch closes what it holds. Changes here commit (notifications are
 * delivered at commit), so each test uses accounts of its own.
 */
const world = useWorld();

let appA: App;
let appB: App;
let serverA: Listening;
let serverB: Listening;
let feed: EventFeed;
let watch: RevocationWatch;
const clients: LiveClient[] = [];

beforeAll(async () => {
  const w = world();
  w.clock.set(T0);
  // Two instances on one database.
  appA = createApp(w.services(w.database.db));
  appB = createApp(w.services(w.database.db));
  serverA = await listen(appA, { port: 0, host: '127.0.0.1' });
  serverB = await listen(appB, { port: 0, host: '127.0.0.1' });
  feed = await feedFor(w.database);
  watch = await revocationsFor(w.database);
});
afterEach(async () => {
  world().clock.set(T0);
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await serverA?.close();
  await serverB?.close();
});

let serial = 0;
/** A committed GZ handler of its own, who has set their own password. */
async function freshHandler() {
  const w = world();
  const unitId = w.units['GD-GZ']!.id;
  const user = await createUser(w.database.db, defineAbilityFor(w.admin), {
    username: `live.${++serial}`,
    password: 'a-long-password-1',
    displayName: 'Live',
    unitId,
    roles: [{ role: 'HANDLER', unitId }],
  });
  await w.database.db.update(users).set({ mustChangePassword: false }).where(eq(users.id, user.id));
  return { id: user.id, token: await signToken(w.config.jwtSecret, user.id, w.clock.now(), 0) };
}

async function subscribeWs(server: Listening, params: Record<string, unknown>) {
  const client = wsClient(server, params);
  clients.push(client);
  const before = feed.size;
  const sub = collect(client, FEED);
  await waitFor(() => feed.size > before || sub.done, 'the subscription to reach the feed');
  expect(sub.done).toBe(false);
  return { client, sub };
}

/** A subscription over server-sent events (graphql-yoga's GraphQL over SSE), read as text. */
async function subscribeSse(server: Listening, token: string) {
  const before = feed.size;
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: FEED }),
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const state = { text: '', ended: false };
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      state.text += decoder.decode(value, { stream: true });
    }
    state.ended = true;
  })();
  await waitFor(() => feed.size > before, 'the SSE subscription to reach the feed');
  return state;
}

const asAdmin = async () => ({ token: await world().token('gd.admin') });

describe('issue 18: WebSocket subscriptions end with their credentials', () => {
  it('D52: disabling a user closes their open socket with 4403 — on the other instance too', async () => {
    const h = await freshHandler();
    const onA = await subscribeWs(serverA, { authorization: `Bearer ${h.token}` });
    const onB = await subscribeWs(serverB, { authorization: `Bearer ${h.token}` });
    const r = await gql(
      appA,
      `mutation ($id: ID!) { disableUser(id: $id) { userErrors { code } } }`,
      { id: toGlobalId('User', h.id) },
      await asAdmin(),
    );
    expect(r.data.disableUser.userErrors).toEqual([]);
    await waitFor(
      () => onA.client.closes.length && onB.client.closes.length,
      'both sockets to close',
    );
    expect(onA.client.closes[0]!.code).toBe(REVOKED_CLOSE);
    expect(onB.client.closes[0]!.code).toBe(REVOKED_CLOSE);
    // A new socket with the old token is refused too.
    const again = wsClient(serverB, { authorization: `Bearer ${h.token}` });
    clients.push(again);
    const sub = collect(again, FEED);
    await waitFor(() => sub.done, 'the refused socket to end');
    expect(again.closes[0]?.code).toBe(4403);
  });

  it('D52: resetting a user’s password closes their socket with 4403', async () => {
    const h = await freshHandler();
    const { client } = await subscribeWs(serverB, { authorization: `Bearer ${h.token}` });
    const r = await gql(
      appA,
      `mutation ($id: ID!) { resetPassword(userId: $id, newPassword: "reset-by-admin-77") { userErrors { code } } }`,
      { id: toGlobalId('User', h.id) },
      await asAdmin(),
    );
    expect(r.data.resetPassword.userErrors).toEqual([]);
    await waitFor(() => client.closes.length, 'the socket to close');
    expect(client.closes[0]!.code).toBe(REVOKED_CLOSE);
  });

  it('D40 D52: rotating a partner’s key closes the sockets opened with the old key with 4403', async () => {
    const w = world();
    const { partner, apiKey } = await createPartner(w.database.db, defineAbilityFor(w.admin), {
      name: 'Live partner',
      carrierCode: `LP${++serial}`,
      provinceId: w.units.GD!.id,
    });
    const { client } = await subscribeWs(serverB, { apiKey });
    const r = await gql(
      appA,
      `mutation ($id: ID!) { rotatePartnerKey(partnerId: $id) { apiKey } }`,
      { id: toGlobalId('Partner', partner.id) },
      await asAdmin(),
    );
    expect(r.data.rotatePartnerKey.apiKey).toMatch(/^cpk_/);
    await waitFor(() => client.closes.length, 'the socket to close');
    expect(client.closes[0]!.code).toBe(REVOKED_CLOSE);
  });

  it('D55: a socket closes with 4401 when its token expires', async () => {
    const h = await freshHandler();
    world().clock.set(new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000 - 800));
    const { client, sub } = await subscribeWs(serverA, { authorization: `Bearer ${h.token}` });
    await waitFor(() => client.closes.length, 'the socket to close at expiry', 5_000);
    expect(client.closes[0]!.code).toBe(4401);
    expect(sub.done).toBe(true);
  });
});

describe('issue 18: server-sent-event subscriptions end with their credentials', () => {
  it('D55: an SSE subscription ends at its token’s expiry, and delivers nothing after', async () => {
    const w = world();
    const h = await freshHandler();
    w.clock.set(new Date(T0.getTime() + TOKEN_TTL_SECONDS * 1000 - 800));
    const stream = await subscribeSse(serverA, h.token);
    await waitFor(() => stream.ended, 'the stream to end at expiry', 5_000);
    expect(stream.text).toContain('UNAUTHENTICATED');
    expect(stream.text).toContain('Credentials expired');
    // A case the handler would have read, made after: not on the (ended) stream.
    await engine(w, w.database.db).investigating('city', {
      customer: { name: '王后来', phone: '13700000000' },
    });
    await feed.pump();
    expect(stream.text).not.toContain('王后来');
  });

  it('D52: disabling a user ends their SSE subscription at once — on the other instance too', async () => {
    const h = await freshHandler();
    const streamA = await subscribeSse(serverA, h.token);
    const streamB = await subscribeSse(serverB, h.token);
    const watching = watch.size;
    await gql(
      appB,
      `mutation ($id: ID!) { disableUser(id: $id) { userErrors { code } } }`,
      { id: toGlobalId('User', h.id) },
      await asAdmin(),
    );
    await waitFor(() => streamA.ended && streamB.ended, 'both streams to end');
    expect(streamA.text).toContain('Credentials revoked');
    expect(streamB.text).toContain('Credentials revoked');
    await waitFor(() => watch.size <= watching - 2, 'the watches to be released');
  });

  it('D52: resetting a password ends the SSE subscription', async () => {
    const h = await freshHandler();
    const stream = await subscribeSse(serverB, h.token);
    await gql(
      appA,
      `mutation ($id: ID!) { resetPassword(userId: $id, newPassword: "reset-by-admin-88") { userErrors { code } } }`,
      { id: toGlobalId('User', h.id) },
      await asAdmin(),
    );
    await waitFor(() => stream.ended, 'the stream to end');
    expect(stream.text).toContain('UNAUTHENTICATED');
  });
});
