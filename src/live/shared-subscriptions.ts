import { execute, normalizedExecutor } from '@graphql-tools/executor';
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  print,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.js';
import { audienceOf } from './audience.js';
import { LiveQueue } from './live-queue.js';
import type { OperationSocket } from './socket.js';
import { utf8Bytes } from './ws-frame.js';

type Counters = { executed: { inc(n?: number): void }; shared: { inc(n?: number): void } };

/**
 * Live feeds execute each event once per audience, not once per subscription
 * (issue "live feeds": latency at 1,000 subscribers). Subscriptions with the
 * same audience (viewer and rules, `audienceOf`), document, operation and
 * variables share the execution of an event: the first to ask runs it, the
 * others get the same result. Sharing needs the very same payload object,
 * which is what the instance's EventFeed hands every subscriber; replayed
 * events are read per subscriber and executed per subscriber. Everything
 * else of a subscription (its ability check, buffer, socket) stays its own.
 *
 * Over graphql-ws a result without errors is also serialised once and
 * written straight to each subscriber's socket as its `next` message, the
 * very text graphql-ws would send; the per-subscription path through the
 * result hooks and graphql-ws's loop (≈ 15 µs a message) is left to results
 * with errors, which the hooks mask. That holds while the result hooks of
 * subscriptions touch errors only (yoga's masking, `useNoSuggestions`).
 * Either way a subscription's messages leave in the order of its events.
 */
export function useSharedSubscriptionExecution(
  opts: {
    /** Runs in the executing subscriber's context before an event is executed (e.g. its loaders learn the case). */
    prepare?: (context: Context, payload: unknown) => void;
    counters?: Counters;
  } = {},
): Plugin {
  const { prepare, counters } = opts;
  // Shared results are counted once per microtask, not per subscriber: a thousand subscribers are a thousand uses.
  let uses = 0;
  const flushUses = () => {
    counters?.shared.inc(uses);
    uses = 0;
  };
  const used = () => {
    if (uses++ === 0) queueMicrotask(flushUses);
  };
  /** Per event payload: the result for each share key, while the payload lives. */
  const results = new WeakMap<object, Map<string, Shared>>();
  const texts = new WeakMap<DocumentNode, string>();

  const subscribe = (args: ExecutionArgs) => {
    const ctx = args.contextValue as Partial<Context> | undefined;
    if (!ctx?.ability) return normalizedExecutor(args);
    let text = texts.get(args.document);
    if (text === undefined) texts.set(args.document, (text = print(args.document)));
    const key = `${audienceOf(ctx as Context)}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${text}`;
    const run = (payload: unknown) => {
      counters?.executed.inc();
      if (typeof payload === 'object' && payload !== null) prepare?.(ctx as Context, payload);
      return execute({ ...args, rootValue: payload });
    };
    const shared = (payload: unknown): Shared => {
      if (typeof payload !== 'object' || payload === null) return new Shared(run(payload));
      let byKey = results.get(payload);
      if (!byKey) results.set(payload, (byKey = new Map()));
      let s = byKey.get(key);
      if (s === undefined) byKey.set(key, (s = new Shared(run(payload))));
      else used();
      return s;
    };
    return Promise.resolve(createSourceEventStream(args)).then((stream) => {
      if (!(Symbol.asyncIterator in stream)) return stream;
      if (stream instanceof LiveQueue) return new Lane(stream, shared, ctx.socket).results;
      return mapEvents(stream, (payload) => shared(payload).value());
    });
  };

  return { onSubscribe: ({ setSubscribeFn }) => setSubscribeFn(subscribe as never) };
}

const isPromise = <V>(v: V | Promise<V>): v is Promise<V> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

/** One execution of an event for one share key, and the subscriptions waiting for it to settle. */
class Shared {
  result: ExecutionResult | undefined;
  failure: { error: unknown } | undefined;
  #made: ExecutionResult | Promise<ExecutionResult>;
  #json: string | undefined;
  #waiting: Lane[] = [];

  constructor(made: ReturnType<typeof execute>) {
    this.#made = made as ExecutionResult | Promise<ExecutionResult>;
    if (!isPromise(this.#made)) this.result = this.#made;
    else
      this.#made.then(
        (result) => {
          this.result = result;
          this.#settle();
        },
        (error) => {
          this.failure = { error };
          this.#settle();
        },
      );
  }

  get settled() {
    return this.result !== undefined || this.failure !== undefined;
  }

  /** The result as an iterator would yield it. */
  value() {
    return this.#made;
  }

  /** The result as UTF-8 bytes of JSON (ws-frame.ts), if it may be written directly: a plain result without errors. */
  json(): string | undefined {
    const r = this.result;
    if (r === undefined || r.errors?.length || Symbol.asyncIterator in r) return undefined;
    return (this.#json ??= utf8Bytes(JSON.stringify(r)));
  }

  wait(lane: Lane) {
    this.#waiting.push(lane);
  }

  #settle() {
    for (const lane of this.#waiting.splice(0)) lane.pull();
  }
}

/** Results a subscription may have executed or on its socket (not yet written to the kernel) at once. */
const WINDOW = 16;

/**
 * One subscription's results, in the order of its events. It takes events
 * from the subscription's queue synchronously as they are pushed (while it
 * has fewer than WINDOW results in hand), writes each result without errors
 * to the socket as it settles, and hands a result with errors to the
 * iterator graphql-ws reads (`results`), writing nothing after it until
 * graphql-ws has sent it. What it does not take stays in the queue, where
 * the feed sees a slow consumer. Without a socket (e.g. not over
 * graphql-ws) every result goes through the iterator.
 */
class Lane {
  readonly results: AsyncIterableIterator<ExecutionResult>;
  readonly #source: LiveQueue<unknown>;
  readonly #shared: (payload: unknown) => Shared;
  readonly #socket: OperationSocket | undefined;
  readonly #prefix: string;
  readonly #out = new LiveQueue<ExecutionResult>();
  readonly #inHand: Shared[] = [];
  #writing = 0;
  /** Results handed to the iterator, and `next()` calls: graphql-ws asks again once it has sent what it got. */
  #handed = 0;
  #asked = 0;
  #end: { error?: unknown } | null = null;
  #stopped = false;
  #pulling = false;
  #again = false;
  /** A write reached the kernel: only a full window stopped the last pass because of writes in flight. */
  readonly #written = () => {
    if (this.#writing-- + this.#inHand.length >= WINDOW) this.pull();
  };

  constructor(
    source: LiveQueue<unknown>,
    shared: (payload: unknown) => Shared,
    socket: OperationSocket | undefined,
  ) {
    this.#source = source;
    this.#shared = shared;
    this.#socket = socket;
    this.#prefix = socket
      ? utf8Bytes(`{"id":${JSON.stringify(socket.id)},"type":"next","payload":`)
      : '';
    const out = this.#out;
    this.results = {
      next: () => {
        const held = this.#handedOver;
        this.#asked++;
        if (held && !this.#handedOver) this.pull(); // graphql-ws has sent every result handed to it
        return out.next();
      },
      return: () => {
        this.#stop();
        return out.return();
      },
      throw: (e: unknown) => {
        this.#stop();
        return out.throw(e);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    source.onReady(() => this.pull());
  }

  /** A result was handed to the iterator and graphql-ws has not yet asked for the one after it. */
  get #handedOver() {
    return this.#handed > 0 && this.#handed >= this.#asked;
  }

  pull(): void {
    if (this.#pulling) {
      this.#again = true; // e.g. a write done at once: the running pass goes round again
      return;
    }
    this.#pulling = true;
    try {
      do {
        this.#again = false;
        this.#pass();
      } while (this.#again);
    } finally {
      this.#pulling = false;
    }
  }

  #pass() {
    const hand = this.#inHand;
    while (!this.#stopped) {
      // What has settled at the head goes out, in order.
      while (hand.length && hand[0]!.settled && !this.#handedOver) {
        const s = hand.shift()!;
        if (s.failure) return this.#finish(s.failure);
        const json = this.#socket && s.json();
        if (json !== undefined) {
          this.#writing++;
          this.#socket!.send(`${this.#prefix + json}}`, this.#written);
        } else {
          this.#handed++;
          this.#out.push(s.result!);
        }
      }
      if (this.#end) {
        if (!hand.length && !this.#handedOver) this.#finish(this.#end);
        return;
      }
      if (this.#handedOver || hand.length + this.#writing >= WINDOW) return;
      const source = this.#source;
      if (source.size === 0) {
        const end = source.take(); // nothing buffered: null while open, or how it ended
        if (end === null) return;
        this.#end = end as { done: true; error?: unknown };
        continue;
      }
      const s = this.#shared(source.shift());
      hand.push(s);
      if (!s.settled) s.wait(this);
    }
  }

  /** The source ended (or an execution failed): the iterator ends the same way once it is read up to here. */
  #finish(end: { error?: unknown }) {
    this.#stop();
    this.#out.end(end.error);
  }

  #stop() {
    this.#stopped = true;
    this.#inHand.length = 0;
    this.#source.return();
  }
}

/**
 * Maps a source stream that is not a LiveQueue. Unlike an async generator,
 * `return()` reaches the source at once even while a `next()` waits, so a
 * subscriber that leaves a quiet feed is let go immediately.
 */
function mapEvents<T, R>(
  source: AsyncIterable<T>,
  map: (value: T) => R | Promise<R>,
): AsyncGenerator<R> {
  const it = source[Symbol.asyncIterator]();
  const mapped = (r: IteratorResult<T>): IteratorResult<R> | Promise<IteratorResult<R>> => {
    if (r.done) return { value: undefined, done: true };
    const value = map(r.value);
    return isPromise(value)
      ? value.then((v) => ({ value: v, done: false }))
      : { value, done: false };
  };
  const gen: AsyncGenerator<R> = {
    next: () => it.next().then(mapped),
    return: () =>
      it.return ? it.return().then(mapped) : Promise.resolve({ value: undefined, done: true }),
    throw: (e: unknown) => (it.throw ? it.throw(e).then(mapped) : Promise.reject(e)),
    [Symbol.asyncIterator]: () => gen,
  } as unknown as AsyncGenerator<R>;
  return gen;
}
