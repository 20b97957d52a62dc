-- Issue 25, D59: the statistics rollup. complaint_counts holds, per handling unit, Asia/Shanghai
-- registration day and the dimensions complaintStats groups by, how many complaints there are.
-- The trigger below keeps it exact on every write to complaints (registration, every transition,
-- transfer, unit moves, archive, anonymisation, deletion), whatever code path makes it: it only
-- appends delta rows (+1 for the new row, -1 for the old), so no two writers ever wait on each
-- other's row there and nothing is locked early in a registration. complaint_status_counts holds the same
-- counts by unit, day, kind and status only (the common requests read it: a twentieth of the rows). stats_rollup_compact() folds
-- the deltas into one row per key; a count is always the sum of a key's rows.
CREATE FUNCTION complaint_outside_readers(readers uuid[], path text) RETURNS uuid[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(r), '{}'::uuid[]) FROM unnest(readers) AS r WHERE strpos(path, r::text) = 0 $$;
--> statement-breakpoint
CREATE TABLE "complaint_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"status" "complaint_status" NOT NULL,
	"business_line" text,
	"category" text,
	"severity" "severity",
	"source" "source" NOT NULL,
	"channel" "channel" NOT NULL,
	"n" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_status_counts" (
	"handling_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"status" "complaint_status" NOT NULL,
	"n" integer NOT NULL,
	"folded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_status_counts_key" ON "complaint_status_counts" USING btree ("handling_path","day","kind","status") WHERE "complaint_status_counts"."folded";
--> statement-breakpoint
CREATE INDEX "complaint_status_counts_day_idx" ON "complaint_status_counts" USING btree ("day");
--> statement-breakpoint
CREATE INDEX "complaint_status_counts_path_idx" ON "complaint_status_counts" USING btree ("handling_path" text_pattern_ops,"day");
--> statement-breakpoint
CREATE INDEX "complaint_status_counts_deltas_idx" ON "complaint_status_counts" USING btree ("day") WHERE not "complaint_status_counts"."folded";
--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_counts_key" ON "complaint_counts" USING btree ("handling_path","day","kind","status","business_line","category","severity","source","channel") NULLS NOT DISTINCT WHERE "complaint_counts"."folded";--> statement-breakpoint
CREATE INDEX "complaint_counts_day_idx" ON "complaint_counts" USING btree ("day");--> statement-breakpoint
CREATE INDEX "complaint_counts_path_idx" ON "complaint_counts" USING btree ("handling_path" text_pattern_ops,"day");--> statement-breakpoint
CREATE INDEX "complaint_counts_deltas_idx" ON "complaint_counts" USING btree ("day") WHERE not "complaint_counts"."folded";--> statement-breakpoint
CREATE INDEX "complaints_first_responder_path_idx" ON "complaints" USING btree ("first_responder_id","handling_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "complaints_outside_readers_idx" ON "complaints" USING gin (complaint_outside_readers("reader_units", "handling_path")) WHERE cardinality(complaint_outside_readers("complaints"."reader_units", "complaints"."handling_path")) > 0;
--> statement-breakpoint
CREATE FUNCTION complaint_counts_track() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date,
      OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel, -1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (OLD.handling_path, OLD.handling_unit_id, (OLD.registered_at AT TIME ZONE 'Asia/Shanghai')::date, OLD.kind, OLD.status, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date,
      NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel, 1);
    INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n)
    VALUES (NEW.handling_path, NEW.handling_unit_id, (NEW.registered_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.kind, NEW.status, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER complaint_counts_track AFTER INSERT OR DELETE ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaint_counts_track();
--> statement-breakpoint
CREATE TRIGGER complaint_counts_track_update
  AFTER UPDATE OF handling_path, handling_unit_id, registered_at, kind, status, business_line, category, severity, source, channel
  ON complaints FOR EACH ROW
  WHEN ((OLD.handling_path, OLD.handling_unit_id, OLD.registered_at, OLD.kind, OLD.status, OLD.business_line, OLD.category, OLD.severity, OLD.source, OLD.channel)
    IS DISTINCT FROM (NEW.handling_path, NEW.handling_unit_id, NEW.registered_at, NEW.kind, NEW.status, NEW.business_line, NEW.category, NEW.severity, NEW.source, NEW.channel))
  EXECUTE FUNCTION complaint_counts_track();
--> statement-breakpoint
-- Folds the delta rows into one row per key, in one statement (readers see before or after, never between);
-- one compactor at a time (others return -1 at once). Returns how many delta rows it folded.
CREATE FUNCTION stats_rollup_compact() RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE folded_rows integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('stats_rollup_compact')) THEN
    RETURN -1;
  END IF;
  WITH d AS (
    DELETE FROM complaint_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel,
      sum(n)::int AS n, count(*)::int AS rows
    FROM d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  ), up AS (
    INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, folded)
    SELECT handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, true
    FROM s WHERE n <> 0
    ON CONFLICT (handling_path, day, kind, status, business_line, category, severity, source, channel) WHERE folded
    DO UPDATE SET n = complaint_counts.n + excluded.n
  )
  SELECT coalesce(sum(rows), 0)::int INTO folded_rows FROM s;
  DELETE FROM complaint_counts WHERE folded AND n = 0;
  WITH d AS (
    DELETE FROM complaint_status_counts WHERE NOT folded
    RETURNING handling_path, handling_unit_id, day, kind, status, n
  ), s AS (
    SELECT handling_path, handling_unit_id, day, kind, status, sum(n)::int AS n FROM d GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, day, kind, status, n, true FROM s WHERE n <> 0
  ON CONFLICT (handling_path, day, kind, status) WHERE folded
  DO UPDATE SET n = complaint_status_counts.n + excluded.n;
  DELETE FROM complaint_status_counts WHERE folded AND n = 0;
  RETURN folded_rows;
END
$$;
--> statement-breakpoint
-- Recounts the rollup from complaints: what a bulk load that bypassed the trigger
-- (session_replication_role = replica, as bench/generate.mts loads) calls afterwards. It holds writes to
-- complaints off while it counts (SHARE lock, to the end of the caller's transaction), so the recount is exact.
CREATE FUNCTION stats_rollup_rebuild() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE complaints IN SHARE MODE;
  DELETE FROM complaint_counts;
  INSERT INTO complaint_counts (handling_path, handling_unit_id, day, kind, status, business_line, category, severity, source, channel, n, folded)
  SELECT handling_path, handling_unit_id, (registered_at AT TIME ZONE 'Asia/Shanghai')::date, kind, status, business_line, category, severity, source, channel,
    count(*)::int, true
  FROM complaints
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
  DELETE FROM complaint_status_counts;
  INSERT INTO complaint_status_counts (handling_path, handling_unit_id, day, kind, status, n, folded)
  SELECT handling_path, handling_unit_id, day, kind, status, sum(n)::int, true
  FROM complaint_counts
  GROUP BY 1, 2, 3, 4, 5;
END
$$;
--> statement-breakpoint
SELECT stats_rollup_rebuild();
