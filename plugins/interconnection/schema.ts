import type { LineApi } from '../../src/graphql/line-api.js';
import { submitInterconnectionComplaint } from './submit.js';

/** D36: the interconnection line's own mutation, for partner carriers (D40). */
export function interconnectionSchema(api: LineApi) {
  const { builder, refs } = api;
  const InterconnectionComplaintInput = builder.inputType('InterconnectionComplaintInput', {
    description: "A partner carrier's interconnection complaint (D40).",
    fields: (t) => ({
      idempotencyKey: t.string({
        required: true,
        description:
          'Same key and same payload: the same complaint comes back. Same key, other payload: IDEMPOTENCY_MISMATCH.',
      }),
      title: t.string({ required: true, description: 'A short title, 1–200 characters (D57).' }),
      description: t.string({
        required: true,
        description: 'What the complaint is about, 1–10,000 characters (D57).',
      }),
      category: t.string({
        required: true,
        description:
          'A category code of the interconnection line: CALL_COMPLETION, SMS_BLOCKING, NUMBER_PORTABILITY, SETTLEMENT, or a base category.',
      }),
      customer: t.field({
        type: refs.CustomerInput,
        required: true,
        description: 'The customer affected (personal data, D50).',
      }),
      details: t.field({
        type: 'JSON',
        description:
          "The line's details (callingNumber, calledNumber, occurredAt, trunkId, partnerTicketId), matching `BusinessLine.detailsSchema` (D58).",
      }),
      contactAt: t.field({
        type: 'DateTime',
        description: 'When the customer got in touch; defaults to now. Not in the future.',
      }),
    }),
  });
  builder.mutationField('submitInterconnectionComplaint', (t) =>
    t.field({
      type: refs.ComplaintPayload,
      description:
        "Contributed by the interconnection business line; PARTNER viewers only (staff get a FORBIDDEN GraphQL error). A partner carrier submits a complaint: it is registered RECEIVED at the partner's province, with that province's case number, held by its LEGAL_OFFICER (D40, D41). Send an idempotency key to retry safely. userErrors: VALIDATION (the input, with its path), IDEMPOTENCY_MISMATCH.",
      args: {
        input: t.arg({
          type: InterconnectionComplaintInput,
          required: true,
          description: 'The complaint.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        api.guard(ctx, api.guards.partner);
        return api.payload(ctx, () =>
          submitInterconnectionComplaint(api.envOf(ctx), api.whoOf(ctx), input),
        );
      },
    }),
  );
}
