import { type Guard, partner, staff } from '../auth/guards.js';
import {
  type Env,
  type RegisterInput,
  registerComplaint,
  type Who,
  withAfterCommit,
} from '../domain/complaints.js';
import type { ComplaintRow } from '../domain/lifecycle.js';
import {
  addLineRecord,
  type LineActionRule,
  type LineEffect,
  lineAction,
  lineRecordsOf,
} from '../domain/line-actions.js';
import { builder, exposeNullable } from './builder.js';
import { ComplaintRef, whoOf } from './complaint.js';
import { ComplaintPayloadRef, CustomerInput, caseId, envOf, fresh } from './complaint-mutations.js';
import type { Context } from './context.js';
import { asPayload, guard } from './errors.js';
import { UserRef } from './identity.js';

/**
 * D36: what a business line gets to add its own API — the core's schema
 * builder and refs, and helpers that keep the core's guarantees: fields on
 * `Complaint` resolved only for the line's own cases (null on others), case
 * mutations through `lineAction` (D55's refusals as userErrors, one event
 * named after the mutation, D56), and the declared guards of src/auth. A
 * line's `schema(api)` is called once, before the schema is built; the
 * printed SDL stays one deterministic, sorted file.
 */
export function lineApi(code: string) {
  return {
    code,
    builder,
    refs: {
      Complaint: ComplaintRef,
      ComplaintPayload: ComplaintPayloadRef,
      User: UserRef,
      CustomerInput,
    },
    /** Runs of nullable fields as one table of descriptions (`exposeNullable` of the core). */
    exposeNullable,
    /** A nullable field on `Complaint`, resolved for this line's cases only (D36). */
    complaintField<T>(
      name: string,
      field: {
        type: any;
        description: string;
        resolve: (c: ComplaintRow, ctx: Context) => T | null | Promise<T | null>;
      },
    ) {
      builder.objectField(ComplaintRef, name, (t) =>
        t.field({
          type: field.type,
          nullable: true,
          description: field.description,
          resolve: (c, _args, ctx) =>
            c.businessLine === code ? (field.resolve(c, ctx) as never) : null,
        }),
      );
    },
    /** A line action on a case as a ComplaintPayload: refusals are userErrors (D55), the case comes back as the viewer reads it. */
    caseAction(
      ctx: Context,
      input: { id: string; expectedVersion?: number | null },
      rule: Omit<LineActionRule, 'line'>,
      effect: LineEffect,
    ) {
      return asPayload('complaint', async () =>
        fresh(
          ctx,
          await lineAction(
            envOf(ctx),
            whoOf(ctx),
            caseId(input.id),
            { ...rule, line: code },
            effect,
            input.expectedVersion,
          ),
        ),
      );
    },
    /** Any work that ends in a case, as a ComplaintPayload (e.g. a registration of the line's own kind). */
    payload(ctx: Context, run: () => Promise<ComplaintRow>) {
      return asPayload('complaint', async () => fresh(ctx, await run()));
    },
    /** D55: a whole kind of viewer may never use the operation (a GraphQL FORBIDDEN error). */
    guard: (ctx: Context, g: Guard) => guard(ctx, g),
    guards: { staff, partner },
    envOf,
    whoOf,
    /** The line's own records on a case (`line_records`), oldest first. */
    records: (ctx: Context, kind: string, c: ComplaintRow) =>
      lineRecordsOf(ctx.db, code, kind, c.id),
    addRecord: (tx: Env['db'], r: Omit<Parameters<typeof addLineRecord>[1], 'line'>) =>
      addLineRecord(tx, { ...r, line: code }),
    registerComplaint: (env: Env, who: Who, input: RegisterInput) =>
      registerComplaint(env, who, { ...input, businessLine: code }),
    withAfterCommit,
  };
}

export type LineApi = ReturnType<typeof lineApi>;
