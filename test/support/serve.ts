import { type Listening, listen } from '../../src/server/http.js';
import type { World } from './world.js';

/** The world's app over its committed fixture database, on a free local port (HTTP and graphql-ws). */
export const serveWorld = (w: World): Promise<Listening> =>
  listen(w.app(w.database.db), { port: 0, host: '127.0.0.1' });
