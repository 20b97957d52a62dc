import type { LineApi } from '../../src/graphql/line-api.js';
import { submitInterconnectionComplaint } from './submit.js';

/** D36: the interconnection line's own mutation, for partner carriers (D40). */
export function interconnectionSchema(api: LineApi) {
  const { builder, refs } = api;
  const InterconnectionComplaintInput = builder.inputType('InterconnectionComplaintInput', {
    fields: (t) => ({
      idempotencyKey: t.string({
        required: true,
        description: 'Same key and same payload: the same complaint comes back. Same key, other payload: IDEMPOTENCY_MISMATCH.',
      }),
      title: t.string({ required: true }),
      description: t.string({ required: true }),
      category: t.string({ required: true }),
      customer: t.field({ type: refs.CustomerInput, required: true }),
      details: t.field({ type: 'JSON' }),
      contactAt: t.field({ type: 'DateTime' }),
    }),
  });
  builder.mutationField('submitInterconnectionComplaint', (t) =>
    t.field({
      type: refs.ComplaintPayload,
      description: 'Contributed by the interconnection business line; PARTNER viewers only.',
      args: { input: t.arg({ type: InterconnectionComplaintInput, required: true }) },
      resolve: (_, { input }, ctx) => {
        api.guard(ctx, api.guards.partner);
        return api.payload(ctx, () => submitInterconnectionComplaint(api.envOf(ctx), api.whoOf(ctx), input));
      },
    }),
  );
}
