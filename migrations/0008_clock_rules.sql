ALTER TYPE "public"."clock_state" ADD VALUE 'CANCELLED';--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL,
	"loaded_by" uuid
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "occurred_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customer_contacts" ADD COLUMN "substantive" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD COLUMN "fixed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_years" ADD CONSTRAINT "calendar_years_loaded_by_users_id_fk" FOREIGN KEY ("loaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- D27: the statutory years seeded by 0003 (State Council notices 2004–2026) are loaded.
INSERT INTO "calendar_years" ("year", "loaded_at") SELECT y, now() FROM generate_series(2004, 2026) AS y ON CONFLICT DO NOTHING;--> statement-breakpoint
-- D24: a RESOLVE clock without a budget is a transfer's own deadline (D20).
UPDATE "sla_clocks" SET "fixed" = true WHERE "kind" = 'RESOLVE' AND "budget" IS NULL;--> statement-breakpoint
-- D23: replies and answers on the spot (final contacts) are substantive.
UPDATE "customer_contacts" SET "substantive" = true WHERE "final";--> statement-breakpoint
-- D10: before D23 was revised every contact stopped ANSWER; cases answered that way stay answered.
UPDATE "complaints" c SET "answered_at" = x.at FROM (
  SELECT "complaint_id", min("at") AS at FROM "customer_contacts" GROUP BY 1
) x WHERE x."complaint_id" = c."id";
