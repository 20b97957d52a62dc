import type { AppAbility } from '../auth/abilities.js';
import type { CredentialsProblem, Viewer } from '../auth/viewer.js';
import type { Clock } from '../config/clock.js';
import type { Config } from '../config/index.js';
import type { Database, Db } from '../db/client.js';
import type { ReadRouting } from '../db/replica.js';
import type { LineRegistry } from '../domain/lines.js';
import type { OperationSocket } from '../live/socket.js';
import type { Loaders } from './loaders.js';

/** What the server shares between requests. */
export type Services = {
  config: Config;
  clock: Clock;
  database: Database;
  /** The handle requests use; tests pass a transaction here and roll it back. */
  db: Db;
  lines: LineRegistry;
  /** Issue 25: where lag-tolerant reads go (a streaming replica, or the primary); absent: `db` for everything. */
  reads?: ReadRouting;
};

export type Context = {
  services: Services;
  db: Db;
  viewer: Viewer | null;
  ability: AppAbility;
  /**
   * The handle for reads that may lag a moment (lists, statistics, exports, reports): the replica when one is
   * configured and has replayed this viewer's last write, else `db` (src/db/replica.ts). Decided once per request.
   */
  reader(): Promise<Db>;
  loaders: Loaders;
  requestId: string;
  /** Over graphql-ws: the socket the operation came on. */
  socket?: OperationSocket;
  /** The client's address (the TCP peer), null in-process: D52 counts failed logins by it. */
  clientAddress?: string | null;
  /** Where security events go (D52's refused logins); the server's logger, absent in most tests. */
  log?: SecurityLog;
  /** Credentials were given and refused: why (UNAUTHENTICATED's `reason`). */
  credentialsProblem?: CredentialsProblem;
};

export type SecurityLog = { warn(fields: Record<string, unknown>, message: string): void };

/** Who a result is computed for (src/live/audience.ts), re-exported for the subscription fields. */
export { audienceOf } from '../live/audience.js';
