-- Issue 25 (P7): the running clocks past due that the scanner has not marked yet, found through statistics of
-- their own. sla_clocks_due_idx held due_at for the running, unmarked clocks; the planner judged `due_at <= now`
-- on it from due_at's statistics over every clock, where history's stopped clocks are long past due, so at
-- 10M cases it expected 160,000 such clocks where there were none and scanned all of sla_clocks (120 ms, and
-- growing with history) in every assessment. The index is now on pendingDueAt (src/db/schema.ts), the due time
-- while a clock can still breach, else null: due_at itself on every row the index holds, so the scanner walks
-- it as before. The statistics object gives that expression statistics of its own (PostgreSQL 14+), which
-- ANALYZE computes over the running clocks' due times only.
DROP INDEX "sla_clocks_due_idx";--> statement-breakpoint
CREATE INDEX "sla_clocks_due_idx" ON "sla_clocks" USING btree ((case when "stopped_at" is null and "paused_at" is null and not "breached" then "due_at" end)) WHERE "sla_clocks"."stopped_at" is null and "sla_clocks"."paused_at" is null and not "sla_clocks"."breached";--> statement-breakpoint
CREATE STATISTICS "sla_clocks_pending_due_stats" ON ((case when "stopped_at" is null and "paused_at" is null and not "breached" then "due_at" end)) FROM "sla_clocks";--> statement-breakpoint
ANALYZE "sla_clocks";
