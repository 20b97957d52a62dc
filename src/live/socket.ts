import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { frameHeader } from './ws-frame.js';

/** A graphql-ws socket as one operation on it sees it. */
export type OperationSocket = {
  /** The operation's id on the socket (graphql-transport-ws). */
  readonly id: string;
  /**
   * Sends one text message, given as its UTF-8 bytes (one latin1 character per byte, src/live/ws-frame.ts);
   * `done` runs once it has left the process's buffers, or when it cannot be sent.
   */
  send(bytes: string, done: () => void): void;
  /** Closes the whole socket (e.g. a consumer too slow for its feed). */
  close(code: number, reason: string): void;
};

/**
 * The internals of `ws` (8.23) the fast path reads: a WebSocket's `_sender`,
 * whose `_state` is 0 (DEFAULT) unless it is compressing a message or reading
 * a Blob, and whose `_queue` holds what it sends after that. Pinned in
 * package.json (~8.23); test/live/ws-internals.test.ts fails when they change.
 */
type WsSender = { _state: number; _queue: unknown[] };

/** Whether `ws` holds messages back (compressing, reading a Blob, or queued behind one): writing past it would reorder. */
export function wsHoldsBack(socket: WebSocket): boolean {
  const sender = (socket as unknown as { _sender: WsSender | null })._sender;
  return sender?._state !== 0 || sender._queue.length > 0;
}

/**
 * The operation's side of a graphql-ws socket. A message is framed here and
 * written to the TCP socket under `ws` in one call (src/live/ws-frame.ts),
 * unless `ws` holds messages back: then it goes through `ws.send`, behind them.
 * A closed socket takes nothing more (as graphql-ws's own sends); `done` then runs at once.
 */
export function operationSocket(socket: WebSocket, tcp: Socket, id: string): OperationSocket {
  return {
    id,
    send(bytes, done) {
      if (socket.readyState !== socket.OPEN) return done();
      if (wsHoldsBack(socket))
        return socket.send(Buffer.from(bytes, 'latin1'), { binary: false }, () => done());
      tcp.write(frameHeader(bytes.length) + bytes, 'latin1', () => done());
    },
    close: (code, reason) => socket.close(code, reason),
  };
}
