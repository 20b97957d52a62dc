DROP INDEX "complaints_due_idx";--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "due_key" timestamp with time zone GENERATED ALWAYS AS (coalesce(due_at, 'infinity'::timestamptz)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "severity_rank" smallint GENERATED ALWAYS AS (case severity when 'URGENT' then 3 when 'MAJOR' then 2 when 'ORDINARY' then 1 else 0 end) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "complaints_severity_idx" ON "complaints" USING btree ("severity_rank","registered_at","id");--> statement-breakpoint
CREATE INDEX "complaints_due_idx" ON "complaints" USING btree ("due_key","id");