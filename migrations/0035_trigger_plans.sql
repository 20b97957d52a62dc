-- Issue 25 (P6): the rollup triggers' statements planned once per connection, not once per row.
--
-- The app's connections run with plan_cache_mode = force_custom_plan (src/db/client.ts), so that a list's
-- `handling_path like $1` is planned for its prefix. That setting reaches every PL/pgSQL statement that names a
-- variable: each trigger statement was planned again for every row it tracked. And the two helpers below were
-- LANGUAGE sql functions that are not inlined (an INSERT), which PostgreSQL 15 parses and plans again on every call
-- whatever the setting. A dispatch's UPDATE of its case spent 3.4 ms in its triggers, 2.3 ms of it in the person
-- trigger's delta rows; with the plans kept, 1.3 ms in all (bench/README.md, "Trigger plans").
--
-- assignment_reporter stays a SQL function: the recount and the assessment's case parts call it for every row,
-- where a SQL function is planned once per statement and a PL/pgSQL one, under the app's setting, once per row.
-- The triggers call it only when an ASSIGNMENT clock has ended.
--
-- Every statement here reads or writes by a case's id or a rollup key given in full, so a generic plan is the
-- custom plan: the trigger functions run under force_generic_plan (a function's SET clause, restored on exit),
-- and the helpers they call, inheriting it, are PL/pgSQL, whose plans last for the connection. The bodies are
-- those of 0029 and 0031, unchanged. test/foundation/migrations.test.ts checks that every trigger function that
-- runs statements carries the setting, so that a later CREATE OR REPLACE (which drops it) is caught.
ALTER FUNCTION complaint_counts_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION complaint_measures_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION complaint_person_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION complaints_search_grams() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION sla_clock_measures_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION sla_clock_person_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION callback_measures_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION callback_person_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
ALTER FUNCTION complaint_event_person_track() SET plan_cache_mode = force_generic_plan;--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_counts_add(path text, reg_day date, k contact_kind, p uuid, d_n integer, d_resolved integer,
  d_accepted integer, d_seconds numeric, d_reopened integer, d_repeats integer, d_sat integer, d_rch integer,
  d_owned integer, d_returned integer, d_rework integer) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
  SELECT g.subtree_path, g.period, g.monthly, k, p, d_n, d_resolved, d_accepted, d_seconds, d_reopened, d_repeats, d_sat, d_rch, d_owned,
    d_returned, d_rework
  FROM person_keys(path, reg_day) g WHERE p IS NOT NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_clock_add(path text, reg_day date, k contact_kind, p uuid, c clock_kind, d_met integer,
  d_missed integer, d_late integer) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late)
  SELECT g.subtree_path, g.period, g.monthly, k, p, c, d_met, d_missed, d_late
  FROM person_keys(path, reg_day) g WHERE p IS NOT NULL AND (d_met, d_missed, d_late) <> (0, 0, 0);
END
$$;
