/**
 * The lifecycle engine (DOMAIN §3, D53–D57), as callers outside src/domain
 * use it: `registerComplaint` creates a case, `transition` applies any other
 * action of the lifecycle table (`lifecycle.ts`), `viewerActions` and
 * `refusal` answer what a viewer may do now. The engine lives in modules
 * named after its seams; an action's rule is found by its name in one of
 * the effect groups:
 *
 * - `complaint-env.ts`: the environment, who acts, the locked case, after-commit hooks (D35)
 * - `complaint-checks.ts`: D55's refusals in D55's order; `viewerActions` (D60)
 * - `complaint-inputs.ts`: what each action takes (`Inputs`)
 * - `complaint-steps.ts`: an action's effect (`Step`, `Outcome`) and what effects share
 * - `complaint-intake.ts`: ACCEPT, REJECT, RESOLVE_ON_SPOT, CONVERT_TO_COMPLAINT
 * - `complaint-handling.ts`: DISPATCH, DELEGATE, ACKNOWLEDGE, RETURN, RECORD_INVESTIGATION,
 *   DETERMINE_RESPONSIBILITY, SUBMIT_REPORT, CONFIRM_REPORT, REVIEW_REPORT
 * - `complaint-closing.ts`: CONTACT_CUSTOMER, REPLY_TO_CUSTOMER, RECORD_CALLBACK, ARCHIVE, WITHDRAW
 * - `complaint-escalation.ts`: SUSPEND, RESUME, ESCALATE, DECIDE_ESCALATION, ADD_SUPERVISION_NOTE
 * - `contacts.ts`, `supervision.ts`, `transfers.ts`, `extensions.ts`: their own actions
 * - `complaint-engine.ts`: `transition`, one transaction per action
 * - `complaint-registration.ts`: `registerComplaint`, the table's first row
 */

export { notFound, refusal, viewerActions } from './complaint-checks.js';
export { convertToComplaint, transition } from './complaint-engine.js';
export {
  actorOf,
  afterCommitted,
  type CaseAction,
  complaintById,
  type Env,
  lockCase,
  type Who,
  withAfterCommit,
} from './complaint-env.js';
export type { Inputs } from './complaint-inputs.js';
export { acceptanceWindow } from './complaint-intake.js';
export { type RegisterInput, registerComplaint } from './complaint-registration.js';
export type { Effect, Outcome, Step } from './complaint-steps.js';
