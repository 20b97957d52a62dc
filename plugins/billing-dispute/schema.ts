import { validation } from '../../src/domain/errors.js';
import { amount, LIMITS, text } from '../../src/domain/input.js';
import type { LineApi } from '../../src/graphql/line-api.js';

/** What a billing adjustment records (D36): what was refunded, for which bill, why; who and when are the record's. */
type Adjustment = { amount: number; billingPeriod: string | null; note: string | null };

const PERIOD = /^\d{4}-(?:0[1-9]|1[0-2])$/;

/**
 * D36: the billing-dispute line's own API. `recordBillingAdjustment` by a
 * HANDLER of the handling unit (D53) records a refund or credit on the bill;
 * `Complaint.billingAdjustment` is the latest one (null on other lines' cases).
 */
export function billingDisputeSchema(api: LineApi) {
  const { builder, refs } = api;
  type Row = Adjustment & { byUserId: string | null; at: Date };
  const BillingAdjustment = builder.objectRef<Row>('BillingAdjustment').implement({
    description: 'A refund or credit recorded on a billing dispute (D36).',
    fields: (t) => ({
      amount: t.exposeFloat('amount', { description: 'Yuan, at most 2 decimals.' }),
      ...api.exposeNullable(t, 'String', {
        billingPeriod: 'The bill adjusted, YYYY-MM.',
        note: 'Why, as the handler wrote it; null when none was given.',
      }),
      by: t.field({
        type: refs.User,
        description: 'The handler who recorded it.',
        resolve: async (r, _, ctx) => (await ctx.loaders.user.load(r.byUserId!))! as never,
      }),
      at: t.expose('at', { type: 'DateTime', description: 'When it was recorded.' }),
    }),
  });
  api.complaintField('billingAdjustment', {
    type: BillingAdjustment,
    description:
      'Billing-dispute line only (D36); null on other cases. The latest adjustment recorded.',
    resolve: async (c, ctx) => {
      const rows = await api.records(ctx, 'ADJUSTMENT', c);
      const last = rows.at(-1);
      return last ? { ...(last.data as Adjustment), byUserId: last.byUserId, at: last.at } : null;
    },
  });
  const BillingAdjustmentInput = builder.inputType('BillingAdjustmentInput', {
    description: 'A refund or credit on a billing dispute.',
    fields: (t) => ({
      id: t.id({
        required: true,
        description: "The case's global ID; a case of another line is refused.",
      }),
      amount: t.float({
        required: true,
        description: 'Yuan, more than 0, at most 2 decimals (D57).',
      }),
      billingPeriod: t.string({ description: 'The bill adjusted, YYYY-MM.' }),
      note: t.string({ description: 'Why, up to 5,000 characters.' }),
      expectedVersion: t.int({
        description: 'The `Complaint.version` you last read; a stale one is refused with CONFLICT.',
      }),
    }),
  });
  builder.mutationField('recordBillingAdjustment', (t) =>
    t.field({
      type: refs.ComplaintPayload,
      description:
        "A HANDLER of the handling unit records a billing dispute's refund or credit, from INVESTIGATING up to REPLIED (D36); one RECORD_BILLING_ADJUSTMENT event. Staff only: a partner gets a FORBIDDEN GraphQL error. userErrors as for every complaint mutation: NOT_FOUND, ARCHIVED, FORBIDDEN, CONFLICT, INVALID_TRANSITION (another line's case, another state), VALIDATION (amount, billingPeriod).",
      args: {
        input: t.arg({
          type: BillingAdjustmentInput,
          required: true,
          description: 'The case and the adjustment.',
        }),
      },
      resolve: (_, { input }, ctx) => {
        api.guard(ctx, api.guards.staff);
        return api.caseAction(
          ctx,
          input,
          {
            action: 'RECORD_BILLING_ADJUSTMENT',
            from: ['INVESTIGATING', 'PENDING_APPROVAL', 'PENDING_REVIEW', 'RESOLVED', 'REPLIED'],
            roles: ['HANDLER'],
            who: ['handler'],
          },
          async (tx, c, { actorUserId, now }) => {
            const value = amount(input.amount, ['input', 'amount']);
            if (value === null || value <= 0)
              throw validation(['input', 'amount'], 'amount must be more than 0');
            const period = text(input.billingPeriod, ['input', 'billingPeriod'], { max: 7 });
            if (period !== null && !PERIOD.test(period))
              throw validation(['input', 'billingPeriod'], 'billingPeriod must be YYYY-MM');
            const note = text(input.note, ['input', 'note'], { max: LIMITS.note });
            const data: Adjustment = { amount: value, billingPeriod: period, note };
            await api.addRecord(tx, {
              kind: 'ADJUSTMENT',
              complaintId: c.id,
              data,
              byUserId: actorUserId,
              at: now,
            });
            return { payload: { amount: value, billingPeriod: period, note } };
          },
        );
      },
    }),
  );
}
