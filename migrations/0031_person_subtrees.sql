-- Issue 25 (P7), D31, D59: the person rollups of 0029 keyed by SUBTREE, not by handling path. A province's first
-- responders are its call centre's seats (thousands), and each takes cases for every county: keyed by the case's
-- handling path, a month held a row per seat, path and kind (567,071 month rows for 1M cases with 2,011 persons,
-- bench/README.md), and a province's year of `assessment` by PERSON read them all. Now a case's figures are written under every unit of its handling path
-- (province, city, county: the subtrees that hold it), and a viewer reads one row per person, kind and period for
-- each subtree it reads (src/domain/stats-measures.ts, rollupPersonMeasures): a year of a province is its seats ×
-- kinds × 12 month rows, whatever the number of counties. Writes: three delta rows where there was one (the
-- unit rollups of 0022 keep their per-path rows: they answer by unit).
--
-- The column is renamed to say what it holds (subtree_path: the path of a unit on the case's handling path), its
-- index keys the month rows apart from the day rows, the functions that write it are replaced (person_keys: every (subtree, period) a change is written under), and both
-- tables are recounted (stats_person_rebuild, SHARE locks on the four source tables: writes wait; at 10M ≈ 1 min,
-- docs/operations.md).
ALTER TABLE "complaint_person_counts" RENAME COLUMN "handling_path" TO "subtree_path";
--> statement-breakpoint
ALTER TABLE "complaint_person_clock_counts" RENAME COLUMN "handling_path" TO "subtree_path";
--> statement-breakpoint
-- A window reads its whole months' rows and its edge days' rows apart: the month rows of a subtree lie together in
-- the index, not among its day rows (a province's day rows are many more).
DROP INDEX "complaint_person_counts_path_idx";
--> statement-breakpoint
DROP INDEX "complaint_person_clock_counts_path_idx";
--> statement-breakpoint
CREATE INDEX "complaint_person_counts_subtree_idx" ON "complaint_person_counts" USING btree ("subtree_path","monthly","period");
--> statement-breakpoint
CREATE INDEX "complaint_person_clock_counts_subtree_idx" ON "complaint_person_clock_counts" USING btree ("subtree_path","monthly","period");
--> statement-breakpoint
-- The paths of the units on a handling path, outermost first ('/p/c/t/' → '/p/', '/p/c/', '/p/c/t/'), and every
-- key a change of a case on that path is written under: each of them, by day and by month.
CREATE FUNCTION path_subtrees(path text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
  SELECT CASE WHEN cardinality(a) = 0 THEN path ELSE '/' || array_to_string(a[1:i], '/') || '/' END
  FROM string_to_array(btrim(path, '/'), '/') a, generate_series(1, greatest(cardinality(a), 1)) i
$$;
--> statement-breakpoint
CREATE FUNCTION person_keys(path text, reg_day date) RETURNS TABLE (subtree_path text, period date, monthly boolean)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT t, g.period, g.monthly FROM path_subtrees(path) t, person_periods(reg_day) g $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_counts_add(path text, reg_day date, k contact_kind, p uuid, d_n integer, d_resolved integer,
  d_accepted integer, d_seconds numeric, d_reopened integer, d_repeats integer, d_sat integer, d_rch integer,
  d_owned integer, d_returned integer, d_rework integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
  SELECT g.subtree_path, g.period, g.monthly, k, p, d_n, d_resolved, d_accepted, d_seconds, d_reopened, d_repeats, d_sat, d_rch, d_owned,
    d_returned, d_rework
  FROM person_keys(path, reg_day) g WHERE p IS NOT NULL
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION person_clock_add(path text, reg_day date, k contact_kind, p uuid, c clock_kind, d_met integer,
  d_missed integer, d_late integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late)
  SELECT g.subtree_path, g.period, g.monthly, k, p, c, d_met, d_missed, d_late
  FROM person_keys(path, reg_day) g WHERE p IS NOT NULL AND (d_met, d_missed, d_late) <> (0, 0, 0)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION complaint_person_move(c complaints, sign integer, moved boolean, relocated boolean) RETURNS void
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
    INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late)
    SELECT g.subtree_path, g.period, g.monthly, c.kind, c.first_responder_id, k.kind, sign * count(*) FILTER (WHERE k.state = 'MET'),
      sign * count(*) FILTER (WHERE k.state = 'MISSED'),
      sign * count(*) FILTER (WHERE k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)
    FROM sla_clocks k CROSS JOIN person_keys(c.handling_path, reg_day) g
    WHERE k.complaint_id = c.id AND k.kind <> 'ASSIGNMENT' AND k.rectification_id IS NULL
      AND (k.state IN ('MET', 'MISSED') OR (k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached))
    GROUP BY g.subtree_path, g.period, g.monthly, k.kind;
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
CREATE OR REPLACE FUNCTION complaint_event_person_track() RETURNS trigger
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
    INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late)
    SELECT g.subtree_path, g.period, g.monthly, c.kind, NEW.actor_user_id, 'ASSIGNMENT', count(*) FILTER (WHERE k.state = 'MET'),
      count(*) FILTER (WHERE k.state = 'MISSED'), 0
    FROM sla_clocks k CROSS JOIN person_keys(c.handling_path, reg_day) g
    WHERE k.complaint_id = NEW.complaint_id AND k.kind = 'ASSIGNMENT' AND k.stopped_at = NEW.at AND k.state IN ('MET', 'MISSED')
    GROUP BY g.subtree_path, g.period, g.monthly;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stats_person_compact() RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE a integer; b integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('stats_person_compact')) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM complaint_person_counts WHERE NOT folded
    RETURNING subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied,
      cb_reached, owned, returned, rework
  ), s AS (
    SELECT subtree_path, period, monthly, kind, person, sum(n)::int AS n, sum(resolved)::int AS resolved,
      sum(accepted)::int AS accepted,
      sum(response_seconds) AS response_seconds, sum(reopened)::int AS reopened, sum(repeats)::int AS repeats,
      sum(cb_satisfied)::int AS cb_satisfied, sum(cb_reached)::int AS cb_reached, sum(owned)::int AS owned,
      sum(returned)::int AS returned, sum(rework)::int AS rework, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5
  ), up AS (
    INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
      reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
    SELECT subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied,
      cb_reached, owned, returned, rework, true
    FROM s WHERE (n, resolved, accepted, response_seconds, reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework)
      <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ON CONFLICT (subtree_path, period, monthly, kind, person) WHERE folded
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
    RETURNING subtree_path, period, monthly, kind, person, clock, met, missed, late
  ), s AS (
    SELECT subtree_path, period, monthly, kind, person, clock, sum(met)::int AS met, sum(missed)::int AS missed,
      sum(late)::int AS late, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5, 6
  ), up AS (
    INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late, folded)
    SELECT subtree_path, period, monthly, kind, person, clock, met, missed, late, true
    FROM s WHERE (met, missed, late) <> (0, 0, 0)
    ON CONFLICT (subtree_path, period, monthly, kind, person, clock) WHERE folded
    DO UPDATE SET met = complaint_person_clock_counts.met + excluded.met,
      missed = complaint_person_clock_counts.missed + excluded.missed, late = complaint_person_clock_counts.late + excluded.late
  )
  SELECT coalesce(sum(rows), 0)::int INTO b FROM s;
  DELETE FROM complaint_person_clock_counts WHERE folded AND met = 0 AND missed = 0 AND late = 0;
  RETURN a + b;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stats_person_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints, callbacks, sla_clocks, complaint_events IN SHARE MODE;
  DELETE FROM complaint_person_counts;
  INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
  SELECT t.subtree_path, day, false, kind, person, sum(n)::int, sum(resolved)::int, sum(accepted)::int, sum(response_seconds),
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
  ) x CROSS JOIN path_subtrees(x.handling_path) t (subtree_path)
  GROUP BY 1, 2, 4, 5
  HAVING (sum(n), sum(resolved), sum(accepted), sum(response_seconds), sum(reopened), sum(repeats), sum(cb_satisfied),
    sum(cb_reached), sum(owned), sum(returned), sum(rework)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
  SELECT subtree_path, date_trunc('month', period)::date, true, kind, person, sum(n)::int, sum(resolved)::int, sum(accepted)::int,
    sum(response_seconds), sum(reopened)::int, sum(repeats)::int, sum(cb_satisfied)::int, sum(cb_reached)::int, sum(owned)::int,
    sum(returned)::int, sum(rework)::int, true
  FROM complaint_person_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5;
  DELETE FROM complaint_person_clock_counts;
  INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late, folded)
  SELECT t.subtree_path, day, false, kind, person, clock, sum(met)::int, sum(missed)::int, sum(late)::int, true
  FROM (
    SELECT handling_path, day, kind, person, clock, sum(met) AS met, sum(missed) AS missed, sum(late) AS late
    FROM (
      SELECT c.handling_path, person_day(c.registered_at) AS day, c.kind,
        CASE WHEN k.kind = 'ASSIGNMENT' THEN assignment_reporter(k.complaint_id, k.stopped_at) ELSE c.first_responder_id END AS person,
        k.kind AS clock, (k.state = 'MET')::int AS met, (k.state = 'MISSED')::int AS missed,
        (k.state NOT IN ('MET', 'MISSED') AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)::int AS late
      FROM sla_clocks k JOIN complaints c ON c.id = k.complaint_id
      WHERE (k.kind = 'ASSIGNMENT' AND k.state IN ('MET', 'MISSED'))
        OR (k.kind <> 'ASSIGNMENT' AND k.rectification_id IS NULL
          AND (k.state IN ('MET', 'MISSED') OR (k.stopped_at IS NULL AND k.paused_at IS NULL AND k.breached)))
    ) y
    WHERE person IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
  ) x CROSS JOIN path_subtrees(x.handling_path) t (subtree_path)
  GROUP BY 1, 2, 4, 5, 6
  HAVING (sum(met), sum(missed), sum(late)) <> (0, 0, 0);
  INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late, folded)
  SELECT subtree_path, date_trunc('month', period)::date, true, kind, person, clock, sum(met)::int, sum(missed)::int,
    sum(late)::int, true
  FROM complaint_person_clock_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5, 6;
END
$$;
--> statement-breakpoint
SELECT stats_person_rebuild();
