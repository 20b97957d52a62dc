import { rulesToAST } from '@casl/ability/extra';
import type { AnyColumn } from 'drizzle-orm';
import { and, not, or, type SQL, sql } from 'drizzle-orm';
import { complaints } from '../db/schema.js';
import type { AppAbility } from './abilities.js';

/**
 * CASL rules as SQL (D54): the viewer's rules for an action on complaints
 * become one drizzle condition, so lists, counts, timelines and feeds filter
 * in the database exactly as `ability.can` decides for one row
 * (test/read/casl-sql-parity.test.ts holds them to it).
 *
 * A small interpreter over @casl/ability's AST with a fixed field → column
 * map. It fails closed: an unknown field or operator throws; no rule at all
 * is `false`. Every leaf is made two-valued (never NULL), so `not` means what
 * CASL means.
 */

type Ast = { operator: string; value: unknown; field?: string };

type Field = { column: AnyColumn; kind: 'scalar' | 'array' };

const FIELDS: Record<string, Field> = {
  readerUnits: { column: complaints.readerUnits, kind: 'array' },
  firstResponderId: { column: complaints.firstResponderId, kind: 'scalar' },
  partnerId: { column: complaints.partnerId, kind: 'scalar' },
  provinceId: { column: complaints.provinceId, kind: 'scalar' },
  handlingUnitId: { column: complaints.handlingUnitId, kind: 'scalar' },
  status: { column: complaints.status, kind: 'scalar' },
  businessLine: { column: complaints.businessLine, kind: 'scalar' },
  severity: { column: complaints.severity, kind: 'scalar' },
};

const TRUE = sql`true`;
const FALSE = sql`false`;

const list = (values: unknown[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** CASL matches `null` on a scalar that is NULL, and on an array that holds a NULL element. */
const isNull = (f: Field) =>
  f.kind === 'array'
    ? sql`(array_position(${f.column}, null) is not null)`
    : sql`(${f.column} is null)`;

/**
 * Two-valued without `coalesce`: a comparison is NULL only where its column
 * is, so a NOT NULL column needs nothing and a nullable one an
 * `is not null` beside it. The comparison itself stays bare, where the
 * planner can use the column's index (the search GIN on reader_units, btree on
 * first_responder_id / partner_id); `coalesce(…)` hid it from them.
 */
const twoValued = (f: Field, cond: SQL) =>
  f.column.notNull ? cond : sql`(${cond} and ${f.column} is not null)`;

const arrayOf = (f: Field, values: unknown[]) =>
  sql`array[${list(values)}]::${sql.raw(f.column.getSQLType())}`;

/** CASL's `eq` on an array field matches when any element equals; on a scalar, strict equality (NULL never equals). */
function eq(f: Field, value: unknown): SQL {
  if (value === null) return isNull(f);
  if (f.kind === 'array') return twoValued(f, sql`(${f.column} @> ${arrayOf(f, [value])})`);
  return twoValued(f, sql`(${f.column} = ${value})`);
}

function inList(f: Field, values: unknown): SQL {
  if (!Array.isArray(values)) throw new Error('casl→sql: $in needs an array');
  if (values.length === 0) return FALSE;
  const nonNull = values.filter((v) => v !== null);
  const parts: SQL[] = [];
  if (nonNull.length) {
    parts.push(
      f.kind === 'array'
        ? twoValued(f, sql`(${f.column} && ${arrayOf(f, nonNull)})`)
        : twoValued(f, sql`(${f.column} in (${list(nonNull)}))`),
    );
  }
  // Never an empty `or()`: drizzle renders it as nothing, which an enclosing `and` would drop (fail open).
  if (nonNull.length < values.length) parts.push(isNull(f));
  return parts.length === 1 ? parts[0]! : or(...parts)!;
}

export function astToSql(node: Ast | null): SQL {
  if (node === null) return FALSE;
  switch (node.operator) {
    case 'and': {
      const parts = (node.value as Ast[]).map(astToSql);
      return parts.length ? sql`(${and(...parts)})` : TRUE;
    }
    case 'or': {
      const parts = (node.value as Ast[]).map(astToSql);
      return parts.length ? sql`(${or(...parts)})` : FALSE;
    }
    case 'not': {
      const inner = node.value as Ast | Ast[];
      return not(astToSql(Array.isArray(inner) ? { operator: 'and', value: inner } : inner));
    }
  }
  const field = node.field !== undefined ? FIELDS[node.field] : undefined;
  if (!field) throw new Error(`casl→sql: no column for field "${node.field}"`);
  switch (node.operator) {
    case 'eq':
      return eq(field, node.value);
    case 'ne':
      return not(eq(field, node.value));
    case 'in':
      return inList(field, node.value);
    case 'nin':
      return not(inList(field, node.value));
    default:
      throw new Error(`casl→sql: operator "${node.operator}" is not supported`);
  }
}

/** The rows of `complaints` the ability allows `action` on, as a condition. */
export function complaintsWhere(ability: AppAbility, action: 'read' | 'readPersonalData'): SQL {
  return astToSql(rulesToAST(ability, action, 'Complaint') as Ast | null);
}
