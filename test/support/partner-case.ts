import type { Db } from '../../src/db/client.js';
import { engine } from './cases.js';
import { T0, type World } from './world.js';

/** What the partner carrier (PGD) submits over the API in these tests: an interconnection call-completion case. */
export const PARTNER_COMPLAINT = {
  channel: 'API',
  businessLine: 'interconnection',
  category: 'CALL_COMPLETION',
} as const;

/** At T0: the engine, and a case the partner registered through it (RECEIVED, version 1). */
export async function partnerRegistered(w: World, db: Db) {
  w.clock.set(T0);
  const e = engine(w, db);
  const own = await e.register(w.partner, PARTNER_COMPLAINT);
  return { e, own };
}
