-- Issue 25 (P7): complaint_dim_month_counts keeps one pair of wide dimensions too, CATEGORY,SEVERITY (the pair the
-- portal's statistics and the reports group by together), as dim 'CATEGORY,SEVERITY' with the value
-- jsonb_build_array(category, severity)::text (a null stays null inside; src/domain/stats-rollup.ts reads it back).
-- Grouped by both, a province-wide year read the wide month table, whose rows multiply with every wide column
-- (245,203 rows for 11 months at 10M cases, against 7,939 for the pair): 223–305 ms p50 (bench/README.md).
-- The trigger writes one more delta row per change, in the same statement as the five single dimensions; the
-- rebuild counts the pair too; and the pair's rows are counted here from complaint_month_counts, deltas included,
-- in this migration's transaction (the trigger and the rows agree from its commit on).
CREATE OR REPLACE FUNCTION complaint_counts_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  d date;
  m date;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    d := (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date;
    m := date_trunc('month', d)::date;
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, d, OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel, -1);
    INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel, -1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, d, OLD.kind, OLD.status, -1);
    INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, -1);
    INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'BUSINESS_LINE', OLD.business_line, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'CATEGORY', OLD.category, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'SEVERITY', OLD.severity::text, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'SOURCE', OLD.source::text, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'CHANNEL', OLD.channel::text, -1),
      (OLD.handling_path, OLD.handling_unit_id, m, OLD.kind, OLD.status, 'CATEGORY,SEVERITY', jsonb_build_array(OLD.category, OLD.severity)::text, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    d := (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date;
    m := date_trunc('month', d)::date;
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, d, NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel, 1);
    INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel, 1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, d, NEW.kind, NEW.status, 1);
    INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 1);
    INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'BUSINESS_LINE', NEW.business_line, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'CATEGORY', NEW.category, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'SEVERITY', NEW.severity::text, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'SOURCE', NEW.source::text, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'CHANNEL', NEW.channel::text, 1),
      (NEW.handling_path, NEW.handling_unit_id, m, NEW.kind, NEW.status, 'CATEGORY,SEVERITY', jsonb_build_array(NEW.category, NEW.severity)::text, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION stats_rollup_rebuild_months() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints IN SHARE MODE;
  DELETE FROM complaint_month_counts;
  INSERT INTO complaint_month_counts (handling_path, handling_unit_id, month, kind, status, business_line, category, severity, source, channel, n, folded)
  SELECT handling_path, handling_unit_id, date_trunc('month', day)::date, kind, status, business_line, category, severity, source, channel, sum(n)::int, true
  FROM complaint_counts
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  HAVING sum(n) <> 0
  ORDER BY 3;
  DELETE FROM complaint_status_month_counts;
  INSERT INTO complaint_status_month_counts (handling_path, handling_unit_id, month, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, sum(n)::int, true
  FROM complaint_month_counts
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 3;
  DELETE FROM complaint_dim_month_counts;
  INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n, folded)
  SELECT handling_path, handling_unit_id, month, kind, status, d.dim, d.value, sum(n)::int, true
  FROM complaint_month_counts CROSS JOIN LATERAL (VALUES ('BUSINESS_LINE', business_line), ('CATEGORY', category),
    ('SEVERITY', severity::text), ('SOURCE', source::text), ('CHANNEL', channel::text),
    ('CATEGORY,SEVERITY', jsonb_build_array(category, severity)::text)) AS d (dim, value)
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 6, 3;
END
$$;
--> statement-breakpoint
INSERT INTO complaint_dim_month_counts (handling_path, handling_unit_id, month, kind, status, dim, value, n, folded)
SELECT handling_path, handling_unit_id, month, kind, status, 'CATEGORY,SEVERITY', jsonb_build_array(category, severity)::text,
  sum(n)::int, true
FROM complaint_month_counts
GROUP BY handling_path, handling_unit_id, month, kind, status, category, severity
HAVING sum(n) <> 0
ORDER BY month;
--> statement-breakpoint
ANALYZE complaint_dim_month_counts;
