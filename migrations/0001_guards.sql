-- Search (ComplaintFilter.search): a trigram index over number, title and
-- description, so substring search (Chinese included) is an index scan.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_search_trgm_idx" ON "complaints"
  USING gin (("number" || ' ' || "title" || ' ' || "description") gin_trgm_ops);
--> statement-breakpoint
-- D56: event positions come from this sequence while the appending
-- transaction holds the event-log advisory lock, so they follow commit order.
CREATE SEQUENCE IF NOT EXISTS "complaint_event_position_seq";
--> statement-breakpoint
-- D51: the event log and the personal-data access log are append-only. The
-- trigger holds even for the table owner; privileges are revoked from PUBLIC
-- for deployments that run the server as a non-owner role.
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON "complaint_events"
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER complaint_events_no_truncate BEFORE TRUNCATE ON "complaint_events"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER personal_data_reads_append_only BEFORE UPDATE OR DELETE ON "personal_data_reads"
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER personal_data_reads_no_truncate BEFORE TRUNCATE ON "personal_data_reads"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "complaint_events", "personal_data_reads" FROM PUBLIC;
