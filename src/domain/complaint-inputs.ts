import type { ContactInputs } from './contacts.js';
import type {
  CallbackResult,
  ContactMethod,
  FindingNature,
  InvestigationKind,
  RejectionReason,
  RemedyKind,
  Severity,
} from './enums.js';
import type { ExtensionInputs } from './extensions.js';
import { LIMITS, text } from './input.js';
import type { SupervisionInputs } from './supervision.js';
import type { TransferInputs } from './transfers.js';

/** What each action of a case takes (the mutations' inputs), and the checks they share. */

/** The path of an input field, as VALIDATION errors name it. */
export const INPUT = (name: string) => ['input', name];
/** A free-text note (D51), required or not. */
export const note = (v: string | null | undefined, required: boolean) =>
  required
    ? text(v, INPUT('note'), { required: true, max: LIMITS.note })
    : text(v, INPUT('note'), { max: LIMITS.note });

export type Inputs = {
  ACCEPT: {
    businessLine: string;
    category: string;
    severity: Severity;
    details?: unknown;
    occurredAt?: Date | null;
  };
  REJECT: { reason: RejectionReason; note?: string | null };
  RESOLVE_ON_SPOT: { answer: string };
  /** `toUnitId` null: the ID given was malformed (a VALIDATION error, checked last). */
  DISPATCH: { toUnitId: string | null; deadline: Date; note?: string | null };
  ACKNOWLEDGE: { note?: string | null };
  RETURN: { note?: string | null };
  DELEGATE: { toUnitId: string | null; deadline: Date; note?: string | null };
  RECORD_INVESTIGATION: { kind: InvestigationKind; findings: string };
  DETERMINE_RESPONSIBILITY: {
    nature: FindingNature;
    /** undefined: not given; null: malformed. */
    responsibleUnitId?: string | null;
    responsiblePerson?: string | null;
    rootCause: string;
    /** D79: a root-cause code of the base list or the case's line; default OTHER. */
    cause?: string | null;
    remedy: { kind: RemedyKind; amount?: number | null };
    rectification?: string | null;
  };
  SUBMIT_REPORT: { note?: string | null };
  CONFIRM_REPORT: { approve: boolean; note?: string | null };
  REVIEW_REPORT: { approve: boolean; note?: string | null };
  /** `substantive`: it answers the customer's request (D23), which stops ANSWER. */
  CONTACT_CUSTOMER: { method: ContactMethod; content: string; substantive?: boolean | null };
  REPLY_TO_CUSTOMER: { method: ContactMethod; content: string };
  RECORD_CALLBACK: { result: CallbackResult; note?: string | null };
  ARCHIVE: { note?: string | null };
  WITHDRAW: { note?: string | null };
  SUSPEND: { note?: string | null };
  RESUME: { note?: string | null };
  ESCALATE: { note?: string | null };
  DECIDE_ESCALATION: { approve: boolean; note?: string | null };
  ADD_SUPERVISION_NOTE: { note?: string | null };
} & ContactInputs &
  SupervisionInputs &
  TransferInputs &
  ExtensionInputs;
