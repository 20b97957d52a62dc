// The business-line plugin contract (DOMAIN.md §6). A line is one folder
// `plugins/<code>/index.ts` whose default export is `definePlugin({...})`;
// src/domain/lines.ts discovers, checks and serves them.
import { z } from 'zod';
import type { Budget } from '../sla/budget.js';
import type { RuleContributor } from '../auth/abilities.js';
import { BASE_CATEGORIES, type Action, type ClockKind, type Status, type SystemAction } from './enums.js';

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

export interface PluginHooks {
  /** Runs before a transition of one of the line's complaints; throw a DomainError to refuse it. */
  beforeTransition?(ctx: TransitionContext): void | Promise<void>;
}
export const HOOK_NAMES = ['beforeTransition'] as const satisfies readonly (keyof PluginHooks)[];

/** A strict zod object (unknown keys refused, D58); all its fields optional. */
export type DetailsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/** How a personal-data field is masked (D50): as a name, a phone, an address or an account number. */
export type PersonalDataKind = 'name' | 'phone' | 'address' | 'account';
export const PERSONAL_DATA_KINDS = ['name', 'phone', 'address', 'account'] as const satisfies readonly PersonalDataKind[];

export interface BusinessLinePlugin {
  /** kebab-case, e.g. 'broadband'; equals the folder name by convention. */
  readonly code: string;
  /** Display name, e.g. '宽带 Broadband'. */
  readonly name: string;
  /** The five BASE_CATEGORIES first, then the line's own (UPPER_SNAKE codes). */
  readonly categories: readonly Category[];
  readonly details: DetailsSchema;
  /** Budget overrides (D20), e.g. enterprise ACCEPT { hours: 2 }. */
  readonly clocks?: Readonly<Partial<Record<ClockKind, Budget>>>;
  /** D14: the callback is always made by the province (billing disputes). */
  readonly callbackByProvince?: boolean;
  /** D14: fixed-line and broadband ALWAYS get a second callback; others SAMPLE (default). */
  readonly secondCallback?: 'ALWAYS' | 'SAMPLE';
  /** D40/D41: registered by partners and legal officers, held by the province LEGAL_OFFICER. */
  readonly partnerOnly?: boolean;
  readonly hooks?: Readonly<PluginHooks>;
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
export function definePlugin({ extraCategories = [], ...def }: PluginDefinition): BusinessLinePlugin {
  // The zod schema itself is left unfrozen: zod initialises some of its members lazily.
  return Object.freeze({
    ...def,
    categories: Object.freeze([...BASE_CATEGORIES, ...extraCategories].map((c) => Object.freeze({ code: c.code, name: c.name }))),
    ...(def.clocks && { clocks: Object.freeze({ ...def.clocks }) }),
    ...(def.hooks && { hooks: Object.freeze({ ...def.hooks }) }),
    ...(def.personalData && { personalData: Object.freeze({ ...def.personalData }) }),
  });
}

// Field builders shared by the plugins (D57: text is trimmed, blank is refused).

/** Free text: trimmed, non-blank, at most `max` characters. */
export const text = (max = 100) =>
  z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);

/** D57 amount: a number ≥ 0 with at most 2 decimals (zod's multipleOf is float-safe: 0.1 + 0.2 passes). */
export const amount = () =>
  z.number().nonnegative('must not be negative').multipleOf(0.01, 'must have at most 2 decimals');
