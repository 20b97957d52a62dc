import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { complaints } from '../db/schema.js';
import { type ChainReport, verifyChain } from './append.js';

export type BrokenChain = {
  complaintId: string;
  number: string;
  brokenAt: Extract<ChainReport, { ok: false }>['brokenAt'];
};
export type ChainsReport = { cases: number; events: number; broken: BrokenChain[] };

/**
 * D51, D56: verifies every case's event chain (verifyChain, case by case in
 * number order) and reports the cases whose chain is broken, each with its
 * first bad event. `onBroken` hears of each as it is found.
 */
export async function verifyAllChains(
  db: Db,
  onBroken?: (b: BrokenChain) => void,
): Promise<ChainsReport> {
  const rows = await db
    .select({ id: complaints.id, number: complaints.number })
    .from(complaints)
    .orderBy(asc(complaints.number));
  const report: ChainsReport = { cases: 0, events: 0, broken: [] };
  for (const c of rows) {
    const r = await verifyChain(db, c.id);
    report.cases++;
    report.events += r.checked;
    if (!r.ok) {
      const b = { complaintId: c.id, number: c.number, brokenAt: r.brokenAt };
      report.broken.push(b);
      onBroken?.(b);
    }
  }
  return report;
}
