import type { Plugin } from 'graphql-yoga';
import { execute, normalizedExecutor } from '@graphql-tools/executor';
import { createSourceEventStream, print, type DocumentNode, type ExecutionArgs } from 'graphql';
import { audienceOf, type Context } from '../graphql/context.js';

/**
 * Live feeds execute each event once per audience, not once per subscription
 * (issue "live feeds": latency at 1,000 subscribers). Subscriptions with the
 * same audience (viewer and rules, `audienceOf`), document, operation and
 * variables share the execution of an event: the first to ask runs it, the
 * others get the same result. Sharing needs the very same payload object,
 * which is what the instance's EventFeed hands every subscriber; replayed
 * events are read per subscriber and executed per subscriber. Everything
 * else of a subscription (its ability check, buffer, socket) stays its own.
 */
export function useSharedSubscriptionExecution(opts: {
  /** Runs in the executing subscriber's context before an event is executed (e.g. its loaders learn the case). */
  prepare?: (context: Context, payload: unknown) => void;
  counters?: { executed: { inc(): void }; shared: { inc(): void } };
} = {}): Plugin {
  const { prepare, counters } = opts;
  /** Per event payload: the result for each share key, while the payload lives. */
  const results = new WeakMap<object, Map<string, unknown>>();
  const texts = new WeakMap<DocumentNode, string>();

  const subscribe = (args: ExecutionArgs) => {
    const ctx = args.contextValue as Partial<Context> | undefined;
    if (!ctx?.ability) return normalizedExecutor(args);
    let text = texts.get(args.document);
    if (text === undefined) texts.set(args.document, (text = print(args.document)));
    const key = `${audienceOf(ctx as Context)}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${text}`;
    const once = (payload: unknown) => {
      if (typeof payload !== 'object' || payload === null) {
        counters?.executed.inc();
        return execute({ ...args, rootValue: payload });
      }
      let byKey = results.get(payload);
      if (!byKey) results.set(payload, (byKey = new Map()));
      let result = byKey.get(key);
      if (result === undefined) {
        prepare?.(ctx as Context, payload);
        const made = execute({ ...args, rootValue: payload });
        byKey.set(key, made);
        // once settled, later subscribers take the value itself, not a promise to wait on
        if (isPromise(made)) made.then((value) => byKey.set(key, value), () => {});
        counters?.executed.inc();
        return made;
      }
      counters?.shared.inc();
      return result;
    };
    return Promise.resolve(createSourceEventStream(args)).then((stream) => (Symbol.asyncIterator in stream ? mapEvents(stream, once) : stream));
  };

  return { onSubscribe: ({ setSubscribeFn }) => setSubscribeFn(subscribe as never) };
}

const isPromise = <V>(v: V | Promise<V>): v is Promise<V> => typeof (v as { then?: unknown } | null)?.then === 'function';

/**
 * Maps a source stream. Unlike an async generator, `return()` reaches the
 * source at once even while a `next()` waits, so a subscriber that leaves a
 * quiet feed is let go immediately.
 */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => R | Promise<R>): AsyncGenerator<R> {
  const it = source[Symbol.asyncIterator]();
  const mapped = (r: IteratorResult<T>): IteratorResult<R> | Promise<IteratorResult<R>> => {
    if (r.done) return { value: undefined, done: true };
    const value = map(r.value);
    return isPromise(value) ? value.then((v) => ({ value: v, done: false })) : { value, done: false };
  };
  const gen: AsyncGenerator<R> = {
    next: () => it.next().then(mapped),
    return: () => (it.return ? it.return().then(mapped) : Promise.resolve({ value: undefined, done: true })),
    throw: (e: unknown) => (it.throw ? it.throw(e).then(mapped) : Promise.reject(e)),
    [Symbol.asyncIterator]: () => gen,
  } as unknown as AsyncGenerator<R>;
  return gen;
}
