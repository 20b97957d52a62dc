import type { ObjectRef } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { revocationsFor, viewerKey } from '../auth/revocation.js';
import { LiveQueue } from '../live/live-queue.js';
import type { PositionFeed } from '../live/position-feed.js';
import { builder, type Types } from './builder.js';
import type { Context } from './context.js';
import { requireStaff } from './errors.js';
import { unitPathOf } from './org-unit.js';

/**
 * One subscriber's live stream, under the rules every live feed shares (the event feeds of
 * ./subscriptions.ts, the position feeds of src/live/position-feed.ts): a slot of the viewer's
 * subscription cap, a bounded buffer (a consumer too slow is ended with SLOW_CONSUMER), and the
 * stream ends when the viewer's credentials expire or are revoked (4401, 4403 on a socket).
 */

/** Live items a subscriber may hold before it is cut off as too slow. */
export const SUBSCRIBER_BUFFER = 1_000;

/** Live subscriptions per viewer, per instance (the services of one app), not per process. */
const perInstance = new WeakMap<object, Map<string, number>>();

function counts(ctx: Context) {
  let m = perInstance.get(ctx.services);
  if (!m) perInstance.set(ctx.services, (m = new Map()));
  return m;
}

/** Refuses a viewer already at the cap (config maxSubscriptionsPerViewer). */
export function checkSlot(ctx: Context): string {
  const key = `${ctx.viewer!.kind}:${ctx.viewer!.id}`;
  if ((counts(ctx).get(key) ?? 0) >= ctx.services.config.maxSubscriptionsPerViewer) {
    throw new GraphQLError(
      `At most ${ctx.services.config.maxSubscriptionsPerViewer} live subscriptions per viewer`,
      {
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
      },
    );
  }
  return key;
}

/** The per-viewer cap of the instance, counted while a subscription lives. */
function claimSlot(ctx: Context): () => void {
  const key = checkSlot(ctx);
  const perViewer = counts(ctx);
  const n = perViewer.get(key) ?? 0;
  perViewer.set(key, n + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (perViewer.get(key) ?? 1) - 1;
    if (left > 0) perViewer.set(key, left);
    else perViewer.delete(key);
  };
}

/** How a stream too slow for its feed is cut off. */
export type SlowConsumer = {
  /** What fills the buffer, in the error: `Subscriber too slow: <what> buffer full`. */
  what: string;
  /** The close code for the subscriber's socket, if the socket is closed too. */
  close?: number;
};

/** A subscriber's stream as its feed fills it. */
export type LiveSink<T> = {
  readonly queue: LiveQueue<T>;
  /** Queues an item, or cuts the subscriber off when its buffer is full. */
  offer(item: T): void;
  /** Ends the stream with SLOW_CONSUMER (and closes the socket when `slow.close` says so). */
  cutOff(): void;
};

/**
 * Opens a subscriber's stream: `attach` subscribes it to its feed (the sink it is given is the
 * one returned) and returns the detach, run when the stream ends. The slot is claimed once
 * nothing can fail before the queue owns its release.
 */
export async function liveSink<T>(
  ctx: Context,
  slow: SlowConsumer,
  attach: (sink: LiveSink<T>) => () => void,
): Promise<LiveSink<T>> {
  const revocations = await revocationsFor(ctx.services.database);
  const release = claimSlot(ctx);
  const queue = new LiveQueue<T>(() => {
    detach();
    release();
    unwatch();
    clearTimeout(expiry);
  });
  // Every live path ends with its credentials (issue 18): at the token's expiry, and at once when the user is
  // disabled or reset, or the partner's key rotated, on any instance (src/auth/revocation.ts). Over graphql-ws the
  // socket closes (4401 expired, 4403 revoked, src/server/http.ts); over server-sent events the stream ends with
  // UNAUTHENTICATED.
  const stop = (message: string, close: number) => {
    ctx.socket?.close(close, message);
    queue.end(new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } }));
  };
  const viewer = ctx.viewer!;
  const unwatch = revocations.watch(viewerKey(viewer), () => stop('Credentials revoked', 4403));
  const expiry = viewer.expiresAt
    ? setTimeout(
        () => stop('Credentials expired', 4401),
        Math.max(0, viewer.expiresAt.getTime() - ctx.services.clock.now().getTime()),
      )
    : undefined;
  expiry?.unref();
  const tooSlow = `Subscriber too slow: ${slow.what} buffer full`;
  const cutOff = () => {
    if (slow.close !== undefined) ctx.socket?.close(slow.close, tooSlow);
    queue.end(new GraphQLError(tooSlow, { extensions: { code: 'SLOW_CONSUMER' } }));
  };
  const sink: LiveSink<T> = {
    queue,
    cutOff,
    offer: (item) => (queue.size >= SUBSCRIBER_BUFFER ? cutOff() : queue.push(item)),
  };
  const detach = attach(sink);
  return sink;
}

/**
 * A subscription to the rows of a position feed (src/live/position-feed.ts) that `accepts` lets
 * through for this viewer, under the rules of every live stream (`liveSink`).
 */
export async function liveRows<Row extends { position: bigint | null }>(
  ctx: Context,
  feedOf: (database: Context['services']['database']) => Promise<PositionFeed<Row>>,
  accepts: (row: Row) => boolean,
  what: string,
): Promise<LiveQueue<Row>> {
  const feed = await feedOf(ctx.services.database);
  const { queue } = await liveSink<Row>(ctx, { what }, (sink) =>
    feed.subscribe((row) => {
      if (!sink.queue.done && accepts(row)) sink.offer(row);
    }),
  );
  return queue;
}

/**
 * A staff subscription field `name` to a position feed, with an optional `unitId` (its subtree):
 * the rows the viewer reads (`readsFor`, decided once per subscription) and, with `unitId`, that
 * concern a unit of that subtree (`unitPaths` of the row). A partner gets a FORBIDDEN GraphQL error.
 */
export function liveRowsField<Row extends { position: bigint | null }>(
  name: string,
  field: {
    type: ObjectRef<Types, Row>;
    description: string;
    /** The description of the `unitId` argument. */
    unitId: string;
    feedOf: (database: Context['services']['database']) => Promise<PositionFeed<Row>>;
    /** What a row is, in the slow consumer's error. */
    what: string;
    readsFor: (ctx: Context) => (row: Row) => boolean;
    unitPaths: (row: Row) => readonly string[];
  },
) {
  builder.subscriptionField(name, (t) =>
    t.field({
      type: field.type,
      description: field.description,
      args: { unitId: t.arg.id({ description: field.unitId }) },
      subscribe: async (_, args, ctx) => {
        requireStaff(ctx);
        const path = await unitPathOf(ctx, args.unitId);
        const reads = field.readsFor(ctx);
        const accepts = (row: Row) =>
          path !== false &&
          reads(row) &&
          (path === null || field.unitPaths(row).some((p) => p.startsWith(path)));
        return liveRows(ctx, field.feedOf, accepts, field.what);
      },
      resolve: (row) => row as never,
    }),
  );
}
