-- Issue 25 (P7): the person rollups' rows in the order a viewer reads them. `assessment` by PERSON reads, for each
-- subtree the viewer reads, one row per person and month (and per person and day at a window's edges), through
-- `complaint_person_counts_subtree_idx` (subtree, monthly, period). The recount of 0031 wrote them in the order of
-- a hash aggregate: at 10M with 2,011 agents a province's year read 40,000 rows through 16,127 buffers, 54-70 ms
-- from shared buffers and seconds from disk. Written in index order, the same rows take 835 buffers: 24-25 ms,
-- 125 ms from a cold cache (bench/README.md, "Person rows in order").
--
-- The recount (stats_person_rebuild) now inserts its rows in that order. The tables keep a tenth of each page free,
-- so that the compaction's update of a folded row stays on its page (a HOT update: no index entry, no move), and
-- the order a recount or a CLUSTER gives them lasts. Rows of the months to come are written as they come, in time
-- order; docs/operations.md says when to CLUSTER. Nothing is recounted here: the existing rows keep their place
-- until the next recount or CLUSTER.
ALTER TABLE "complaint_person_counts" SET (fillfactor = 90);--> statement-breakpoint
ALTER TABLE "complaint_person_clock_counts" SET (fillfactor = 90);--> statement-breakpoint
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
    sum(cb_reached), sum(owned), sum(returned), sum(rework)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  ORDER BY 1, 2, 4, 5;
  INSERT INTO complaint_person_counts (subtree_path, period, monthly, kind, person, n, resolved, accepted, response_seconds,
    reopened, repeats, cb_satisfied, cb_reached, owned, returned, rework, folded)
  SELECT subtree_path, date_trunc('month', period)::date, true, kind, person, sum(n)::int, sum(resolved)::int, sum(accepted)::int,
    sum(response_seconds), sum(reopened)::int, sum(repeats)::int, sum(cb_satisfied)::int, sum(cb_reached)::int, sum(owned)::int,
    sum(returned)::int, sum(rework)::int, true
  FROM complaint_person_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5 ORDER BY 1, 2, 4, 5;
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
  HAVING (sum(met), sum(missed), sum(late)) <> (0, 0, 0)
  ORDER BY 1, 2, 4, 5, 6;
  INSERT INTO complaint_person_clock_counts (subtree_path, period, monthly, kind, person, clock, met, missed, late, folded)
  SELECT subtree_path, date_trunc('month', period)::date, true, kind, person, clock, sum(met)::int, sum(missed)::int,
    sum(late)::int, true
  FROM complaint_person_clock_counts WHERE NOT monthly GROUP BY 1, 2, 4, 5, 6 ORDER BY 1, 2, 4, 5, 6;
END
$$;
