import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { loadConfig } from '../../src/config/index.js';
import { type EventFeed, feedFor } from '../../src/live/feed.js';
import { operationSocket, wsHoldsBack } from '../../src/live/socket.js';
import { utf8Bytes } from '../../src/live/ws-frame.js';
import { createApp } from '../../src/server/app.js';
import { type Listening, listen } from '../../src/server/http.js';
import { engine } from '../support/cases.js';
import { T0, useWorld } from '../support/world.js';
import { collect, type Ev, FEED, type LiveClient, waitFor, wsClient } from './support.js';

/**
 * Issue 20: the live fast path (src/live) writes frames under `ws`, relying
 * on ws's internals (8.23: a WebSocket's `_sender`, its `_state` and
 * `_queue`): these tests fail when an upgrade of `ws` changes them. And the
 * switch that turns the fast path off (LIVE_FAST_PATH=0): the feed serves
 * the same events either way.
 */

describe('ws internals the fast path relies on (issue 20)', () => {
  it('ws is pinned to 8.23.x (package.json ~8.23), the version whose internals src/live/socket.ts reads', () => {
    const require = createRequire(import.meta.url);
    expect(require('ws/package.json').version).toMatch(/^8\.23\./);
    expect(require('../../package.json').dependencies.ws).toMatch(/^(~8\.23\.\d+|8\.23\.\d+)$/);
  });

  it('a server socket holds nothing back while idle, holds back while reading a Blob, and a message sent then arrives after the Blob', async () => {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
    try {
      const [server, tcp] = await new Promise<[WebSocket, Socket]>((r) =>
        wss.once('connection', (s, req) => r([s, req.socket as Socket])),
      );
      const got: string[] = [];
      client.on('message', (m) => got.push(String(m)));
      const sender = (server as unknown as { _sender: { _state: unknown; _queue: unknown } })
        ._sender;
      expect(typeof sender._state).toBe('number');
      expect(Array.isArray(sender._queue)).toBe(true);
      expect(wsHoldsBack(server)).toBe(false);

      const op = operationSocket(server, tcp, '1');
      server.send(new Blob(['first, read asynchronously']));
      expect(wsHoldsBack(server)).toBe(true); // ws reads the Blob: anything written to the TCP socket now would overtake it
      op.send(utf8Bytes('second, through ws.send'), () => {});
      await waitFor(() => got.length === 2, 'both messages');
      expect(got).toEqual(['first, read asynchronously', 'second, through ws.send']);
      expect(wsHoldsBack(server)).toBe(false);
      op.send(utf8Bytes('third, framed directly: 中文'), () => {});
      await waitFor(() => got.length === 3, 'the directly framed message');
      expect(got[2]).toBe('third, framed directly: 中文');
    } finally {
      client.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => http.close(r));
    }
  });
});

describe('LIVE_FAST_PATH: the feed works with the fast path on and off (issue 20)', () => {
  const world = useWorld();
  let feed: EventFeed;
  const servers: Listening[] = [];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    feed = await feedFor(world().database);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(servers.map((s) => s.close()));
  });

  it('the switch reads LIVE_FAST_PATH (default on)', () => {
    const base = {
      DATABASE_URL: 'postgres://x',
      JWT_SECRET: 'test-secret-test-secret-test-secret-42',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'admin-test-password',
      NODE_ENV: 'test',
    };
    expect(loadConfig(base).live.fastPath).toBe(true);
    expect(loadConfig({ ...base, LIVE_FAST_PATH: '0' }).live.fastPath).toBe(false);
  });

  it('D56: subscribers over both servers get the same events, in log order, with the same cursors', async () => {
    const w = world();
    w.clock.set(T0);
    const subs = [];
    for (const fastPath of [true, false]) {
      const app = createApp({
        ...w.services(w.database.db),
        config: { ...w.config, live: { fastPath } },
      });
      const server = await listen(app, { port: 0, host: '127.0.0.1' });
      servers.push(server);
      const client = wsClient(server, { authorization: `Bearer ${await w.token('gd.duty')}` });
      clients.push(client);
      const before = feed.size;
      const sub = collect<Ev>(client, FEED);
      await waitFor(() => feed.size > before || sub.done, 'the subscription to reach the feed');
      subs.push(sub);
    }
    const c = await engine(w, w.database.db).accepted();
    for (const sub of subs)
      await waitFor(
        () => sub.items.filter((x) => x.complaint.number === c.number).length === 2,
        'REGISTER and ACCEPT',
      );
    const [on, off] = subs.map((s) =>
      s.items.filter((x) => x.complaint.number === c.number).map((x) => [x.action, x.cursor]),
    );
    expect(on!.map(([a]) => a)).toEqual(['REGISTER', 'ACCEPT']);
    expect(off).toEqual(on);
  });
});
