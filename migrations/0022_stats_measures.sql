-- Issue 25, D31, D59, D77: the measures `assessment` (by unit) and the analysis report's figures add up, kept
-- beside the counts of migration 0020 so that a province-wide year reads a few thousand rollup rows instead of
-- every case. Keyed by the case's handling path, Asia/Shanghai registration day and kind, like the counts:
--
-- * complaint_measure_counts: per key, the cases (n), those resolved (resolved_at set), those accepted and the
--   sum of their response seconds (accepted_at - registered_at), those reopened (reopen_count > 0), the repeats
--   (is_repeat), and their callbacks: satisfied (SATISFIED, BASICALLY_SATISFIED) and reached (not UNREACHABLE);
-- * complaint_clock_counts: per key and clock kind (and whether the clock is a rectification's, D75), the clocks
--   that ended MET, those that ended MISSED, and those running late: not stopped, not paused and marked breached
--   (D26: judged late whatever `now` is, until they stop or pause). A running clock not yet marked is judged
--   against `now`, so it is not here: the readers count those past due live (the scanner marks them within a pass).
--
-- Exact in every transaction, whatever code path writes (as 0020): the trigger on complaints appends -old/+new
-- delta rows when a case measure or the key changes; when the key changes (dispatch, transfer, a unit move, a
-- new registration time or kind) it also moves the case's callbacks and ended clocks to the new key. The
-- triggers on callbacks and sla_clocks append the delta of the row under the case's key as it is now, read
-- with a share lock on the case's row, so that a concurrent change of the key (which updates that row) is
-- ordered before or after them, never between. stats_measures_compact() folds the deltas, stats_measures_rebuild()
-- recounts (after a bulk load that bypassed the triggers).
CREATE TABLE "complaint_measure_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"n" integer NOT NULL,
	"resolved" integer NOT NULL,
	"accepted" integer NOT NULL,
	"response_seconds" numeric NOT NULL,
	"reopened" integer NOT NULL,
	"repeats" integer NOT NULL,
	"cb_satisfied" integer NOT NULL,
	"cb_reached" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_measure_counts_key" ON "complaint_measure_counts" USING btree ("handling_path","day","kind") WHERE "folded";
--> statement-breakpoint
CREATE INDEX "complaint_measure_counts_path_idx" ON "complaint_measure_counts" USING btree ("handling_path" text_pattern_ops,"day");
--> statement-breakpoint
CREATE INDEX "complaint_measure_counts_deltas_idx" ON "complaint_measure_counts" USING btree ("day") WHERE not "folded";
--> statement-breakpoint
CREATE TABLE "complaint_clock_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"clock" "clock_kind" NOT NULL,
	"rectification" boolean NOT NULL,
	"met" integer NOT NULL,
	"missed" integer NOT NULL,
	"late" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_clock_counts_key" ON "complaint_clock_counts" USING btree ("handling_path","day","kind","clock","rectification") WHERE "folded";
--> statement-breakpoint
CREATE INDEX "complaint_clock_counts_path_idx" ON "complaint_clock_counts" USING btree ("handling_path" text_pattern_ops,"day");
--> statement-breakpoint
CREATE INDEX "complaint_clock_counts_deltas_idx" ON "complaint_clock_counts" USING btree ("day") WHERE not "folded";
--> statement-breakpoint
CREATE FUNCTION complaint_measures_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  moved boolean := TG_OP = 'UPDATE' AND (OLD.handling_path, OLD.handling_unit_id, OLD.registered_at, OLD.kind)
    IS DISTINCT FROM (NEW.handling_path, NEW.handling_unit_id, NEW.registered_at, NEW.kind);
  sat integer := 0;
  rch integer := 0;
BEGIN
  -- A new case has no callbacks or clocks yet; a deleted one has none left (their foreign keys), each having
  -- taken itself out of the rollup as it went. Only a move carries them from the old key to the new.
  IF moved THEN
    SELECT count(*) FILTER (WHERE result IN ('SATISFIED', 'BASICALLY_SATISFIED')), count(*) FILTER (WHERE result <> 'UNREACHABLE')
      INTO sat, rch FROM callbacks WHERE complaint_id = NEW.id;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached)
    VALUES (OLD.handling_path, OLD.handling_unit_id, (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date, OLD.kind, -1,
      -(OLD.resolved_at IS NOT NULL)::int, -(OLD.accepted_at IS NOT NULL)::int,
      -coalesce(extract(epoch FROM (OLD.accepted_at - OLD.registered_at)), 0),
      -(OLD.reopen_count > 0)::int, -(OLD.is_repeat)::int, -sat, -rch);
    IF moved THEN
      INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late)
      SELECT OLD.handling_path, OLD.handling_unit_id, (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date, OLD.kind,
        c.kind, c.rectification_id IS NOT NULL, -count(*) FILTER (WHERE c.state = 'MET'), -count(*) FILTER (WHERE c.state = 'MISSED'),
        -count(*) FILTER (WHERE (c.state NOT IN ('MET', 'MISSED') AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.breached))
      FROM sla_clocks c WHERE c.complaint_id = OLD.id AND (c.state IN ('MET', 'MISSED') OR (c.state NOT IN ('MET', 'MISSED') AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.breached))
      GROUP BY c.kind, c.rectification_id IS NOT NULL;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached)
    VALUES (NEW.handling_path, NEW.handling_unit_id, (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.kind, 1,
      (NEW.resolved_at IS NOT NULL)::int, (NEW.accepted_at IS NOT NULL)::int,
      coalesce(extract(epoch FROM (NEW.accepted_at - NEW.registered_at)), 0),
      (NEW.reopen_count > 0)::int, (NEW.is_repeat)::int, sat, rch);
    IF moved THEN
      INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late)
      SELECT NEW.handling_path, NEW.handling_unit_id, (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.kind,
        c.kind, c.rectification_id IS NOT NULL, count(*) FILTER (WHERE c.state = 'MET'), count(*) FILTER (WHERE c.state = 'MISSED'),
        count(*) FILTER (WHERE (c.state NOT IN ('MET', 'MISSED') AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.breached))
      FROM sla_clocks c WHERE c.complaint_id = NEW.id AND (c.state IN ('MET', 'MISSED') OR (c.state NOT IN ('MET', 'MISSED') AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.breached))
      GROUP BY c.kind, c.rectification_id IS NOT NULL;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER complaint_measures_track AFTER INSERT OR DELETE ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaint_measures_track();
--> statement-breakpoint
CREATE TRIGGER complaint_measures_track_update
  AFTER UPDATE OF handling_path, handling_unit_id, registered_at, kind, resolved_at, accepted_at, reopen_count, is_repeat
  ON complaints FOR EACH ROW
  WHEN ((OLD.handling_path, OLD.handling_unit_id, OLD.registered_at, OLD.kind, OLD.resolved_at IS NULL, OLD.accepted_at, OLD.reopen_count > 0, OLD.is_repeat)
    IS DISTINCT FROM (NEW.handling_path, NEW.handling_unit_id, NEW.registered_at, NEW.kind, NEW.resolved_at IS NULL, NEW.accepted_at, NEW.reopen_count > 0, NEW.is_repeat))
  EXECUTE FUNCTION complaint_measures_track();
--> statement-breakpoint
-- A callback counts under its case's key as it is now (share lock: a concurrent move of the case waits, or is waited for).
CREATE FUNCTION callback_measures_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE k record;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT handling_path, handling_unit_id, registered_at, kind INTO k FROM complaints WHERE id = OLD.complaint_id FOR SHARE;
    IF FOUND THEN
      INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached)
      VALUES (k.handling_path, k.handling_unit_id, (k.registered_at AT TIME ZONE 'Asia/Shanghai')::date, k.kind, 0, 0, 0, 0, 0, 0,
        -(OLD.result IN ('SATISFIED', 'BASICALLY_SATISFIED'))::int, -(OLD.result <> 'UNREACHABLE')::int);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT handling_path, handling_unit_id, registered_at, kind INTO k FROM complaints WHERE id = NEW.complaint_id FOR SHARE;
    IF FOUND THEN
      INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached)
      VALUES (k.handling_path, k.handling_unit_id, (k.registered_at AT TIME ZONE 'Asia/Shanghai')::date, k.kind, 0, 0, 0, 0, 0, 0,
        (NEW.result IN ('SATISFIED', 'BASICALLY_SATISFIED'))::int, (NEW.result <> 'UNREACHABLE')::int);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER callback_measures_track AFTER INSERT OR DELETE ON callbacks
  FOR EACH ROW EXECUTE FUNCTION callback_measures_track();
--> statement-breakpoint
CREATE TRIGGER callback_measures_track_update AFTER UPDATE OF complaint_id, result ON callbacks
  FOR EACH ROW WHEN ((OLD.complaint_id, OLD.result) IS DISTINCT FROM (NEW.complaint_id, NEW.result))
  EXECUTE FUNCTION callback_measures_track();
--> statement-breakpoint
-- A clock that ended MET or MISSED, or runs late (breached, not paused), counts under its case's key as it is now;
-- one that leaves those states (or is deleted) uncounts.
CREATE FUNCTION sla_clock_measures_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE k record;
BEGIN
  IF TG_OP <> 'INSERT' AND (OLD.state IN ('MET', 'MISSED') OR (OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached)) THEN
    SELECT handling_path, handling_unit_id, registered_at, kind INTO k FROM complaints WHERE id = OLD.complaint_id FOR SHARE;
    IF FOUND THEN
      INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late)
      VALUES (k.handling_path, k.handling_unit_id, (k.registered_at AT TIME ZONE 'Asia/Shanghai')::date, k.kind,
        OLD.kind, OLD.rectification_id IS NOT NULL, -(OLD.state = 'MET')::int, -(OLD.state = 'MISSED')::int, -((OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached))::int);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' AND (NEW.state IN ('MET', 'MISSED') OR (NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached)) THEN
    SELECT handling_path, handling_unit_id, registered_at, kind INTO k FROM complaints WHERE id = NEW.complaint_id FOR SHARE;
    IF FOUND THEN
      INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late)
      VALUES (k.handling_path, k.handling_unit_id, (k.registered_at AT TIME ZONE 'Asia/Shanghai')::date, k.kind,
        NEW.kind, NEW.rectification_id IS NOT NULL, (NEW.state = 'MET')::int, (NEW.state = 'MISSED')::int, ((NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached))::int);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sla_clock_measures_track_insert AFTER INSERT ON sla_clocks
  FOR EACH ROW WHEN (NEW.state IN ('MET', 'MISSED') OR (NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached))
  EXECUTE FUNCTION sla_clock_measures_track();
--> statement-breakpoint
CREATE TRIGGER sla_clock_measures_track_delete AFTER DELETE ON sla_clocks
  FOR EACH ROW WHEN (OLD.state IN ('MET', 'MISSED') OR (OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached))
  EXECUTE FUNCTION sla_clock_measures_track();
--> statement-breakpoint
CREATE TRIGGER sla_clock_measures_track_update
  AFTER UPDATE OF complaint_id, kind, state, rectification_id, stopped_at, paused_at, breached ON sla_clocks
  FOR EACH ROW WHEN ((OLD.state IN ('MET', 'MISSED') OR (OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached) OR NEW.state IN ('MET', 'MISSED') OR (NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached))
    AND (OLD.complaint_id, OLD.kind, OLD.state IN ('MET', 'MISSED'), OLD.state = 'MET', OLD.rectification_id IS NULL, (OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached))
      IS DISTINCT FROM (NEW.complaint_id, NEW.kind, NEW.state IN ('MET', 'MISSED'), NEW.state = 'MET', NEW.rectification_id IS NULL, (NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached)))
  EXECUTE FUNCTION sla_clock_measures_track();
--> statement-breakpoint
-- Folds the delta rows into one row per key, in one statement per table (readers see before or after, never
-- between); one compactor at a time (others return -1 at once). Returns how many delta rows it folded.
CREATE FUNCTION stats_measures_compact() RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE a integer; b integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('stats_measures_compact')) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM complaint_measure_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, sum(n)::int AS n, sum(resolved)::int AS resolved, sum(accepted)::int AS accepted,
      sum(response_seconds) AS response_seconds, sum(reopened)::int AS reopened, sum(repeats)::int AS repeats,
      sum(cb_satisfied)::int AS cb_satisfied, sum(cb_reached)::int AS cb_reached, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4
  ), up AS (
    INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, folded)
    SELECT handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, true
    FROM s WHERE (n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached) <> (0, 0, 0, 0, 0, 0, 0, 0)
    ON CONFLICT (handling_path, day, kind) WHERE folded
    DO UPDATE SET n = complaint_measure_counts.n + excluded.n, resolved = complaint_measure_counts.resolved + excluded.resolved,
      accepted = complaint_measure_counts.accepted + excluded.accepted,
      response_seconds = complaint_measure_counts.response_seconds + excluded.response_seconds,
      reopened = complaint_measure_counts.reopened + excluded.reopened, repeats = complaint_measure_counts.repeats + excluded.repeats,
      cb_satisfied = complaint_measure_counts.cb_satisfied + excluded.cb_satisfied, cb_reached = complaint_measure_counts.cb_reached + excluded.cb_reached
  )
  SELECT coalesce(sum(rows), 0)::int INTO a FROM s;
  DELETE FROM complaint_measure_counts
  WHERE folded AND (n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached) = (0, 0, 0, 0, 0, 0, 0, 0);
  WITH d AS (
    DELETE FROM complaint_clock_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, clock, rectification, sum(met)::int AS met, sum(missed)::int AS missed,
      sum(late)::int AS late, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5, 6
  ), up AS (
    INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late, folded)
    SELECT handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late, true
    FROM s WHERE (met, missed, late) <> (0, 0, 0)
    ON CONFLICT (handling_path, day, kind, clock, rectification) WHERE folded
    DO UPDATE SET met = complaint_clock_counts.met + excluded.met, missed = complaint_clock_counts.missed + excluded.missed,
      late = complaint_clock_counts.late + excluded.late
  )
  SELECT coalesce(sum(rows), 0)::int INTO b FROM s;
  DELETE FROM complaint_clock_counts WHERE folded AND met = 0 AND missed = 0 AND late = 0;
  RETURN a + b;
END
$$;
--> statement-breakpoint
-- Recounts both from complaints, callbacks and sla_clocks (what a bulk load that bypassed the triggers calls
-- afterwards), holding writes to the three off while it counts (SHARE locks, to the end of the caller's transaction).
CREATE FUNCTION stats_measures_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints, callbacks, sla_clocks IN SHARE MODE;
  DELETE FROM complaint_measure_counts;
  INSERT INTO complaint_measure_counts (handling_path, handling_unit_id, day, kind, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, folded)
  SELECT c.handling_path, c.handling_unit_id, (c.registered_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind, count(*)::int,
    count(*) FILTER (WHERE c.resolved_at IS NOT NULL)::int, count(*) FILTER (WHERE c.accepted_at IS NOT NULL)::int,
    coalesce(sum(extract(epoch FROM (c.accepted_at - c.registered_at))), 0),
    count(*) FILTER (WHERE c.reopen_count > 0)::int, count(*) FILTER (WHERE c.is_repeat)::int,
    coalesce(sum(cb.satisfied), 0)::int, coalesce(sum(cb.reached), 0)::int, true
  FROM complaints c
  LEFT JOIN (SELECT complaint_id, count(*) FILTER (WHERE result IN ('SATISFIED', 'BASICALLY_SATISFIED')) AS satisfied,
      count(*) FILTER (WHERE result <> 'UNREACHABLE') AS reached
    FROM callbacks GROUP BY 1) cb ON cb.complaint_id = c.id
  GROUP BY 1, 2, 3, 4;
  DELETE FROM complaint_clock_counts;
  INSERT INTO complaint_clock_counts (handling_path, handling_unit_id, day, kind, clock, rectification, met, missed, late, folded)
  SELECT c.handling_path, c.handling_unit_id, (c.registered_at AT TIME ZONE 'Asia/Shanghai')::date, c.kind, k.kind, k.rectification_id IS NOT NULL,
    count(*) FILTER (WHERE k.state = 'MET')::int, count(*) FILTER (WHERE k.state = 'MISSED')::int,
    count(*) FILTER (WHERE (k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached))::int, true
  FROM sla_clocks k JOIN complaints c ON c.id = k.complaint_id
  WHERE k.state IN ('MET', 'MISSED') OR (k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)
  GROUP BY 1, 2, 3, 4, 5, 6;
END
$$;
--> statement-breakpoint
SELECT stats_measures_rebuild();
