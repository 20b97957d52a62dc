import { rulesToAST } from '@casl/ability/extra';
import type { SQL } from 'drizzle-orm';
import type { AppAbility } from './abilities.js';
import { astToSql } from './sql.js';

/**
 * Issue 25, D59: the viewer's read rule on complaints in the one shape the
 * statistics rollup can count exactly — `reader_units && units` OR
 * `first_responder_id = me` (a staff member's rules in
 * src/auth/complaint-rules.ts) — read off the same CASL AST that
 * src/auth/sql.ts compiles. Anything else (a partner's rule, a condition on
 * another field, an inverted rule, no rule at all) is null: the caller then
 * counts by scanning, as before. Failing closed to the scan keeps the figures
 * exact whatever the rules become.
 */
export type ReadCover = { units: string[]; me: string | null };

type Ast = { operator: string; value: unknown; field?: string };

export function readCover(ability: AppAbility): ReadCover | null {
  const ast = rulesToAST(ability, 'read', 'Complaint') as Ast | null;
  if (ast === null) return null;
  const units = new Set<string>();
  let me: string | null = null;
  const leaf = (n: Ast): boolean => {
    if (n.operator === 'or' || (n.operator === 'and' && (n.value as Ast[]).length === 1)) {
      const parts = n.value as Ast[];
      return parts.length > 0 && parts.every(leaf);
    }
    if (n.field === 'readerUnits' && n.operator === 'in' && Array.isArray(n.value)) {
      if (!n.value.every((v) => typeof v === 'string')) return false;
      for (const v of n.value as string[]) units.add(v);
      return true;
    }
    if (n.field === 'readerUnits' && n.operator === 'eq' && typeof n.value === 'string') {
      units.add(n.value);
      return true;
    }
    if (n.field === 'firstResponderId' && n.operator === 'eq' && typeof n.value === 'string') {
      if (me !== null && me !== n.value) return false;
      me = n.value;
      return true;
    }
    return false;
  };
  return leaf(ast) ? { units: [...units], me } : null;
}

/**
 * Issue 25 (P8): the cover's alternatives as conditions, each as src/auth/sql.ts compiles it (`reader_units &&
 * units`, `first_responder_id = me`): their OR is the read rule the cover was read from. A search asks its grams
 * within each (`searchWhere`), so that one scan of the grams-and-readers index finds the term's cases a unit reads.
 */
export function coverArms(cover: ReadCover): SQL[] {
  const arms: SQL[] = [];
  if (cover.units.length)
    arms.push(astToSql({ operator: 'in', field: 'readerUnits', value: cover.units }));
  if (cover.me !== null)
    arms.push(astToSql({ operator: 'eq', field: 'firstResponderId', value: cover.me }));
  return arms;
}
