import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../src/server/app.js';
import { IDLE_CLOSE, type Listening, listen } from '../../src/server/http.js';
import { useWorld } from '../support/world.js';

/**
 * Issue 19: anonymous WebSockets were acknowledged and held without any cap or time-out (300 held open). Now
 * sockets are capped in all, anonymous ones (before or without valid credentials) in all and per client
 * address, and an anonymous socket that sends nothing for a while is closed. Signed-in sockets are not
 * counted against the anonymous caps.
 */
const world = useWorld();
const servers: Listening[] = [];
const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const s of sockets) s.terminate();
  for (const s of servers) await s.close();
});

async function serve(ws: Partial<ReturnType<typeof world>['config']['ws']>) {
  const w = world();
  const server = await listen(
    createApp({
      ...w.services(w.database.db),
      config: { ...w.config, ws: { ...w.config.ws, ...ws } },
    }),
    { port: 0, host: '127.0.0.1' },
  );
  servers.push(server);
  return server;
}

/** Opens a graphql-transport-ws socket; resolves with 'open' or the HTTP status the upgrade was refused with. */
function open(server: Listening): Promise<{ socket: WebSocket; outcome: 'open' | number }> {
  const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ socket, outcome: 'open' }));
    socket.once('unexpected-response', (_req, res) =>
      resolve({ socket, outcome: res.statusCode ?? 0 }),
    );
    socket.once('error', () => resolve({ socket, outcome: -1 }));
  });
}
const init = (socket: WebSocket, payload: Record<string, unknown> = {}) =>
  new Promise<string>((resolve) => {
    socket.once('message', (m) => resolve(JSON.parse(String(m)).type));
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
  });
const closed = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );

describe('issue 19: WebSocket caps', () => {
  it('issue 19: anonymous sockets per address are capped (429 at the upgrade); signing in frees the slot', async () => {
    const server = await serve({ anonymousPerAddress: 3 });
    const first = await Promise.all([open(server), open(server), open(server)]);
    expect(first.map((o) => o.outcome)).toEqual(['open', 'open', 'open']);
    expect((await open(server)).outcome).toBe(429);
    // Acknowledged anonymously, still anonymous: still counted.
    expect(await init(first[0]!.socket)).toBe('connection_ack');
    expect((await open(server)).outcome).toBe(429);
    // Signed in: no longer anonymous, so one more anonymous socket may open.
    expect(
      await init(first[1]!.socket, {
        authorization: `Bearer ${await world().token('gz.handler')}`,
      }),
    ).toBe('connection_ack');
    expect(server.anonymousSockets()).toBe(2);
    expect((await open(server)).outcome).toBe('open');
    // Closed: its slot is free again.
    first[2]!.socket.close();
    await closed(first[2]!.socket);
    await new Promise((r) => setTimeout(r, 50));
    expect((await open(server)).outcome).toBe('open');
  });

  it('issue 19: anonymous sockets in all, and sockets in all, are capped', async () => {
    const anonymous = await serve({ anonymousMax: 2, anonymousPerAddress: 100 });
    expect((await Promise.all([open(anonymous), open(anonymous)])).map((o) => o.outcome)).toEqual([
      'open',
      'open',
    ]);
    expect((await open(anonymous)).outcome).toBe(429);

    const total = await serve({ maxSockets: 2, anonymousPerAddress: 100 });
    const token = await world().token('gz.handler');
    const signed = await Promise.all([open(total), open(total)]);
    for (const s of signed)
      expect(await init(s.socket, { authorization: `Bearer ${token}` })).toBe('connection_ack');
    expect((await open(total)).outcome).toBe(503);
  });

  it('issue 19: an idle anonymous socket is closed; a signed-in one is not', async () => {
    const server = await serve({ anonymousIdleMs: 300 });
    const anonymous = await open(server);
    expect(await init(anonymous.socket)).toBe('connection_ack');
    const signed = await open(server);
    expect(
      await init(signed.socket, { authorization: `Bearer ${await world().token('gz.handler')}` }),
    ).toBe('connection_ack');
    const started = Date.now();
    expect(await closed(anonymous.socket)).toEqual({
      code: IDLE_CLOSE,
      reason: 'Idle unauthenticated connection',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(signed.socket.readyState).toBe(WebSocket.OPEN);
  });
});
