import { GraphQLError } from 'graphql';
import { MessageType, stringifyMessage } from 'graphql-ws';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
// @ts-expect-error ws's frame parser: exported by the package, not declared by @types/ws
import { Receiver } from 'ws';
import { defineAbilityFor } from '../../src/auth/abilities.js';
import { LiveQueue } from '../../src/live/live-queue.js';
import { useSharedSubscriptionExecution } from '../../src/live/shared-subscriptions.js';
import type { OperationSocket } from '../../src/live/socket.js';
import { frameHeader, utf8Bytes } from '../../src/live/ws-frame.js';

/**
 * Issue "live feeds" (latency at 1,000 subscribers): how a subscription's
 * results leave when they are shared (src/live/shared-subscriptions.ts),
 * on a small schema of its own so that an execution can fail on purpose.
 * Results without errors are written straight to the socket as graphql-ws's
 * own `next` message; a result with errors goes through the result hooks
 * (masked) and graphql-ws; either way in the order of the events. Over real
 * sockets the same path carries every test of test/live/feed.test.ts.
 */

type Tick = { n: number; fail?: boolean };
type Result = {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const schema = createSchema<{ source: LiveQueue<Tick> }>({
  typeDefs: /* GraphQL */ `
    type Query { ok: Boolean }
    type Tick { n: Int! boom: Int label: String }
    type Subscription { ticks: Tick counted: Tick }
  `,
  resolvers: {
    Subscription: {
      ticks: {
        subscribe: (_: unknown, __: unknown, ctx: { source: LiveQueue<Tick> }) => ctx.source,
        resolve: (t: Tick) => t,
      },
      // a source that is not a LiveQueue
      counted: {
        subscribe: async function* () {
          yield { n: 1 };
          yield { n: 2, fail: true };
        },
        resolve: (t: Tick) => t,
      },
    },
    Tick: {
      label: (t: Tick) => `第${t.n}次投诉`,
      boom: (t: Tick) => {
        if (t.fail) throw new Error(`internal detail of tick ${t.n}`);
        return t.n * 10;
      },
    },
  },
});

/** A graphql-ws socket as an operation sees it; `done` is called by the test (`flush`), as the kernel would. */
function socket(id = '7') {
  const sent: string[] = [];
  const pending: (() => void)[] = [];
  const s: OperationSocket & { sent: string[]; flush(n?: number): void; pending: number } = {
    id,
    sent,
    send: (bytes, done) => {
      sent.push(Buffer.from(bytes, 'latin1').toString('utf8'));
      pending.push(done);
    },
    close: () => {},
    /** The kernel takes the oldest `n` writes (all by default). */
    flush: (n = Infinity) => {
      for (const done of pending.splice(0, n)) done();
    },
    get pending() {
      return pending.length;
    },
  };
  return s;
}

function setup() {
  const counts = { executed: 0, shared: 0 };
  const counters = {
    executed: { inc: (n = 1) => void (counts.executed += n) },
    shared: { inc: (n = 1) => void (counts.shared += n) },
  };
  const ability = defineAbilityFor(null);
  const yoga = createYoga({
    schema,
    plugins: [useSharedSubscriptionExecution({ counters })],
    logging: false,
  });
  const subscribe = async (query: string, sock?: OperationSocket) => {
    const source = new LiveQueue<Tick>();
    const { parse, contextFactory, subscribe, schema } = yoga.getEnveloped({ socket: sock });
    const contextValue = Object.assign(await contextFactory(), {
      source,
      ability,
      viewer: null,
      socket: sock,
    });
    const results = (await subscribe({
      schema,
      document: parse(query),
      contextValue,
    })) as AsyncIterableIterator<Result>;
    return { source, results };
  };
  return { counts, subscribe };
}

const Q = 'subscription { ticks { n boom } }';
const next = (id: string, payload: unknown) =>
  stringifyMessage({ id, type: MessageType.Next, payload: payload as never });
const tick = (n: number) => next('7', { data: { ticks: { n, boom: n * 10 } } });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('shared live results (issue "live feeds")', () => {
  it('a result without errors is written to the socket as graphql-ws would write its next message; the iterator yields nothing for it', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source, results } = await subscribe(Q, sock);
    let yielded = 0;
    void results.next().then(() => yielded++);
    source.push({ n: 1 });
    source.push({ n: 2 });
    await settle();
    sock.flush();
    await settle();
    expect(sock.sent).toEqual([tick(1), tick(2)]);
    expect(JSON.parse(sock.sent[0]!)).toEqual({
      id: '7',
      type: 'next',
      payload: { data: { ticks: { n: 1, boom: 10 } } },
    });
    expect(yielded).toBe(0);
  });

  it('text beyond ASCII reaches the socket as the same message (UTF-8, counted in bytes)', async () => {
    const { subscribe } = setup();
    const sock = socket('订阅-1');
    const { source } = await subscribe('subscription { ticks { n label } }', sock);
    source.push({ n: 3 });
    await settle();
    expect(sock.sent).toEqual([next('订阅-1', { data: { ticks: { n: 3, label: '第3次投诉' } } })]);
  });

  it('a result with errors goes through the result hooks (masked) and graphql-ws, and what follows waits until graphql-ws has sent it', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source, results } = await subscribe(Q, sock);
    const first = results.next();
    source.push({ n: 1 });
    source.push({ n: 2, fail: true });
    source.push({ n: 3 });
    await settle();
    sock.flush();
    await settle();
    expect(sock.sent).toEqual([tick(1)]); // 3 waits behind 2
    const failed = (await first) as IteratorYieldResult<Result>;
    expect(failed.value.data).toEqual({ ticks: { n: 2, boom: null } });
    expect(failed.value.errors!.map((e) => e.message)).toEqual(['Unexpected error.']); // masked: no internal detail
    expect(JSON.stringify(failed.value)).not.toContain('internal detail');
    const second = results.next(); // graphql-ws asks for the next one once it has sent the failed one
    await settle();
    expect(sock.sent).toEqual([tick(1), tick(3)]);
    void results.return!();
    expect(await second).toEqual({ value: undefined, done: true });
  });

  it('a result with errors that is ready before graphql-ws first asks still holds back what follows until graphql-ws asks again', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source, results } = await subscribe(Q, sock);
    source.push({ n: 1, fail: true });
    source.push({ n: 2 });
    await settle();
    const failed = await results.next(); // its first ask takes the failed result; 2 must not overtake it
    expect((failed.value as Result).errors).toHaveLength(1);
    await settle();
    expect(sock.sent).toEqual([]);
    const after = results.next();
    await settle();
    expect(sock.sent).toEqual([tick(2)]);
    void results.return!();
    await after;
  });

  it('subscriptions with the same audience and document share one execution per event; the socket ids differ', async () => {
    const { subscribe, counts } = setup();
    const [a, b] = [socket('a'), socket('b')];
    const one = await subscribe(Q, a);
    const two = await subscribe(Q, b);
    const other = await subscribe('subscription { ticks { n } }', socket('c'));
    for (const n of [1, 2]) {
      const t = { n };
      one.source.push(t);
      two.source.push(t);
      other.source.push(t);
    }
    await settle();
    expect(counts).toEqual({ executed: 4, shared: 2 });
    expect(a.sent).toEqual([
      next('a', { data: { ticks: { n: 1, boom: 10 } } }),
      next('a', { data: { ticks: { n: 2, boom: 20 } } }),
    ]);
    expect(b.sent.map((m) => JSON.parse(m).payload)).toEqual(
      a.sent.map((m) => JSON.parse(m).payload),
    );
  });

  it('a socket that takes nothing holds at most 16 results; the rest stays in the queue, where the feed sees a slow consumer', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source } = await subscribe(Q, sock);
    for (let n = 1; n <= 40; n++) source.push({ n });
    await settle();
    expect(sock.sent.length).toBe(16);
    expect(source.size).toBe(24);
    sock.flush(); // the kernel took them: 16 more
    await settle();
    expect(sock.sent.length).toBe(32);
    expect(source.size).toBe(8);
    sock.flush();
    await settle();
    expect(sock.sent).toEqual(Array.from({ length: 40 }, (_, i) => tick(i + 1)));
    expect(source.size).toBe(0);
  });

  it('a full window moves on by as many results as writes finish; writes that finish below the window change nothing', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source } = await subscribe(Q, sock);
    for (let n = 1; n <= 20; n++) source.push({ n });
    await settle();
    expect([sock.sent.length, sock.pending, source.size]).toEqual([16, 16, 4]);
    sock.flush(1);
    await settle();
    expect([sock.sent.length, sock.pending, source.size]).toEqual([17, 16, 3]);
    sock.flush(3);
    await settle();
    expect([sock.sent.length, sock.pending, source.size]).toEqual([20, 16, 0]);
    sock.flush(10); // below the window now: nothing is waiting for them
    await settle();
    expect([sock.sent.length, sock.pending]).toEqual([20, 6]);
    source.push({ n: 21 });
    await settle();
    expect(sock.sent.length).toBe(21);
    expect(sock.sent).toEqual(Array.from({ length: 21 }, (_, i) => tick(i + 1)));
  });

  it('after return() nothing more is written and the source is let go; a source that ends with an error ends the iterator with it, after what came before', async () => {
    const { subscribe } = setup();
    const sock = socket();
    const { source, results } = await subscribe(Q, sock);
    source.push({ n: 1 });
    await settle();
    await results.return!();
    source.push({ n: 2 });
    await settle();
    expect(sock.sent).toEqual([tick(1)]);
    expect(source.done).toBe(true);

    const ending = await subscribe(Q, sock);
    const ended = ending.results.next();
    ending.source.push({ n: 5 });
    ending.source.end(new GraphQLError('feed stopped', { extensions: { code: 'SLOW_CONSUMER' } }));
    await expect(ended).rejects.toThrow('feed stopped');
    expect(sock.sent.at(-1)).toBe(tick(5));
  });

  it('a source that is not a LiveQueue has each value executed and every result goes through the iterator, masked', async () => {
    const { subscribe, counts } = setup();
    const sock = socket();
    const { results } = await subscribe('subscription { counted { n boom } }', sock);
    const got = [await results.next(), await results.next(), await results.next()];
    expect(got.map((r) => r.value)).toEqual([
      { data: { counted: { n: 1, boom: 10 } } },
      {
        data: { counted: { n: 2, boom: null } },
        errors: [expect.objectContaining({ message: 'Unexpected error.' })],
      },
      undefined,
    ]);
    expect(got[2]!.done).toBe(true);
    expect(sock.sent).toEqual([]);
    expect(counts.executed).toBe(2);
  });

  it('without a socket (not over graphql-ws) every result goes through the iterator, in order', async () => {
    const { subscribe } = setup();
    const { source, results } = await subscribe(Q);
    source.push({ n: 1 });
    source.push({ n: 2, fail: true });
    source.push({ n: 3 });
    const got = [await results.next(), await results.next(), await results.next()].map(
      (r) => r.value,
    );
    expect(got.map((r) => (r.data as { ticks: Tick }).ticks.n)).toEqual([1, 2, 3]);
    expect(got.map((r) => r.errors?.length ?? 0)).toEqual([0, 1, 0]);
  });
});

describe('WebSocket text frames for live results', () => {
  const received = (frame: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const receiver = new Receiver({ isServer: false, maxPayload: 0 });
      receiver.on('message', (data: Buffer, isBinary: boolean) =>
        isBinary ? reject(new Error('binary')) : resolve(String(data)),
      );
      receiver.on('error', reject);
      receiver.write(frame);
    });

  /** A frame as the server writes it: header and UTF-8 bytes, written as latin1. */
  const frame = (text: string) => {
    const bytes = utf8Bytes(text);
    return Buffer.from(frameHeader(bytes.length) + bytes, 'latin1');
  };

  it.each([0, 1, 125, 126, 65_535, 65_536, 200_000])(
    'a %i-byte text reads back whole through ws',
    async (bytes) => {
      const text = 'x'.repeat(bytes);
      expect(await received(frame(text))).toBe(text);
    },
  );

  it('lengths count UTF-8 bytes, not characters', async () => {
    const text = `{"name":"张三","note":"${'光猫故障'.repeat(20)}"}`; // 3 bytes per character: over 125 bytes, under 125 characters
    expect(text.length).toBeLessThan(126);
    const f = frame(text);
    expect(f[1]).toBe(126);
    expect(f.length).toBe(4 + Buffer.byteLength(text));
    expect(await received(f)).toBe(text);
  });
});
