import { readsChainVerification } from '../auth/guards.js';
import { type ChainVerification, lastChainVerification } from '../events/verify-schedule.js';
import { builder } from './builder.js';
import { ComplaintRef, loadComplaint } from './complaint.js';
import { guard } from './errors.js';

type Broken = ChainVerification['broken'][number];

const BrokenChainRef = builder.objectRef<Broken>('BrokenChain').implement({
  description:
    'A case whose event chain did not verify: an event was changed, removed or reordered after it was written (D51, D56).',
  fields: (t) => ({
    complaint: t.field({
      type: ComplaintRef,
      nullable: true,
      description:
        'The case, when you may read it (an ADMIN grant reads no cases; an AUDITOR reads those of its units); its number is always given.',
      resolve: (b, _, ctx) => loadComplaint(ctx, b.complaintId),
    }),
    number: t.exposeString('number', {
      description: 'The case number, e.g. to look it up or to pass to `npm run verify:chains`.',
    }),
    position: t.exposeString('position', {
      description:
        'Where the first bad event is in the event feed (its position, a decimal number).',
    }),
    eventId: t.exposeString('eventId', {
      description: 'The first bad event’s id in the database (empty when the chain lost its end).',
    }),
    reason: t.exposeString('reason', { description: 'What was found wrong, in words.' }),
  }),
});

const ChainVerificationRef = builder.objectRef<ChainVerification>('ChainVerification').implement({
  description:
    'The last scheduled check of every case’s event chain: each event’s hash recomputed from its content and its predecessor (D51, D56). Runs every CHAIN_VERIFY_INTERVAL_HOURS (default 24) on one server instance at a time.',
  fields: (t) => ({
    lastRunAt: t.expose('startedAt', { type: 'DateTime', description: 'When the check started.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', description: 'When it finished.' }),
    checked: t.exposeInt('cases', {
      description: 'Cases whose chains were checked (every case there was when it ran).',
    }),
    events: t.exposeInt('events', { description: 'Events whose hashes verified.' }),
    broken: t.field({
      type: [BrokenChainRef],
      description:
        'The cases whose chain is broken, by case number; empty when every chain verifies.',
      resolve: (v) => v.broken,
    }),
  }),
});

builder.queryFields((t) => ({
  chainVerification: t.field({
    type: ChainVerificationRef,
    nullable: true,
    description:
      'The result of the last scheduled verification of every case’s event chain; null before the first has run. For ADMINs and AUDITORs (anyone else: FORBIDDEN).',
    resolve: async (_, __, ctx) => {
      guard(ctx, readsChainVerification);
      return lastChainVerification(ctx.db);
    },
  }),
}));
