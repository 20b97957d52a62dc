CREATE TYPE "public"."rectification_status" AS ENUM('OPEN', 'DONE', 'VERIFIED', 'REOPENED');--> statement-breakpoint
ALTER TYPE "public"."clock_kind" ADD VALUE 'RECTIFY';--> statement-breakpoint
ALTER TYPE "public"."clock_kind" ADD VALUE 'NOTICE';--> statement-breakpoint
CREATE TABLE "incident_complaints" (
	"complaint_id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"linked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"category" text,
	"province_id" uuid NOT NULL,
	"unit_ids" uuid[] NOT NULL,
	"unit_paths" text[] NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"notice_due_at" timestamp with time zone NOT NULL,
	"notice_at" timestamp with time zone,
	"notice" text,
	"notice_by" uuid,
	"closed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "rectifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"finding_id" uuid NOT NULL,
	"responsible_unit_id" uuid NOT NULL,
	"responsible_path" text NOT NULL,
	"what" text NOT NULL,
	"status" "rectification_status" NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"measures" text,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"verify_note" text
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "sent_back" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "responsibility_findings" ADD COLUMN "cause" text DEFAULT 'OTHER' NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD COLUMN "rectification_id" uuid;--> statement-breakpoint
ALTER TABLE "incident_complaints" ADD CONSTRAINT "incident_complaints_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_complaints" ADD CONSTRAINT "incident_complaints_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_complaints" ADD CONSTRAINT "incident_complaints_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_province_id_org_units_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_notice_by_users_id_fk" FOREIGN KEY ("notice_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_finding_id_responsibility_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."responsibility_findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_responsible_unit_id_org_units_id_fk" FOREIGN KEY ("responsible_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_complaints_incident_idx" ON "incident_complaints" USING btree ("incident_id","linked_at");--> statement-breakpoint
CREATE INDEX "incidents_opened_idx" ON "incidents" USING btree ("opened_at","id");--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("province_id") WHERE "incidents"."ended_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "rectifications_finding_key" ON "rectifications" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "rectifications_complaint_idx" ON "rectifications" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "rectifications_opened_idx" ON "rectifications" USING btree ("opened_at","id");--> statement-breakpoint
CREATE INDEX "rectifications_path_idx" ON "rectifications" USING btree ("responsible_path" text_pattern_ops);