import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { revocationsFor, viewerKey } from '../auth/revocation.js';
import { authenticate, credentialsFrom, identify, type Viewer } from '../auth/viewer.js';
import type { Config } from '../config/index.js';
import { operationSocket } from '../live/socket.js';
import type { App } from './app.js';
import { MAX_BODY_BYTES } from './plugins.js';

export type Listening = {
  url: string;
  port: number;
  httpServer: Server;
  sockets: () => number;
  /** Sockets without valid credentials (yet). */
  anonymousSockets: () => number;
  /** Stop accepting, let in-flight requests finish, close sockets. */
  close(): Promise<void>;
};

type SocketExtra = {
  viewer?: Viewer | null;
  expiry?: NodeJS.Timeout;
  subscriptions?: Set<string>;
  unwatch?: () => void;
};

/** The close code of a socket whose credentials were revoked (user disabled or reset, partner key rotated). */
export const REVOKED_CLOSE = 4403;

/** The close code of an unauthenticated socket left idle (issue 19). */
export const IDLE_CLOSE = 4408;

/**
 * Issue 19: sockets are capped in all, and anonymous ones (from the upgrade until valid credentials arrive in
 * connection_init, or for good when none are given) in all and per client address; an anonymous socket that
 * sends nothing for `anonymousIdleMs` is closed. Over a cap the upgrade is refused with HTTP 503 (in all)
 * or 429 (anonymous), before a socket exists. The address is the TCP peer's: behind a proxy, its own.
 */
class SocketLimits {
  private anonymous = new Map<WebSocket, { address: string; idle: NodeJS.Timeout }>();
  private perAddress = new Map<string, number>();
  constructor(
    private limits: Config['ws'],
    private total: () => number,
  ) {}

  /** Whether one more socket from `address` may open: null, or the HTTP status and reason to refuse it with. */
  refusal(address: string): [number, string] | null {
    if (this.total() >= this.limits.maxSockets) return [503, 'Too many connections'];
    if (this.anonymous.size >= this.limits.anonymousMax)
      return [429, 'Too many unauthenticated connections'];
    if ((this.perAddress.get(address) ?? 0) >= this.limits.anonymousPerAddress)
      return [429, 'Too many unauthenticated connections from this address'];
    return null;
  }

  /** A new socket: anonymous until `authenticated`. */
  opened(socket: WebSocket, address: string) {
    const idle = setTimeout(
      () => socket.close(IDLE_CLOSE, 'Idle unauthenticated connection'),
      this.limits.anonymousIdleMs,
    );
    idle.unref();
    this.anonymous.set(socket, { address, idle });
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    socket.on('message', () => {
      const a = this.anonymous.get(socket);
      if (a) a.idle.refresh();
    });
    socket.once('close', () => this.authenticated(socket));
  }

  /** Valid credentials arrived (or the socket closed): no longer counted as anonymous. */
  authenticated(socket: WebSocket) {
    const a = this.anonymous.get(socket);
    if (!a) return;
    clearTimeout(a.idle);
    this.anonymous.delete(socket);
    const left = (this.perAddress.get(a.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(a.address, left);
    else this.perAddress.delete(a.address);
  }

  get anonymousCount() {
    return this.anonymous.size;
  }
}

/** Live subscriptions one socket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

/**
 * HTTP and graphql-ws (protocol graphql-transport-ws) on one port and one
 * path. Sockets authenticate in connection_init ({ authorization } or
 * { apiKey }); bad credentials close them with 4403, and they close with 4401
 * when the credentials expire.
 */
export async function listen(
  app: App,
  opts: { port: number; host: string; server?: Server },
): Promise<Listening> {
  const { yoga, services } = app;
  // A server already listening (main.ts takes the port before anything else): it serves the app from now on.
  const httpServer = opts.server ?? createServer(yoga);
  if (opts.server) {
    opts.server.removeAllListeners('request');
    opts.server.on('request', yoga);
  }
  // No compression: live results are written to the TCP socket directly (src/live/socket.ts); ws's own queue is respected.
  const limits = new SocketLimits(services.config.ws, () => wss.clients.size);
  const wss: WebSocketServer = new WebSocketServer({
    server: httpServer,
    path: yoga.graphqlEndpoint,
    maxPayload: MAX_BODY_BYTES,
    perMessageDeflate: false,
    verifyClient: (info, done) => {
      const refused = limits.refusal(addressOf(info.req));
      if (refused)
        done(
          false,
          refused[0],
          refused[1],
          refused[0] === 429 ? { 'Retry-After': '10' } : undefined,
        );
      else done(true);
    },
  });
  wss.on('connection', (socket, req) => limits.opened(socket, addressOf(req)));

  useServer<Record<string, unknown>, SocketExtra>(
    {
      connectionInitWaitTimeout: 3_000,
      execute: (args) =>
        (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) =>
        (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const creds = credentialsFrom((name) => params[name] ?? params[name.toLowerCase()]);
        const { viewer, problem } = await identify(
          services.db,
          services.config.jwtSecret,
          creds,
          services.clock.now(),
        );
        if (problem) {
          // Given but refused: 4403 with the reason (issue 19), e.g. "Forbidden: TOKEN_EXPIRED".
          ctx.extra.socket.close(CloseCode.Forbidden, `Forbidden: ${problem}`);
          return false;
        }
        ctx.extra.viewer = viewer ?? null;
        if (viewer) limits.authenticated(ctx.extra.socket);
        app.metrics.sockets.set(wss.clients.size);
        if (viewer) {
          // D52: revoked credentials close the socket at once, on every instance (LISTEN/NOTIFY, src/auth/revocation.ts);
          // after a reconnect of the LISTEN connection the credentials are checked against the database again.
          const revocations = await revocationsFor(services.database);
          ctx.extra.unwatch = revocations.watch(
            viewerKey(viewer),
            () => ctx.extra.socket.close(REVOKED_CLOSE, 'Credentials revoked'),
            async () =>
              !!(await authenticate(
                services.db,
                services.config.jwtSecret,
                creds,
                services.clock.now(),
              )),
          );
        }
        if (viewer?.expiresAt) {
          const ms = viewer.expiresAt.getTime() - services.clock.now().getTime();
          ctx.extra.expiry = setTimeout(
            () => ctx.extra.socket.close(CloseCode.Unauthorized, 'Credentials expired'),
            Math.max(0, ms),
          );
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
        // The operation's socket (src/live/socket.ts): the fast path writes results to it directly, and a subscription
        // too slow for its feed is closed through it. With LIVE_FAST_PATH=0 (no fast-path plugin) graphql-ws sends everything.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          socketViewer: ctx.extra.viewer ?? null,
          clientAddress: addressOf(ctx.extra.request),
          socket: operationSocket(socket, ctx.extra.request.socket, id),
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
              new GraphQLError(
                `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection`,
                {
                  extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
                },
              ),
            ];
          }
          subs.add(id);
        }
        return args as ExecutionArgs;
      },
    },
    wss,
  );

  if (!opts.server) await listenOn(httpServer, opts.port, opts.host);
  const { port } = httpServer.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    httpServer,
    sockets: () => wss.clients.size,
    anonymousSockets: () => limits.anonymousCount,
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

/** The client's address as this server sees it (the TCP peer). */
export const addressOf = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Listens, or rejects with one clear error when the port cannot be had (in use, no permission). */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      server.off('listening', ok);
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (e.code === 'EADDRINUSE')
        reject(
          new PortInUseError(`Port ${where} is already in use: stop what holds it or set PORT`),
        );
      else if (e.code === 'EACCES')
        reject(new PortInUseError(`No permission to listen on ${where}: choose a PORT above 1023`));
      else if (e.code === 'EADDRNOTAVAIL')
        reject(
          new PortInUseError(`Cannot listen on ${where}: HOST is not an address of this machine`),
        );
      else reject(e);
    };
    const ok = () => {
      server.off('error', failed);
      resolve();
    };
    server.once('error', failed);
    server.once('listening', ok);
    server.listen(port, host);
  });
}
