// The business-line plugin contract (DOMAIN.md §6). A line is one folder
// `plugins/<code>/index.ts` whose default export is `definePlugin({...})`;
// src/domain/lines.ts discovers, checks and serves them.
import { z } from 'zod';
import type { RuleContributor } from '../auth/abilities.js';
import type { Budget } from '../sla/budget.js';
import {
  type Action,
  BASE_CATEGORIES,
  type ClockKind,
  type RemedyKind,
  type Status,
  type SystemAction,
} from './enums.js';

export interface Category {
  readonly code: string;
  readonly name: string;
}

/** What a hook sees of a transition about to be committed. */
export interface TransitionContext {
  readonly action: Action | SystemAction;
  /** null at registration. */
  readonly from: Status | null;
  readonly to: Status;
  readonly category: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What an after-hook sees of an event once its transaction has committed (D35). */
export interface CommittedEvent {
  readonly complaintId: string;
  readonly number: string;
  readonly action: string;
  readonly from: Status | null;
  readonly to: Status;
  readonly at: Date;
  /** The event's position in the log (its cursor's value). */
  readonly position: bigint;
}

export interface PluginHooks {
  /**
   * D35, D60: the line refuses an action on one of its cases, judged from the
   * case alone: the message of the INVALID_TRANSITION refusal, or null. It is
   * consulted by the mutations and by `viewerActions` alike, so the buttons a
   * portal shows still all work. Default: none.
   */
  refuse?(ctx: {
    readonly action: Action;
    readonly status: Status;
    readonly category: string | null;
    readonly details: Readonly<Record<string, unknown>>;
  }): string | null;
  /**
   * D35: runs inside the transition's transaction, before it is written, for
   * the line's own cases; throw a DomainError to refuse it (a userError; D60's
   * `viewerActions` honours it). Default: none.
   */
  beforeTransition?(ctx: TransitionContext): void | Promise<void>;
  /**
   * D35: runs once per event of the line's cases after its transaction
   * committed, outside it, on the instance that appended it (e.g. notify,
   * open a follow-up). A failure is logged and counted; it never undoes the
   * event. Default: none.
   */
  afterCommit?(event: CommittedEvent): void | Promise<void>;
}
export const HOOK_NAMES = [
  'refuse',
  'beforeTransition',
  'afterCommit',
] as const satisfies readonly (keyof PluginHooks)[];

/** What a line's router sees of a case (D34). */
export interface RoutingCase {
  readonly businessLine: string | null;
  readonly category: string | null;
  readonly customerAddress: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A unit of the case's province, as a router sees it. */
export interface RoutingUnit {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly level: 'PROVINCE' | 'CITY' | 'COUNTY' | 'CENTER';
  readonly parentId: string | null;
}

/** Where a line suggests dispatching a case (D34): a unit of its province and why. */
export interface DispatchSuggestion {
  readonly unitId: string;
  readonly reason: string;
}

/** A strict zod object (unknown keys refused, D58); all its fields optional. */
export type DetailsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/** How a personal-data field is masked (D50): as a name, a phone, an address or an account number. */
export type PersonalDataKind = 'name' | 'phone' | 'address' | 'account';
export const PERSONAL_DATA_KINDS = [
  'name',
  'phone',
  'address',
  'account',
] as const satisfies readonly PersonalDataKind[];

/** A kind of line record that is a remedy paid out (D31): which remedy, and the field of its data that holds the amount. */
export interface RemedyRecord {
  readonly remedy: RemedyKind;
  readonly amountField: string;
}

export interface BusinessLinePlugin {
  /** kebab-case, e.g. 'video-on-demand'; equals the folder name by convention. */
  readonly code: string;
  /** Display name, e.g. '宽带 Broadband'. */
  readonly name: string;
  /** The five BASE_CATEGORIES first, then the line's own (UPPER_SNAKE codes). */
  readonly categories: readonly Category[];
  readonly details: DetailsSchema;
  /**
   * Budget overrides (D20), e.g. `{ ACCEPT: { hours: 2 } }` for big customers.
   * Default: DOMAIN §4's budgets. `REPAIR` is a fault report's repair budget
   * (D72), counted from acceptance in place of RESOLVE: default
   * `{ hours: 24 }`; a line of big customers declares `{ hours: 4 }`. `PROGRESS`
   * is a supervised case's progress-report interval (D73, default
   * `{ workingDays: 2 }`). ASSIGNMENT and FEEDBACK are deadlines set per
   * case, not budgets: an override of them is ignored.
   */
  readonly clocks?: Readonly<Partial<Record<ClockKind, Budget>>>;
  /**
   * D8: how many months back from the acceptance the event may lie (the
   * regulator's time bar for appeals). Default: `ACCEPTANCE_WINDOW_MONTHS`
   * (24). An operator overrides a line's own with
   * `ACCEPTANCE_WINDOW_MONTHS_BY_LINE` (e.g. `some-line=5`).
   */
  readonly acceptanceWindowMonths?: number;
  /** D8: the line's complaints are always in scope: `OUT_OF_SCOPE` is refused as a rejection reason. Default false. */
  readonly alwaysInScope?: boolean;
  /**
   * D14: who calls back a case a CITY resolved: the province acceptance
   * centre (`PROVINCE`, the default) or a HANDLER of that city
   * (`HANDLING_CITY`: the province's follow-up excludes the line, e.g.
   * billing disputes, 话费争议除外). A county's case is always called back by
   * its city; a centre's or the province's by the province.
   */
  readonly callback?: 'PROVINCE' | 'HANDLING_CITY';
  /** D14: `ALWAYS` a second callback or a `SAMPLE` of closings (default, SECOND_CALLBACK_SAMPLE). */
  readonly secondCallback?: 'ALWAYS' | 'SAMPLE';
  /**
   * D40: who may register the line's cases: any registrar of D53 (`STAFF`,
   * the default) or only partner carriers and the province's LEGAL_OFFICER
   * (`PARTNERS_AND_LEGAL`).
   */
  readonly registeredBy?: 'STAFF' | 'PARTNERS_AND_LEGAL';
  /**
   * D41: who holds the line's cases at the province: the acceptance centre
   * (`ACCEPTANCE_CENTRE`, the default) or the regulatory & legal affairs
   * department's LEGAL_OFFICER (`LEGAL_OFFICER`).
   */
  readonly heldBy?: 'ACCEPTANCE_CENTRE' | 'LEGAL_OFFICER';
  /**
   * D31, D36: the line's own records (`line_records` of a kind, D36) that are
   * remedies paid out, so that assessment counts their amounts with the
   * findings' (e.g. a line recording refunds on bills:
   * `{ ADJUSTMENT: { remedy: 'BILL_ADJUSTED', amountField: 'amount' } }`).
   * The amount is the record's `data[amountField]`, a number ≥ 0; it is added
   * to that remedy's amount for the case's responsible unit (its latest
   * finding's, else its handling unit). Default none.
   */
  readonly remedyRecords?: Readonly<Record<string, RemedyRecord>>;
  /** D79: root causes of the line's own, after the base list (UPPER_SNAKE codes). Default none. */
  readonly rootCauses?: readonly Category[];
  /**
   * D34: where the province desk might dispatch a case (a suggestion; a person
   * decides). `units` are the case's province and every unit below it. Null:
   * no suggestion. Default: none.
   */
  suggest?(c: RoutingCase, units: readonly RoutingUnit[]): DispatchSuggestion | null;
  readonly hooks?: Readonly<PluginHooks>;
  /**
   * D36: the line's own GraphQL — types, fields on `Complaint` (null on other
   * lines' cases), queries, mutations, subscriptions — added through the
   * core's builder. `api` is the core's `LineApi` (src/graphql/line-api.ts);
   * type the parameter with it. Called once, before the schema is built.
   * Default: none.
   */
  schema?(api: unknown): void;
  /**
   * D50: the fields of `details` that are personal data, with their mask
   * (e.g. `{ msisdn: 'phone' }`); masked, logged and anonymised exactly like
   * the customer's fields. Default: none.
   */
  readonly personalData?: Readonly<Record<string, PersonalDataKind>>;
  /** Extra permission rules of the line (CASL), added to every viewer's ability. */
  readonly abilities?: RuleContributor;
}

export type PluginDefinition = Omit<BusinessLinePlugin, 'categories'> & {
  readonly extraCategories?: readonly Category[];
};

/** Adds the five base categories before the line's own and freezes the result. */
export function definePlugin({
  extraCategories = [],
  ...def
}: PluginDefinition): BusinessLinePlugin {
  // The zod schema itself is left unfrozen: zod initialises some of its members lazily.
  return Object.freeze({
    ...def,
    categories: Object.freeze(
      [...BASE_CATEGORIES, ...extraCategories].map((c) =>
        Object.freeze({ code: c.code, name: c.name }),
      ),
    ),
    ...(def.clocks && { clocks: Object.freeze({ ...def.clocks }) }),
    ...(def.hooks && { hooks: Object.freeze({ ...def.hooks }) }),
    ...(def.personalData && { personalData: Object.freeze({ ...def.personalData }) }),
    ...(def.remedyRecords && { remedyRecords: Object.freeze({ ...def.remedyRecords }) }),
  });
}

// Field builders shared by the plugins (D57: text is trimmed, blank is refused).

/** Free text: trimmed, non-blank, at most `max` characters. */
export const text = (max = 100) =>
  z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);

/** D57 amount: a number ≥ 0 with at most 2 decimals (zod's multipleOf is float-safe: 0.1 + 0.2 passes). */
export const amount = () =>
  z.number().nonnegative('must not be negative').multipleOf(0.01, 'must have at most 2 decimals');

// Routing helpers shared by the lines (D34).

/** A unit's name and its short form (without a trailing 市, 区 or 县), the ways an address names it. */
const namesOf = (u: RoutingUnit) => {
  const short = u.name.replace(/[市区县]$/u, '');
  return short.length >= 2 && short !== u.name ? [u.name, short] : [u.name];
};

/**
 * D34's rule for most lines: the city whose name, or one of whose counties'
 * names, the customer's address contains; otherwise none.
 */
export function cityNamedInAddress(
  c: RoutingCase,
  units: readonly RoutingUnit[],
): DispatchSuggestion | null {
  const address = c.customerAddress ?? '';
  if (!address) return null;
  for (const city of units.filter((u) => u.level === 'CITY')) {
    const named = namesOf(city).find((n) => address.includes(n));
    if (named) return { unitId: city.id, reason: `The customer's address names ${city.name}` };
    const county = units.find(
      (u) =>
        u.level === 'COUNTY' &&
        u.parentId === city.id &&
        namesOf(u).some((n) => address.includes(n)),
    );
    if (county)
      return {
        unitId: city.id,
        reason: `The customer's address names ${county.name}, a county of ${city.name}`,
      };
  }
  return null;
}

/** D34's rule for group and big customers: the province's CENTER when it has exactly one. */
export function provinceCentre(
  _c: RoutingCase,
  units: readonly RoutingUnit[],
): DispatchSuggestion | null {
  const centres = units.filter((u) => u.level === 'CENTER');
  return centres.length === 1
    ? {
        unitId: centres[0]!.id,
        reason: `Group and big customers are handled by ${centres[0]!.name}`,
      }
    : null;
}
