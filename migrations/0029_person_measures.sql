-- Issue 25, D31, D59: `assessment` by PERSON from rollups, as 0022 keeps it by unit. Keyed by the case's handling
-- path, Asia/Shanghai registration period, kind and a person, each change written twice: under its DAY (monthly
-- false) and under its MONTH's first day (monthly true):
--
-- * complaint_person_counts: per key, the first responder's cases (n, resolved, accepted with the sum of response
--   seconds, reopened, repeats, callbacks satisfied and reached: 0022's measures), and what a person owned besides
--   first response: the dispatches they took (owned: ACKNOWLEDGE or RETURN events, returned: RETURN) and the reports
--   of theirs sent back (rework: a CONFIRM_REPORT or REVIEW_REPORT not approved counts against the latest
--   SUBMIT_REPORT, or REVIEW_REPORT that made a county's report the city's, before it);
-- * complaint_person_clock_counts: per key and clock kind, the first responder's clocks (not ASSIGNMENT, not a
--   rectification's) that ended MET, ended MISSED or run late (marked breached, not paused), and the ASSIGNMENT
--   clocks that ended MET or MISSED, for the person whose report stopped them (the first SUBMIT_REPORT or
--   REVIEW_REPORT of the case at the clock's stopped_at).
--
-- A person is a key of many values (every agent of a province): a province's day rows can be nearly as many as
-- its cases, so a long window reads its whole months from the month rows and only its edge days from the day
-- rows. Partner cases (no first responder) and events without a user have no row.
--
-- Exact in every transaction, whatever code path writes (as 0022): the trigger on complaints appends -old/+new
-- delta rows when a measure or the key changes, and when the key changes (dispatch, transfer, a unit move, a new
-- registration time, kind or first responder) moves the case's callbacks, clocks and owned work to the new key,
-- recounted from its own rows. Callbacks, clocks and events (append-only) append their delta under the case's key
-- as it is now, read with a share lock on the case's row. A report's ASSIGNMENT clock is stopped before its event
-- is written: the clock's trigger finds no reporter then and counts nothing, the event's trigger counts the clocks
-- stopped at its instant when it is the first report event there. stats_person_compact() folds the deltas,
-- stats_person_rebuild() recounts them (after a bulk load that bypassed the triggers).
CREATE TABLE "complaint_person_counts" (
	"handling_path" text NOT NULL,
	"period" date NOT NULL,
	"monthly" boolean NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"person" uuid NOT NULL,
	"n" integer NOT NULL,
	"resolved" integer NOT NULL,
	"accepted" integer NOT NULL,
	"response_seconds" numeric NOT NULL,
	"reopened" integer NOT NULL,
	"repeats" integer NOT NULL,
	"cb_satisfied" integer NOT NULL,
	"cb_reached" integer NOT NULL,
	"owned" integer NOT NULL,
	"returned" integer NOT NULL,
	"rework" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_person_counts_key" ON "complaint_person_counts" USING btree ("handling_path","period","monthly","kind","person") WHERE "folded";
--> statement-breakpoint
CREATE INDEX "complaint_person_counts_path_idx" ON "complaint_person_counts" USING btree ("handling_path" text_pattern_ops,"period");
--> statement-breakpoint
CREATE INDEX "complaint_person_counts_deltas_idx" ON "complaint_person_counts" USING btree ("period") WHERE not "folded";
--> statement-breakpoint
CREATE TABLE "complaint_person_clock_counts" (
	"handling_path" text NOT NULL,
	"period" date NOT NULL,
	"monthly" boolean NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"person" uuid NOT NULL,
	"clock" "clock_kind" NOT NULL,
	"met" integer NOT NULL,
	"missed" integer NOT NULL,
	"late" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_person_clock_counts_key" ON "complaint_person_clock_counts" USING btree ("handling_path","period","monthly","kind","person","clock") WHERE "folded";
--> statement-breakpoint
CREATE INDEX "complaint_person_clock_counts_path_idx" ON "complaint_person_clock_counts" USING btree ("handling_path" text_pattern_ops,"period");
--> statement-breakpoint
CREATE INDEX "complaint_person_clock_counts_deltas_idx" ON "complaint_person_clock_counts" USING btree ("period") WHERE not "folded";
--> statement-breakpoint
-- The rollups' day of a registration, and the two periods a day's change is written under.
CREATE FUNCTION person_day(t timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (t AT TIME ZONE 'Asia/Shanghai')::date $$;
--> statement-breakpoint
CREATE FUNCTION person_periods(d date) RETURNS TABLE (period date, monthly boolean)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ VALUES (d, false), (date_trunc('month', d)::date, true) $$;
--> statement-breakpoint
-- D31: whose report stopped an ASSIGNMENT clock: the actor of the case's first SUBMIT_REPORT or REVIEW_REPORT at
-- the instant it stopped (null: none yet, or not a user's).
CREATE FUNCTION assignment_reporter(cid uuid, t timestamptz) RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
  SELECT actor_user_id FROM complaint_events
  WHERE complaint_id = cid AND at = t AND action IN ('SUBMIT_REPORT', 'REVIEW_REPORT')
  ORDER BY position LIMIT 1
$$;
--> statement-breakpoint
-- D31: what one case's events give persons besides first response (the scan of src/domain/assessment-findings.ts
-- personExtras, for one case): one row per dispatch taken (ACKNOWLEDGE, RETURN) and per report sent back (for its
-- maker: the latest SUBMIT_REPORT, or REVIEW_REPORT that made a county's report the city's, before it). A row's
-- person is null when no user is named; the callers sum. One index scan of the case's events.
CREATE FUNCTION complaint_person_reports(cid uuid)
  RETURNS TABLE (person uuid, owned integer, returned integer, rework integer)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
  SELECT CASE WHEN e.action IN ('ACKNOWLEDGE', 'RETURN') THEN e.actor_user_id ELSE (
      SELECT s.actor_user_id FROM complaint_events s
      WHERE s.complaint_id = cid AND s.position < e.position
        AND (s.action = 'SUBMIT_REPORT' OR (s.action = 'REVIEW_REPORT' AND s.to_status = 'PENDING_APPROVAL'))
      ORDER BY s.position DESC LIMIT 1) END,
    (e.action IN ('ACKNOWLEDGE', 'RETURN'))::int, (e.action = 'RETURN')::int, (e.action NOT IN ('ACKNOWLEDGE', 'RETURN'))::int
  FROM complaint_events e
  WHERE e.complaint_id = cid AND (e.action IN ('ACKNOWLEDGE', 'RETURN')
    OR (e.action IN ('CONFIRM_REPORT', 'REVIEW_REPORT') AND (e.payload ->> 'approve') = 'false'))
$$;
--> statement-breakpoint
-- ... and with its ASSIGNMENT clocks ended, one row each for its reporter: all the work one case gives persons.
CREATE FUNCTION complaint_person_work(cid uuid)
  RETURNS TABLE (person uuid, owned integer, returned integer, rework integer, met integer, missed integer)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
  SELECT r.person, r.owned, r.returned, r.rework, 0, 0 FROM complaint_person_reports(cid) r
  UNION ALL
  SELECT assignment_reporter(c.complaint_id, c.stopped_at), 0, 0, 0, (c.state = 'MET')::int, (c.state = 'MISSED')::int
  FROM sla_clocks c WHERE c.complaint_id = cid AND c.kind = 'ASSIGNMENT' AND c.state IN ('MET', 'MISSED')
$$;
--> statement-breakpoint
CREATE FUNCTION person_counts_add(path text, reg_day date, k contact_kind, p uuid, d_n integer, d_resolved integer,
  d_accepted integer, d_seconds numeric, d_reopened integer, d_repeats integer, d_sat integer, d_rch integer,
  d_owned integer, d_returned integer, d_rework integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO complaint_person_counts (handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
  SELECT path, g.period, g.monthly, k, p, d_n, d_resolved, d_accepted, d_seconds, d_reopened, d_repeats, d_sat, d_rch, d_owned,
    d_returned, d_rework
  FROM person_periods(reg_day) g WHERE p IS NOT NULL
$$;
--> statement-breakpoint
CREATE FUNCTION person_clock_add(path text, reg_day date, k contact_kind, p uuid, c clock_kind, d_met integer,
  d_missed integer, d_late integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late)
  SELECT path, g.period, g.monthly, k, p, c, d_met, d_missed, d_late
  FROM person_periods(reg_day) g WHERE p IS NOT NULL AND (d_met, d_missed, d_late) <> (0, 0, 0)
$$;
--> statement-breakpoint
-- A case's measures under its first responder; on a move, its callbacks, clocks and owned work with it (sign -1: out
-- of the old key, +1: into the new).
CREATE FUNCTION complaint_person_move(c complaints, sign integer, moved boolean, relocated boolean) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  reg_day date := person_day(c.registered_at);
  sat integer := 0;
  rch integer := 0;
  w record;
BEGIN
  IF moved THEN
    SELECT count(*) FILTER (WHERE result IN ('SATISFIED', 'BASICALLY_SATISFIED')), count(*) FILTER (WHERE result <> 'UNREACHABLE')
      INTO sat, rch FROM callbacks WHERE complaint_id = c.id;
  END IF;
  PERFORM person_counts_add(c.handling_path, reg_day, c.kind, c.first_responder_id, sign, sign * (c.resolved_at IS NOT NULL)::int,
    sign * (c.accepted_at IS NOT NULL)::int, sign * coalesce(extract(epoch FROM (c.accepted_at - c.registered_at)), 0),
    sign * (c.reopen_count > 0)::int, sign * (c.is_repeat)::int, sign * sat, sign * rch, 0, 0, 0);
  IF moved AND c.first_responder_id IS NOT NULL THEN
    INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late)
    SELECT c.handling_path, g.period, g.monthly, c.kind, c.first_responder_id, k.kind, sign * count(*) FILTER (WHERE k.state = 'MET'),
      sign * count(*) FILTER (WHERE k.state = 'MISSED'),
      sign * count(*) FILTER (WHERE k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)
    FROM sla_clocks k CROSS JOIN person_periods(reg_day) g
    WHERE k.complaint_id = c.id AND k.kind <> 'ASSIGNMENT' AND k.rectification_id IS NULL
      AND (k.state IN ('MET', 'MISSED') OR (k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached))
    GROUP BY g.period, g.monthly, k.kind;
  END IF;
  IF relocated THEN
    FOR w IN SELECT x.person, sum(x.owned)::int AS owned, sum(x.returned)::int AS returned, sum(x.rework)::int AS rework,
        sum(x.met)::int AS met, sum(x.missed)::int AS missed
      FROM complaint_person_work(c.id) x WHERE x.person IS NOT NULL GROUP BY x.person LOOP
      PERFORM person_counts_add(c.handling_path, reg_day, c.kind, w.person, 0, 0, 0, 0, 0, 0, 0, 0,
        sign * w.owned, sign * w.returned, sign * w.rework);
      PERFORM person_clock_add(c.handling_path, reg_day, c.kind, w.person, 'ASSIGNMENT', sign * w.met, sign * w.missed, 0);
    END LOOP;
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION complaint_person_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  relocated boolean := TG_OP = 'UPDATE' AND (OLD.handling_path, person_day(OLD.registered_at), OLD.kind)
    IS DISTINCT FROM (NEW.handling_path, person_day(NEW.registered_at), NEW.kind);
  moved boolean := relocated OR (TG_OP = 'UPDATE' AND OLD.first_responder_id IS DISTINCT FROM NEW.first_responder_id);
BEGIN
  -- A new case has no callbacks, clocks or events yet; a deleted one has none left (their foreign keys).
  IF TG_OP <> 'INSERT' THEN
    PERFORM complaint_person_move(OLD, -1, moved, relocated);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM complaint_person_move(NEW, 1, moved, relocated);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER complaint_person_track AFTER INSERT OR DELETE ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaint_person_track();
--> statement-breakpoint
CREATE TRIGGER complaint_person_track_update
  AFTER UPDATE OF handling_path, registered_at, kind, first_responder_id, resolved_at, accepted_at, reopen_count, is_repeat
  ON complaints FOR EACH ROW
  WHEN ((OLD.handling_path, person_day(OLD.registered_at), OLD.kind, OLD.first_responder_id, OLD.resolved_at IS NULL,
      OLD.accepted_at, OLD.registered_at, OLD.reopen_count > 0, OLD.is_repeat)
    IS DISTINCT FROM (NEW.handling_path, person_day(NEW.registered_at), NEW.kind, NEW.first_responder_id, NEW.resolved_at IS NULL,
      NEW.accepted_at, NEW.registered_at, NEW.reopen_count > 0, NEW.is_repeat))
  EXECUTE FUNCTION complaint_person_track();
--> statement-breakpoint
-- A callback counts under its case's key and first responder as they are now (share lock, as 0022).
CREATE FUNCTION callback_person_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE k record;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT handling_path, registered_at, kind, first_responder_id INTO k FROM complaints WHERE id = OLD.complaint_id FOR SHARE;
    IF FOUND THEN
      PERFORM person_counts_add(k.handling_path, person_day(k.registered_at), k.kind, k.first_responder_id, 0, 0, 0, 0, 0, 0,
        -(OLD.result IN ('SATISFIED', 'BASICALLY_SATISFIED'))::int, -(OLD.result <> 'UNREACHABLE')::int, 0, 0, 0);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT handling_path, registered_at, kind, first_responder_id INTO k FROM complaints WHERE id = NEW.complaint_id FOR SHARE;
    IF FOUND THEN
      PERFORM person_counts_add(k.handling_path, person_day(k.registered_at), k.kind, k.first_responder_id, 0, 0, 0, 0, 0, 0,
        (NEW.result IN ('SATISFIED', 'BASICALLY_SATISFIED'))::int, (NEW.result <> 'UNREACHABLE')::int, 0, 0, 0);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER callback_person_track AFTER INSERT OR DELETE ON callbacks
  FOR EACH ROW EXECUTE FUNCTION callback_person_track();
--> statement-breakpoint
CREATE TRIGGER callback_person_track_update AFTER UPDATE OF complaint_id, result ON callbacks
  FOR EACH ROW WHEN ((OLD.complaint_id, OLD.result) IS DISTINCT FROM (NEW.complaint_id, NEW.result))
  EXECUTE FUNCTION callback_person_track();
--> statement-breakpoint
-- One clock's part: an ASSIGNMENT clock ended MET or MISSED, for its reporter; any other clock (not a
-- rectification's) ended or running late, for the case's first responder.
CREATE FUNCTION sla_clock_person_count(k sla_clocks, sign integer) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  c record;
  late boolean := k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached;
BEGIN
  IF k.kind = 'ASSIGNMENT' THEN
    IF k.state NOT IN ('MET', 'MISSED') THEN RETURN; END IF;
  ELSIF k.rectification_id IS NOT NULL OR NOT (k.state IN ('MET', 'MISSED') OR late) THEN
    RETURN;
  END IF;
  SELECT handling_path, registered_at, kind, first_responder_id INTO c FROM complaints WHERE id = k.complaint_id FOR SHARE;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM person_clock_add(c.handling_path, person_day(c.registered_at), c.kind,
    CASE WHEN k.kind = 'ASSIGNMENT' THEN assignment_reporter(k.complaint_id, k.stopped_at) ELSE c.first_responder_id END,
    k.kind, sign * (k.state = 'MET')::int, sign * (k.state = 'MISSED')::int, sign * late::int);
END
$$;
--> statement-breakpoint
CREATE FUNCTION sla_clock_person_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM sla_clock_person_count(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM sla_clock_person_count(NEW, 1); END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sla_clock_person_track_insert AFTER INSERT ON sla_clocks
  FOR EACH ROW WHEN (NEW.state IN ('MET', 'MISSED') OR (NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached))
  EXECUTE FUNCTION sla_clock_person_track();
--> statement-breakpoint
CREATE TRIGGER sla_clock_person_track_delete AFTER DELETE ON sla_clocks
  FOR EACH ROW WHEN (OLD.state IN ('MET', 'MISSED') OR (OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached))
  EXECUTE FUNCTION sla_clock_person_track();
--> statement-breakpoint
CREATE TRIGGER sla_clock_person_track_update
  AFTER UPDATE OF complaint_id, kind, state, rectification_id, stopped_at, paused_at, breached ON sla_clocks
  FOR EACH ROW WHEN ((OLD.state IN ('MET', 'MISSED') OR (OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached)
      OR NEW.state IN ('MET', 'MISSED') OR (NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached))
    AND (OLD.complaint_id, OLD.kind, OLD.state IN ('MET', 'MISSED'), OLD.state = 'MET', OLD.rectification_id IS NULL, OLD.stopped_at,
      (OLD.state NOT IN ('MET', 'MISSED') AND OLD.stopped_at IS NULL AND OLD.paused_at IS NULL AND OLD.breached))
      IS DISTINCT FROM (NEW.complaint_id, NEW.kind, NEW.state IN ('MET', 'MISSED'), NEW.state = 'MET', NEW.rectification_id IS NULL, NEW.stopped_at,
      (NEW.state NOT IN ('MET', 'MISSED') AND NEW.stopped_at IS NULL AND NEW.paused_at IS NULL AND NEW.breached)))
  EXECUTE FUNCTION sla_clock_person_track();
--> statement-breakpoint
-- An event (append-only) adds the work it gives: a dispatch taken (ACKNOWLEDGE, RETURN), a report sent back (to its
-- maker's rework), and, as the first report event at its instant, the ASSIGNMENT clocks stopped there.
CREATE FUNCTION complaint_event_person_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  c record;
  reg_day date;
  maker uuid;
BEGIN
  SELECT handling_path, registered_at, kind INTO c FROM complaints WHERE id = NEW.complaint_id FOR SHARE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  reg_day := person_day(c.registered_at);
  IF NEW.action IN ('ACKNOWLEDGE', 'RETURN') THEN
    PERFORM person_counts_add(c.handling_path, reg_day, c.kind, NEW.actor_user_id, 0, 0, 0, 0, 0, 0, 0, 0,
      1, (NEW.action = 'RETURN')::int, 0);
  END IF;
  IF NEW.action IN ('CONFIRM_REPORT', 'REVIEW_REPORT') AND (NEW.payload ->> 'approve') = 'false' THEN
    SELECT actor_user_id INTO maker FROM complaint_events s
    WHERE s.complaint_id = NEW.complaint_id AND s.position < NEW.position
      AND (s.action = 'SUBMIT_REPORT' OR (s.action = 'REVIEW_REPORT' AND s.to_status = 'PENDING_APPROVAL'))
    ORDER BY s.position DESC LIMIT 1;
    PERFORM person_counts_add(c.handling_path, reg_day, c.kind, maker, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  END IF;
  IF NEW.action IN ('SUBMIT_REPORT', 'REVIEW_REPORT') AND NEW.actor_user_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM complaint_events s WHERE s.complaint_id = NEW.complaint_id AND s.at = NEW.at
        AND s.action IN ('SUBMIT_REPORT', 'REVIEW_REPORT') AND s.position < NEW.position) THEN
    INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late)
    SELECT c.handling_path, g.period, g.monthly, c.kind, NEW.actor_user_id, 'ASSIGNMENT', count(*) FILTER (WHERE k.state = 'MET'),
      count(*) FILTER (WHERE k.state = 'MISSED'), 0
    FROM sla_clocks k CROSS JOIN person_periods(reg_day) g
    WHERE k.complaint_id = NEW.complaint_id AND k.kind = 'ASSIGNMENT' AND k.stopped_at = NEW.at AND k.state IN ('MET', 'MISSED')
    GROUP BY g.period, g.monthly;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER complaint_event_person_track AFTER INSERT ON complaint_events
  FOR EACH ROW WHEN (NEW.action IN ('ACKNOWLEDGE', 'RETURN', 'SUBMIT_REPORT', 'REVIEW_REPORT', 'CONFIRM_REPORT'))
  EXECUTE FUNCTION complaint_event_person_track();
--> statement-breakpoint
-- Folds the delta rows into one row per key (as stats_measures_compact); one compactor at a time (others return -1).
CREATE FUNCTION stats_person_compact() RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE a integer; b integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('stats_person_compact')) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM complaint_person_counts WHERE NOT folded
    RETURNING handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied,
      cb_reached, owned, returned, rework
  ), s AS (
    SELECT handling_path, period, monthly, kind, person, sum(n)::int AS n, sum(resolved)::int AS resolved,
      sum(accepted)::int AS accepted,
      sum(response_seconds) AS response_seconds, sum(reopened)::int AS reopened, sum(repeats)::int AS repeats,
      sum(cb_satisfied)::int AS cb_satisfied, sum(cb_reached)::int AS cb_reached, sum(owned)::int AS owned,
      sum(returned)::int AS returned, sum(rework)::int AS rework, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5
  ), up AS (
    INSERT INTO complaint_person_counts (handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
      reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
    SELECT handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied,
      cb_reached, owned, returned, rework, true
    FROM s WHERE (n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
      <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ON CONFLICT (handling_path, period, monthly, kind, person) WHERE folded
    DO UPDATE SET n = complaint_person_counts.n + excluded.n, resolved = complaint_person_counts.resolved + excluded.resolved,
      accepted = complaint_person_counts.accepted + excluded.accepted,
      response_seconds = complaint_person_counts.response_seconds + excluded.response_seconds,
      reopened = complaint_person_counts.reopened + excluded.reopened, repeats = complaint_person_counts.repeats + excluded.repeats,
      cb_satisfied = complaint_person_counts.cb_satisfied + excluded.cb_satisfied,
      cb_reached = complaint_person_counts.cb_reached + excluded.cb_reached, owned = complaint_person_counts.owned + excluded.owned,
      returned = complaint_person_counts.returned + excluded.returned, rework = complaint_person_counts.rework + excluded.rework
  )
  SELECT coalesce(sum(rows), 0)::int INTO a FROM s;
  DELETE FROM complaint_person_counts
  WHERE folded AND (n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
    = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  WITH d AS (
    DELETE FROM complaint_person_clock_counts WHERE NOT folded
    RETURNING handling_path, period, monthly, kind, person, clock, met, missed, late
  ), s AS (
    SELECT handling_path, period, monthly, kind, person, clock, sum(met)::int AS met, sum(missed)::int AS missed,
      sum(late)::int AS late, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5, 6
  ), up AS (
    INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late, folded)
    SELECT handling_path, period, monthly, kind, person, clock, met, missed, late, true
    FROM s WHERE (met, missed, late) <> (0, 0, 0)
    ON CONFLICT (handling_path, period, monthly, kind, person, clock) WHERE folded
    DO UPDATE SET met = complaint_person_clock_counts.met + excluded.met,
      missed = complaint_person_clock_counts.missed + excluded.missed, late = complaint_person_clock_counts.late + excluded.late
  )
  SELECT coalesce(sum(rows), 0)::int INTO b FROM s;
  DELETE FROM complaint_person_clock_counts WHERE folded AND met = 0 AND missed = 0 AND late = 0;
  RETURN a + b;
END
$$;
--> statement-breakpoint
-- Recounts both from complaints, callbacks, sla_clocks and complaint_events, holding writes to them off while it
-- counts (SHARE locks, to the end of the caller's transaction).
CREATE FUNCTION stats_person_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints, callbacks, sla_clocks, complaint_events IN SHARE MODE;
  DELETE FROM complaint_person_counts;
  INSERT INTO complaint_person_counts (handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
  SELECT handling_path, day, false, kind, person, sum(n)::int, sum(resolved)::int, sum(accepted)::int, sum(response_seconds),
    sum(reopened)::int, sum(repeats)::int, sum(cb_satisfied)::int, sum(cb_reached)::int, sum(owned)::int, sum(returned)::int,
    sum(rework)::int, true
  FROM (
    SELECT c.handling_path, person_day(c.registered_at) AS day, c.kind, c.first_responder_id AS person, count(*) AS n,
      count(*) FILTER (WHERE c.resolved_at IS NOT NULL) AS resolved, count(*) FILTER (WHERE c.accepted_at IS NOT NULL) AS accepted,
      coalesce(sum(extract(epoch FROM (c.accepted_at - c.registered_at))), 0) AS response_seconds,
      count(*) FILTER (WHERE c.reopen_count > 0) AS reopened, count(*) FILTER (WHERE c.is_repeat) AS repeats,
      coalesce(sum(cb.satisfied), 0) AS cb_satisfied, coalesce(sum(cb.reached), 0) AS cb_reached,
      0 AS owned, 0 AS returned, 0 AS rework
    FROM complaints c
    LEFT JOIN (SELECT complaint_id, count(*) FILTER (WHERE result IN ('SATISFIED', 'BASICALLY_SATISFIED')) AS satisfied,
        count(*) FILTER (WHERE result <> 'UNREACHABLE') AS reached
      FROM callbacks GROUP BY 1) cb ON cb.complaint_id = c.id
    WHERE c.first_responder_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT c.handling_path, person_day(c.registered_at), c.kind, e.actor_user_id, 0, 0, 0, 0, 0, 0, 0, 0,
      count(*), count(*) FILTER (WHERE e.action = 'RETURN'), 0
    FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
    WHERE e.action IN ('ACKNOWLEDGE', 'RETURN') AND e.actor_user_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT c.handling_path, person_day(c.registered_at), c.kind, s.actor_user_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
    FROM complaint_events r JOIN complaints c ON c.id = r.complaint_id
    CROSS JOIN LATERAL (SELECT actor_user_id FROM complaint_events s
      WHERE s.complaint_id = r.complaint_id AND s.position < r.position
        AND (s.action = 'SUBMIT_REPORT' OR (s.action = 'REVIEW_REPORT' AND s.to_status = 'PENDING_APPROVAL'))
      ORDER BY s.position DESC LIMIT 1) s
    WHERE r.action IN ('CONFIRM_REPORT', 'REVIEW_REPORT') AND (r.payload ->> 'approve') = 'false' AND s.actor_user_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
  ) x
  GROUP BY 1, 2, 4, 5
  HAVING (sum(n), sum(resolved), sum(accepted), sum(response_seconds), sum(reopened), sum(repeats), sum(cb_satisfied),
    sum(cb_reached), sum(owned), sum(returned), sum(rework)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  INSERT INTO complaint_person_counts (handling_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
  SELECT handling_path, date_trunc('month', period)::date, true, kind, person, sum(n)::int, sum(resolved)::int, sum(accepted)::int,
    sum(response_seconds), sum(reopened)::int, sum(repeats)::int, sum(cb_satisfied)::int, sum(cb_reached)::int, sum(owned)::int,
    sum(returned)::int, sum(rework)::int, true
  FROM complaint_person_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5;
  DELETE FROM complaint_person_clock_counts;
  INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late, folded)
  SELECT handling_path, day, false, kind, person, clock, sum(met)::int, sum(missed)::int, sum(late)::int, true
  FROM (
    SELECT c.handling_path, person_day(c.registered_at) AS day, c.kind,
      CASE WHEN k.kind = 'ASSIGNMENT' THEN assignment_reporter(k.complaint_id, k.stopped_at) ELSE c.first_responder_id END AS person,
      k.kind AS clock, (k.state = 'MET')::int AS met, (k.state = 'MISSED')::int AS missed,
      (k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)::int AS late
    FROM sla_clocks k JOIN complaints c ON c.id = k.complaint_id
    WHERE (k.kind = 'ASSIGNMENT' AND k.state IN ('MET', 'MISSED'))
      OR (k.kind <> 'ASSIGNMENT' AND k.rectification_id IS NULL
        AND (k.state IN ('MET', 'MISSED') OR (k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)))
  ) x
  WHERE person IS NOT NULL
  GROUP BY 1, 2, 4, 5, 6
  HAVING (sum(met), sum(missed), sum(late)) <> (0, 0, 0);
  INSERT INTO complaint_person_clock_counts (handling_path, period, monthly, kind, person, clock, met, missed, late, folded)
  SELECT handling_path, date_trunc('month', period)::date, true, kind, person, clock, sum(met)::int, sum(missed)::int,
    sum(late)::int, true
  FROM complaint_person_clock_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5, 6;
END
$$;
--> statement-breakpoint
SELECT stats_person_rebuild();
