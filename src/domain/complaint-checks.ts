import { complaintSubject, holdsRoleKind } from '../auth/complaint-rules.js';
import type { CaseAction, Who } from './complaint-env.js';
import { DomainError } from './errors.js';
import { type ComplaintRow, kindsOf, LIFECYCLE } from './lifecycle.js';
import type { LineRegistry } from './lines.js';

type Refusal = { code: DomainError['code']; message: string };

/**
 * D55's order, from the coarsest to the finest, up to (not including) the
 * action's own input: NOT_FOUND → ARCHIVED → FORBIDDEN (role kind) →
 * CONFLICT → INVALID_TRANSITION → FORBIDDEN (this viewer, now). The one
 * check behind both the mutations (`refusal`) and `viewerActions` (D60); it
 * returns plain data, so listing actions builds no Error objects.
 */
function check(
  who: Who,
  c: ComplaintRow,
  action: CaseAction,
  expectedVersion: number | null | undefined,
  subject: ReturnType<typeof complaintSubject>,
  lines?: LineRegistry,
): Refusal | null {
  if (!who.ability.can('read', subject)) return { code: 'NOT_FOUND', message: 'No such complaint' };
  if (c.status === 'ARCHIVED')
    return {
      code: 'ARCHIVED',
      message: `Case ${c.number} is archived and can no longer change (D15)`,
    };
  if (!holdsRoleKind(who.viewer, c, action))
    return { code: 'FORBIDDEN', message: `Your roles do not allow ${action} (D53)` };
  if (expectedVersion != null && expectedVersion !== c.version) {
    return {
      code: 'CONFLICT',
      message: `Case ${c.number} is at version ${c.version}, not ${expectedVersion}: reload it`,
    };
  }
  const rule = LIFECYCLE[action];
  if (!rule.from.includes(c.status))
    return { code: 'INVALID_TRANSITION', message: `${action} is not allowed from ${c.status}` };
  if (!kindsOf(rule).includes(c.kind))
    return { code: 'INVALID_TRANSITION', message: `${action} does not apply to a ${c.kind} (D70)` };
  const blocked =
    rule.guard?.(c) ??
    (c.businessLine
      ? lines
          ?.get(c.businessLine)
          ?.hooks?.refuse?.({ action, status: c.status, category: c.category, details: c.details })
      : null);
  if (blocked) return { code: 'INVALID_TRANSITION', message: blocked };
  if (!who.ability.can(action, subject))
    return {
      code: 'FORBIDDEN',
      message: `You do not hold case ${c.number} for ${action} now (D53)`,
    };
  return null;
}

/** The first of D55's refusals for this action now, as the error a mutation answers with; null when allowed. */
export function refusal(
  who: Who,
  c: ComplaintRow,
  action: CaseAction,
  expectedVersion?: number | null,
  lines?: LineRegistry,
): DomainError | null {
  const r = check(who, c, action, expectedVersion, complaintSubject(c), lines);
  return r && new DomainError(r.code, r.message);
}

export const notFound = () => new DomainError('NOT_FOUND', 'No such complaint');

/** D60: exactly the actions that pass every check but the input's. */
export function viewerActions(who: Who, c: ComplaintRow, lines?: LineRegistry): CaseAction[] {
  const subject = complaintSubject(c); // the seats once, not once per action
  if (!who.ability.can('read', subject)) return [];
  return (Object.keys(LIFECYCLE) as CaseAction[]).filter(
    (a) => check(who, c, a, null, subject, lines) === null,
  );
}
