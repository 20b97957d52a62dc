import type { AppAbility } from '../auth/abilities.js';
import type { Viewer } from '../auth/viewer.js';
import type { Clock } from '../config/clock.js';
import type { Config } from '../config/index.js';
import type { Database, Db } from '../db/client.js';
import type { LineRegistry } from '../domain/lines.js';
import type { Loaders } from './loaders.js';

/** What the server shares between requests. */
export type Services = {
  config: Config;
  clock: Clock;
  database: Database;
  /** The handle requests use; tests pass a transaction here and roll it back. */
  db: Db;
  lines: LineRegistry;
};

export type Context = {
  services: Services;
  db: Db;
  viewer: Viewer | null;
  ability: AppAbility;
  loaders: Loaders;
  requestId: string;
  /** Over WebSocket: closes the socket (e.g. a consumer too slow for its feed). */
  closeSocket?: (code: number, reason: string) => void;
  /** The credentials' expiry; a socket closes then. */
};
