import { GraphQLError } from 'graphql';
import { revocationsFor, viewerKey } from '../auth/revocation.js';
import { LiveQueue } from '../live/live-queue.js';
import type { PositionFeed } from '../live/position-feed.js';
import type { Context } from './context.js';
import { claimSlot, SUBSCRIBER_BUFFER } from './subscriptions.js';

/**
 * A subscription to the rows of a position feed (src/live/position-feed.ts) that `accepts` lets through
 * for this viewer, under the same rules as the event feeds (src/graphql/subscriptions.ts): a slot of the
 * viewer's subscription cap, a bounded buffer (a consumer too slow is ended with SLOW_CONSUMER), and the
 * stream ends when the viewer's credentials expire or are revoked (4401, 4403 on a socket).
 */
export async function liveRows<Row extends { position: bigint | null }>(
  ctx: Context,
  feedOf: (database: Context['services']['database']) => Promise<PositionFeed<Row>>,
  accepts: (row: Row) => boolean,
  what: string,
): Promise<LiveQueue<Row>> {
  const feed = await feedOf(ctx.services.database);
  const revocations = await revocationsFor(ctx.services.database);
  // Claimed (the cap checked) only once nothing can fail before the queue owns its release.
  const release = claimSlot(ctx);
  const queue = new LiveQueue<Row>(() => {
    unsubscribe();
    release();
    unwatch();
    clearTimeout(expiry);
  });
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
  const unsubscribe = feed.subscribe((row) => {
    if (queue.done || !accepts(row)) return;
    if (queue.size >= SUBSCRIBER_BUFFER)
      return queue.end(
        new GraphQLError(`Subscriber too slow: ${what} buffer full`, {
          extensions: { code: 'SLOW_CONSUMER' },
        }),
      );
    queue.push(row);
  });
  return queue;
}
