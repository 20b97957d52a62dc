import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { AppAbility } from '../auth/abilities.js';
import { complaintsWhere } from '../auth/sql.js';
import type { Db } from '../db/client.js';
import { complaints, personalDataReads } from '../db/schema.js';
import type { KeysetWindow } from './input.js';
import { inSubtrees } from './org.js';

/**
 * D50: the log of unmasked reads of personal data, newest first, of the cases
 * handled inside the given subtrees (the viewer's audited ones) that the
 * viewer reads (D54). `complaintId` narrows it to one case; null (a case id
 * that names no case) matches nothing.
 */
export async function personalDataReadsPage(
  db: Db,
  ability: AppAbility,
  paths: string[],
  filter: { complaintId?: string | null },
  page: KeysetWindow,
) {
  const cases = sql`select ${complaints.id} from ${complaints} where (${inSubtrees(complaints.handlingPath, paths)}) and ${complaintsWhere(ability, 'read')}`;
  const conds: SQL[] = [sql`${personalDataReads.complaintId} in (${cases})`];
  if (filter.complaintId !== undefined)
    conds.push(
      filter.complaintId ? eq(personalDataReads.complaintId, filter.complaintId) : sql`false`,
    );
  if (page.after !== null) conds.push(lt(personalDataReads.position, page.after));
  return db
    .select()
    .from(personalDataReads)
    .where(and(...conds))
    .orderBy(desc(personalDataReads.position))
    .limit(page.limit + 1);
}
