-- D51, D15: the event log stays append-only, except that anonymisation may
-- erase an event's note (set it to NULL) and nothing else. The payload keeps
-- the note's noteSha256, so the chain still verifies without the text.
CREATE OR REPLACE FUNCTION complaint_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.note IS NULL
     AND (to_jsonb(NEW) - 'note') = (to_jsonb(OLD) - 'note') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS complaint_events_append_only ON "complaint_events";
--> statement-breakpoint
CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON "complaint_events"
  FOR EACH ROW EXECUTE FUNCTION complaint_events_guard();
--> statement-breakpoint
-- D52: the audit records of changes to users, grants, partners and units (and of exports) are append-only.
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON "audit_records"
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON "audit_records"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_records" FROM PUBLIC;
--> statement-breakpoint
-- D15: retention counts from when a case ended (CLOSED, REJECTED, WITHDRAWN, archived or not).
UPDATE "complaints" c SET "ended_at" = coalesce(c."closed_at", (
  SELECT max(e."at") FROM "complaint_events" e
  WHERE e."complaint_id" = c."id"
    AND e."to_status" IN ('CLOSED', 'REJECTED', 'WITHDRAWN')
    AND (e."from_status" IS NULL OR e."from_status" NOT IN ('CLOSED', 'REJECTED', 'WITHDRAWN', 'ARCHIVED'))
), c."archived_at")
WHERE c."status" IN ('CLOSED', 'REJECTED', 'WITHDRAWN', 'ARCHIVED');
