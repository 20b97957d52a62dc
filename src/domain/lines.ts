// The business-line registry (DOMAIN.md §6, D58): discovers the plugin
// folders, checks them at boot and validates complaints' `details`.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { RuleBuilder, RuleContributor } from '../auth/abilities.js';
import { BASE_CATEGORIES, CLOCK_KINDS, REMEDY_KINDS, type RemedyKind } from './enums.js';
import { DomainError } from './errors.js';
import { shallowJson } from './input.js';
import {
  type BusinessLinePlugin,
  type Category,
  type CommittedEvent,
  HOOK_NAMES,
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
} from './plugin.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

/** D79: the root causes every line shares. */
export const BASE_ROOT_CAUSES: readonly Category[] = [
  { code: 'NETWORK_COVERAGE', name: '网络覆盖 Network coverage' },
  { code: 'NETWORK_FAULT', name: '网络故障 Network fault' },
  { code: 'BILLING_ERROR', name: '计费差错 Billing error' },
  { code: 'TARIFF_MISUNDERSTANDING', name: '资费误解 Tariff misunderstanding' },
  { code: 'SERVICE_ATTITUDE', name: '服务态度 Service attitude' },
  { code: 'PROCESS_DELAY', name: '流程延误 Process delay' },
  { code: 'THIRD_PARTY', name: '第三方 Third party' },
  { code: 'CUSTOMER_SIDE', name: '客户原因 Customer side' },
  { code: 'OTHER', name: '其他 Other' },
];

const DEFAULT_DIR = fileURLToPath(new URL('../../plugins', import.meta.url));
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const BUDGET_UNITS = ['minutes', 'hours', 'days', 'workingDays'];
const PLUGIN_KEYS = new Set([
  'code',
  'name',
  'categories',
  'details',
  'clocks',
  'acceptanceWindowMonths',
  'alwaysInScope',
  'callback',
  'secondCallback',
  'registeredBy',
  'heldBy',
  'rootCauses',
  'suggest',
  'hooks',
  'abilities',
  'personalData',
  'schema',
  'remedyRecords',
]);
const ONE_OF: Record<string, readonly string[]> = {
  callback: ['PROVINCE', 'HANDLING_CITY'],
  secondCallback: ['ALWAYS', 'SAMPLE'],
  registeredBy: ['STAFF', 'PARTNERS_AND_LEGAL'],
  heldBy: ['ACCEPTANCE_CENTRE', 'LEGAL_OFFICER'],
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The problem with one plugin, or null when it is well formed. */
function problemOf(p: unknown): string | null {
  if (!isRecord(p)) return 'the default export is not a plugin object (use definePlugin)';
  const unknownKeys = Object.keys(p).filter((k) => !PLUGIN_KEYS.has(k));
  if (unknownKeys.length)
    return `unknown propert${unknownKeys.length > 1 ? 'ies' : 'y'} ${unknownKeys.join(', ')} (use definePlugin)`;
  if (typeof p.code !== 'string' || !KEBAB.test(p.code))
    return `code ${JSON.stringify(p.code)} is missing or not kebab-case`;
  if (!isText(p.name)) return 'name is missing';

  if (!Array.isArray(p.categories)) return 'categories must be an array';
  const seen = new Set<string>();
  for (const c of p.categories) {
    if (!isRecord(c) || typeof c.code !== 'string' || !UPPER_SNAKE.test(c.code))
      return `category code ${JSON.stringify(isRecord(c) ? c.code : c)} is not UPPER_SNAKE`;
    if (!isText(c.name)) return `category ${c.code} has no name`;
    if (seen.has(c.code)) return `duplicate category code ${c.code}`;
    seen.add(c.code);
  }
  const missing = BASE_CATEGORIES.filter((b) => !seen.has(b.code)).map((b) => b.code);
  if (missing.length) return `base categories missing: ${missing.join(', ')}`;

  // Duck-typed rather than instanceof, so a plugin resolving another copy of zod still passes.
  const def = (
    p.details as
      | { _zod?: { def?: { type?: string; catchall?: { _zod?: { def?: { type?: string } } } } } }
      | undefined
  )?._zod?.def;
  if (def?.type !== 'object') return 'details must be a zod object schema';
  if (def.catchall?._zod?.def?.type !== 'never')
    return 'details must be a strict object (z.strictObject): unknown keys are refused (D58)';

  if (p.clocks !== undefined) {
    if (!isRecord(p.clocks)) return 'clocks must be an object';
    for (const [kind, budget] of Object.entries(p.clocks)) {
      if (!(CLOCK_KINDS as readonly string[]).includes(kind))
        return `clock override for unknown clock ${kind}`;
      const entries = isRecord(budget) ? Object.entries(budget) : [];
      const [unit, n] = entries[0] ?? [];
      if (
        entries.length !== 1 ||
        !BUDGET_UNITS.includes(unit as string) ||
        !Number.isInteger(n) ||
        (n as number) <= 0
      )
        return `clock override ${kind} must be one of {${BUDGET_UNITS.join('|')}: positive integer}, got ${JSON.stringify(budget)}`;
    }
  }
  if (p.alwaysInScope !== undefined && typeof p.alwaysInScope !== 'boolean')
    return 'alwaysInScope must be a boolean';
  for (const [key, values] of Object.entries(ONE_OF))
    if (p[key] !== undefined && !values.includes(p[key] as string))
      return `${key} must be ${values.join(' or ')}`;
  if (
    p.acceptanceWindowMonths !== undefined &&
    !(Number.isInteger(p.acceptanceWindowMonths) && (p.acceptanceWindowMonths as number) > 0)
  )
    return 'acceptanceWindowMonths must be a positive whole number of months';
  if (p.rootCauses !== undefined) {
    if (!Array.isArray(p.rootCauses)) return 'rootCauses must be an array of { code, name }';
    for (const c of p.rootCauses)
      if (
        !isRecord(c) ||
        typeof c.code !== 'string' ||
        !UPPER_SNAKE.test(c.code) ||
        !isText(c.name)
      )
        return `root cause ${JSON.stringify(c)} needs an UPPER_SNAKE code and a name`;
  }
  if (p.remedyRecords !== undefined) {
    if (!isRecord(p.remedyRecords))
      return 'remedyRecords must be an object { KIND: { remedy, amountField } }';
    for (const [kind, r] of Object.entries(p.remedyRecords))
      if (
        !UPPER_SNAKE.test(kind) ||
        !isRecord(r) ||
        !(REMEDY_KINDS as readonly unknown[]).includes(r.remedy) ||
        !isText(r.amountField)
      )
        return `remedyRecords.${kind} needs an UPPER_SNAKE kind, a remedy of ${REMEDY_KINDS.join(', ')} and an amountField`;
  }
  for (const fn of ['suggest', 'schema'] as const)
    if (p[fn] !== undefined && typeof p[fn] !== 'function') return `${fn} must be a function`;
  if (p.personalData !== undefined) {
    if (!isRecord(p.personalData))
      return 'personalData must be an object { field: name|phone|address|account }';
    const shape = (p.details as { shape?: Record<string, unknown> }).shape ?? {};
    for (const [field, kind] of Object.entries(p.personalData)) {
      if (!(field in shape)) return `personalData names ${field}, which is not a field of details`;
      if (!(PERSONAL_DATA_KINDS as readonly unknown[]).includes(kind))
        return `personalData.${field} must be one of ${PERSONAL_DATA_KINDS.join(', ')}`;
    }
  }
  if (p.abilities !== undefined && typeof p.abilities !== 'function')
    return 'abilities must be a function (viewer, builder) => void';
  if (p.hooks !== undefined) {
    if (!isRecord(p.hooks)) return 'hooks must be an object';
    for (const [name, fn] of Object.entries(p.hooks))
      if (!(HOOK_NAMES as readonly string[]).includes(name) || typeof fn !== 'function')
        return `hooks.${name} is not a known hook function (${HOOK_NAMES.join(', ')})`;
  }
  return null;
}

/**
 * Checks plugins at boot; throws an Error naming the offending plugin.
 * `labels` (e.g. the folder names) name the plugins in messages; otherwise their code or position.
 */
export function checkPlugins(plugins: unknown[], labels?: readonly string[]): BusinessLinePlugin[] {
  const byCode = new Map<string, string>();
  plugins.forEach((p, i) => {
    const code = isRecord(p) && typeof p.code === 'string' ? p.code : undefined;
    const label = labels?.[i] ?? (code ? `"${code}"` : `#${i + 1}`);
    const problem = problemOf(p);
    if (problem) throw new Error(`Business-line plugin ${label}: ${problem}`);
    const other = byCode.get(code!);
    if (other)
      throw new Error(
        `Business-line plugin ${label}: duplicate line code "${code}" (also ${other})`,
      );
    byCode.set(code!, label);
  });
  return plugins as BusinessLinePlugin[];
}

/** Imports every `<dir>/<folder>/index.ts|js`, in folder order. Adding a line = adding a folder. */
export async function loadPlugins(dir: string = DEFAULT_DIR): Promise<LineRegistry> {
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const plugins: unknown[] = [];
  const labels: string[] = [];
  for (const folder of folders) {
    const file = ['index.ts', 'index.js']
      .map((f) => join(dir, folder, f))
      .find((f) => existsSync(f));
    if (!file) continue;
    const label = `in folder "${folder}"`;
    let mod: { default?: unknown };
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (cause) {
      throw new Error(
        `Business-line plugin ${label}: failed to load: ${(cause as Error).message}`,
        { cause },
      );
    }
    plugins.push(mod.default);
    labels.push(label);
  }
  return new LineRegistry(plugins, labels);
}

export class LineRegistry {
  readonly #lines = new Map<string, BusinessLinePlugin>();
  readonly #schemas = new Map<string, JsonSchema>();
  /** D35: failed after-hooks per line, for /metrics (`plugin_hook_failures_total`). */
  readonly hookFailures = new Map<string, number>();
  /** D35: where a failed after-hook is told (the server logs it); the event stands either way. */
  onHookError: (
    error: unknown,
    where: { line: string; action: string; complaintId: string },
  ) => void = (error, where) =>
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'after-commit hook failed',
        ...where,
        error: String(error),
      }),
    );

  /**
   * D35: runs the line's after-hook for an event whose transaction committed;
   * a failure is counted and reported, never thrown.
   */
  async afterCommit(lineCode: string | null, event: CommittedEvent): Promise<void> {
    const hook = lineCode ? this.get(lineCode)?.hooks?.afterCommit : undefined;
    if (!hook) return;
    try {
      await hook(event);
    } catch (error) {
      this.hookFailures.set(lineCode!, (this.hookFailures.get(lineCode!) ?? 0) + 1);
      this.onHookError(error, {
        line: lineCode!,
        action: event.action,
        complaintId: event.complaintId,
      });
    }
  }

  /** Checks the plugins (checkPlugins) and indexes them by code. */
  constructor(plugins: unknown[], labels?: readonly string[]) {
    for (const p of checkPlugins(plugins, labels)) this.#lines.set(p.code, p);
  }

  /**
   * The lines' contributions to every viewer's ability, each scoped to its
   * own cases: every rule a line gives on `Complaint` is narrowed to
   * `businessLine = <its code>`, so a line cannot widen what anyone may read
   * or do on another line's cases; rules on any other subject are refused at
   * start.
   */
  get abilities(): RuleContributor[] {
    return this.all().flatMap((l) => (l.abilities ? [scopedToLine(l.code, l.abilities)] : []));
  }

  all(): BusinessLinePlugin[] {
    return [...this.#lines.values()];
  }

  get(code: string): BusinessLinePlugin | undefined {
    return this.#lines.get(code);
  }

  require(code: string, field: string[] = ['businessLine']): BusinessLinePlugin {
    const line = this.#lines.get(code);
    if (!line) throw new DomainError('VALIDATION', `Unknown business line "${code}"`, field);
    return line;
  }

  /** D50: the personal-data fields of the line's details and their masks ({} when it declares none). */
  personalData(code: string | null): Readonly<Record<string, PersonalDataKind>> {
    return (code ? this.get(code)?.personalData : undefined) ?? {};
  }

  /** D79: the base root causes, then each line's own (codes unique; a line repeating a base code adds nothing). */
  rootCauses(): Category[] {
    const all = new Map(BASE_ROOT_CAUSES.map((c) => [c.code, c]));
    for (const l of this.all())
      for (const c of l.rootCauses ?? []) if (!all.has(c.code)) all.set(c.code, c);
    return [...all.values()];
  }

  /** D31: every line's records that are remedies paid out (`remedyRecords`), flattened. */
  remedyRecords(): { line: string; kind: string; remedy: RemedyKind; amountField: string }[] {
    return this.all().flatMap((l) =>
      Object.entries(l.remedyRecords ?? {}).map(([kind, r]) => ({
        line: l.code,
        kind,
        remedy: r.remedy,
        amountField: r.amountField,
      })),
    );
  }

  hasCategory(code: string, category: string): boolean {
    return this.get(code)?.categories.some((c) => c.code === category) ?? false;
  }

  /** JSON Schema (draft 2020-12) of the line's details, for portals (D58). Computed once, frozen. */
  detailsSchema(code: string): JsonSchema {
    let schema = this.#schemas.get(code);
    if (!schema) {
      schema = deepFreeze(z.toJSONSchema(this.require(code).details) as Record<string, unknown>);
      this.#schemas.set(code, schema);
    }
    return schema;
  }

  /**
   * D58: validates (and trims) `details` against the line. Absent details give {}.
   * Errors are VALIDATION with `field` + the path of the first issue, e.g. ['input', 'details', 'imei'].
   * An unknown line is reported on the sibling `businessLine` field.
   */
  validateDetails(code: string | null, details: unknown, field: string[]): Record<string, unknown> {
    if (details === null || details === undefined) return {};
    shallowJson(details, field);
    if (code === null) throw new DomainError('VALIDATION', 'Details need a business line', field);
    const line = this.require(code, [...field.slice(0, -1), 'businessLine']);
    const result = line.details.safeParse(details);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const path = [...field, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      path.push(issue.keys[0]);
      throw new DomainError(
        'VALIDATION',
        `${path.join('.')}: unknown field for business line ${code}`,
        path,
      );
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type')
      throw new DomainError('VALIDATION', `${path.join('.')}: must be an object`, path);
    throw new DomainError('VALIDATION', `${path.join('.')}: ${issue.message}`, path);
  }
}

/**
 * D58: acceptance merges its details over those registered (shallow); the caller
 * then validates the result with validateDetails against the line it sets.
 */
export function mergeDetails(
  registered: Readonly<Record<string, unknown>> | null | undefined,
  given: unknown,
): unknown {
  if (given === null || given === undefined) return registered ?? null;
  if (!isRecord(given)) return given; // left for validateDetails to refuse
  return { ...registered, ...given };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** A line's rule contributor whose `can` and `cannot` apply to its own cases only. */
function scopedToLine(code: string, contribute: RuleContributor): RuleContributor {
  return (viewer, builder) => {
    const narrowed =
      (rule: 'can' | 'cannot') => (action: unknown, subject: unknown, conditions?: unknown) => {
        const subjects = Array.isArray(subject) ? subject : [subject];
        if (subjects.some((s) => s !== 'Complaint'))
          throw new Error(
            `Business line ${code} gives a rule on ${String(subject)}: a line's rules are on its own complaints only`,
          );
        const own = isRecord(conditions)
          ? { ...conditions, businessLine: code }
          : { businessLine: code };
        return (builder[rule] as (a: unknown, s: unknown, c: unknown) => unknown)(
          action,
          'Complaint',
          own,
        );
      };
    contribute(viewer, {
      ...builder,
      can: narrowed('can'),
      cannot: narrowed('cannot'),
    } as unknown as RuleBuilder);
  };
}
