import { canonicalize, sha256Hex } from '../../src/domain/canonical-json.js';
import type { Env, RegisterInput, Who } from '../../src/domain/complaints.js';
import { registerComplaint } from '../../src/domain/complaints.js';
import { DomainError } from '../../src/domain/errors.js';
import { idempotent } from '../../src/domain/idempotency.js';
import { LIMITS, shallowJson, text } from '../../src/domain/input.js';
import type { ComplaintRow } from '../../src/domain/lifecycle.js';

/** D40, D41: what a partner carrier submits; its idempotency key makes a retry safe. */
export type InterconnectionInput = {
  idempotencyKey: string;
  title: string;
  description: string;
  category: string;
  customer: RegisterInput['customer'];
  details?: unknown;
  contactAt?: Date | null;
};

/** A partner's interconnection complaint: registered for its province, held by the LEGAL_OFFICER (D41). */
export async function submitInterconnectionComplaint(
  env: Env,
  who: Who,
  input: InterconnectionInput,
): Promise<ComplaintRow> {
  const viewer = who.viewer;
  if (viewer.kind !== 'partner') throw new DomainError('FORBIDDEN', 'Partner carriers only');
  const key = text(input.idempotencyKey, ['input', 'idempotencyKey'], {
    required: true,
    max: LIMITS.idempotencyKey,
  });
  shallowJson(input.details, ['input', 'details']); // before the hash walks it (20,000 nested arrays overflowed the stack)
  const { idempotencyKey: _key, ...payload } = input;
  const payloadHash = sha256Hex(
    canonicalize({ ...payload, contactAt: payload.contactAt?.toISOString() ?? null }),
  );
  return idempotent(env, viewer.id, key, payloadHash, (txEnv) =>
    registerComplaint(txEnv, who, {
      channel: 'API',
      source: 'PARTNER_CARRIER',
      businessLine: 'interconnection',
      category: input.category,
      title: input.title,
      description: input.description,
      customer: input.customer,
      details: input.details,
      contactAt: input.contactAt,
    }),
  );
}
