-- Issue 25, D32: the duty briefing counts the open cases of a subtree (a few per cent of history) and the
-- supervised ones; these partial indexes hold just those, with every column the briefing's counts and a
-- staff member's read rule (reader_units, first_responder_id) need, so its statements are index-only scans
-- of them instead of scans of every case. The predicate's status list is OPEN_STATUSES (src/db/schema.ts
-- OPEN_STATUS_LIST), which the statements repeat as literals so the planner can prove it.
CREATE INDEX "complaints_open_idx" ON "complaints" USING btree ("handling_path" text_pattern_ops,"status") INCLUDE ("category", "due_at", "severity", "escalation_level", "reader_units", "first_responder_id") WHERE "complaints"."status" in ('RECEIVED', 'ACCEPTED', 'DISPATCHED', 'INVESTIGATING', 'PENDING_APPROVAL', 'PENDING_REVIEW', 'RESOLVED', 'REPLIED');--> statement-breakpoint
CREATE INDEX "complaints_supervised_idx" ON "complaints" USING btree ("handling_path" text_pattern_ops) INCLUDE ("id", "reader_units", "first_responder_id") WHERE "complaints"."supervising_unit_id" is not null;
