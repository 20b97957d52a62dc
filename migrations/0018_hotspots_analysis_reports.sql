CREATE TABLE "analysis_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY (sequence name "analysis_reports_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"status" text NOT NULL,
	"figures" jsonb,
	"findings" text,
	"measures" text,
	"suggestions" text,
	"typical_case_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"author_id" uuid,
	"submitted_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hotspot_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY (sequence name "hotspot_alerts_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"line" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"baseline" numeric(12, 2) NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registration_minutes" (
	"unit_id" uuid NOT NULL,
	"line" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "registration_minutes_unit_id_line_minute_pk" PRIMARY KEY("unit_id","line","minute")
);
--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_reports" ADD CONSTRAINT "analysis_reports_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_alerts" ADD CONSTRAINT "hotspot_alerts_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_minutes" ADD CONSTRAINT "registration_minutes_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "analysis_reports_key" ON "analysis_reports" USING btree ("unit_id","period","period_start");--> statement-breakpoint
CREATE INDEX "analysis_reports_path_idx" ON "analysis_reports" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "hotspot_alerts_key" ON "hotspot_alerts" USING btree ("unit_id","line","hour");--> statement-breakpoint
CREATE INDEX "hotspot_alerts_at_idx" ON "hotspot_alerts" USING btree ("at");--> statement-breakpoint
CREATE INDEX "hotspot_alerts_position_idx" ON "hotspot_alerts" USING btree ("position");--> statement-breakpoint
CREATE INDEX "registration_minutes_minute_idx" ON "registration_minutes" USING btree ("minute");