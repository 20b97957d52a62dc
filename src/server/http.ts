import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { revocationsFor, viewerKey } from '../auth/revocation.js';
import { authenticate, credentialsFrom, type Viewer } from '../auth/viewer.js';
import type { OperationSocket } from '../graphql/context.js';
import type { App } from './app.js';
import { MAX_BODY_BYTES } from './plugins.js';
import { frameHeader } from './ws-frame.js';

export type Listening = {
  url: string;
  port: number;
  httpServer: Server;
  sockets: () => number;
  /** Stop accepting, let in-flight requests finish, close sockets. */
  close(): Promise<void>;
};

type SocketExtra = { viewer?: Viewer | null; expiry?: NodeJS.Timeout; subscriptions?: Set<string>; unwatch?: () => void };

/** The close code of a socket whose credentials were revoked (user disabled or reset, partner key rotated). */
export const REVOKED_CLOSE = 4403;

/** Live subscriptions one socket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

/**
 * HTTP and graphql-ws (protocol graphql-transport-ws) on one port and one
 * path. Sockets authenticate in connection_init ({ authorization } or
 * { apiKey }); bad credentials close them with 4403, and they close with 4401
 * when the credentials expire.
 */
export async function listen(app: App, opts: { port: number; host: string }): Promise<Listening> {
  const { yoga, services } = app;
  const httpServer = createServer(yoga);
  // No compression: live results are written to the TCP socket directly, in order with ws's own (see onSubscribe).
  const wss = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint, maxPayload: MAX_BODY_BYTES, perMessageDeflate: false });

  useServer<Record<string, unknown>, SocketExtra>(
    {
      connectionInitWaitTimeout: 3_000,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const creds = credentialsFrom((name) => params[name] ?? params[name.toLowerCase()]);
        const viewer = await authenticate(services.db, services.config.jwtSecret, creds, services.clock.now());
        if (viewer === null) return false; // given but invalid: 4403
        ctx.extra.viewer = viewer ?? null;
        app.metrics.sockets.set(wss.clients.size);
        if (viewer) {
          // D52: revoked credentials close the socket at once, on every instance (LISTEN/NOTIFY, src/auth/revocation.ts);
          // after a reconnect of the LISTEN connection the credentials are checked against the database again.
          const revocations = await revocationsFor(services.database);
          ctx.extra.unwatch = revocations.watch(
            viewerKey(viewer),
            () => ctx.extra.socket.close(REVOKED_CLOSE, 'Credentials revoked'),
            async () => !!(await authenticate(services.db, services.config.jwtSecret, creds, services.clock.now())),
          );
        }
        if (viewer?.expiresAt) {
          const ms = viewer.expiresAt.getTime() - services.clock.now().getTime();
          ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CloseCode.Unauthorized, 'Credentials expired'), Math.max(0, ms));
          ctx.extra.expiry.unref();
        }
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        ctx.extra.unwatch?.();
        app.metrics.sockets.set(Math.max(0, wss.clients.size - 1));
      },
      onComplete: (ctx, id) => void ctx.extra.subscriptions?.delete(id),
      onSubscribe: async (ctx, id, payload) => {
        const { socket } = ctx.extra;
        // Live results are framed here and written to the TCP socket under `ws` in one call (src/server/ws-frame.ts).
        // In order with what `ws` sends: its sender writes at once, as it never compresses (perMessageDeflate: false)
        // and is never given a Blob, the only cases where it holds messages back.
        const tcp = ctx.extra.request.socket;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          socketViewer: ctx.extra.viewer ?? null,
          socket: {
            id,
            // A closed socket takes nothing more (as graphql-ws's own sends); `done` then runs at once.
            send: (bytes, done) => (socket.readyState === socket.OPEN ? tcp.write(frameHeader(bytes.length) + bytes, 'latin1', done) : done()),
            close: (code, reason) => socket.close(code, reason),
          } satisfies OperationSocket,
          params: payload,
        });
        // A syntax error is the client's: answer it as an `error` message for this operation. Thrown, it
        // would close the whole socket with 4500 (graphql-ws treats hook exceptions as internal errors).
        let document: ExecutionArgs['document'];
        try {
          document = parse(payload.query);
        } catch (e) {
          return [e as GraphQLError];
        }
        const args = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (e) {
          if (e instanceof GraphQLError) return [e]; // a limit refused the document (D57)
          throw e;
        }
        if (errors.length) return errors;
        if (getOperationAST(document, payload.operationName)?.operation === 'subscription') {
          const subs = (ctx.extra.subscriptions ??= new Set());
          if (subs.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
            return [
              new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection`, {
                extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
              }),
            ];
          }
          subs.add(id);
        }
        return args as ExecutionArgs;
      },
    },
    wss,
  );

  await new Promise<void>((resolve) => httpServer.listen(opts.port, opts.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    httpServer,
    sockets: () => wss.clients.size,
    async close() {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      for (const ws of wss.clients as Set<WebSocket>) ws.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeIdleConnections();
      const forced = setTimeout(() => httpServer.closeAllConnections(), 10_000);
      forced.unref();
      await closed;
      clearTimeout(forced);
    },
  };
}
