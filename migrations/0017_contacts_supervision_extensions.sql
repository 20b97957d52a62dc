CREATE TYPE "public"."contact_kind" AS ENUM('COMPLAINT', 'CONSULTATION', 'QUERY', 'BUSINESS_REQUEST', 'FAULT_REPORT');--> statement-breakpoint
CREATE TYPE "public"."extension_status" AS ENUM('PENDING', 'APPROVED', 'DECLINED');--> statement-breakpoint
ALTER TYPE "public"."clock_kind" ADD VALUE 'REPAIR';--> statement-breakpoint
ALTER TYPE "public"."clock_kind" ADD VALUE 'PROGRESS';--> statement-breakpoint
ALTER TYPE "public"."clock_kind" ADD VALUE 'FEEDBACK';--> statement-breakpoint
CREATE TABLE "extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"clock_id" uuid NOT NULL,
	"clock" "clock_kind" NOT NULL,
	"from_due_at" timestamp with time zone,
	"to_due_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"status" "extension_status" DEFAULT 'PENDING' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requester_unit_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "progress_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supervision_id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	"note" text NOT NULL,
	"by_user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"supervising_unit_id" uuid NOT NULL,
	"supervisor_id" uuid,
	"reason" text NOT NULL,
	"opened_by" uuid,
	"opened_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transfer_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"method" "contact_method" NOT NULL,
	"content" text NOT NULL,
	"by_user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "kind" "contact_kind" DEFAULT 'COMPLAINT' NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "converted_from_id" uuid;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "converted_to_id" uuid;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "transferred_by" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "transfer_feedback_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "supervising_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "supervisor_id" uuid;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "promised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "extension_deciders" text[];--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_requester_unit_id_org_units_id_fk" FOREIGN KEY ("requester_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_supervision_id_supervisions_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."supervisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_supervising_unit_id_org_units_id_fk" FOREIGN KEY ("supervising_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_supervisor_id_users_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_feedback" ADD CONSTRAINT "transfer_feedback_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_feedback" ADD CONSTRAINT "transfer_feedback_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "extensions_complaint_idx" ON "extensions" USING btree ("complaint_id","requested_at");--> statement-breakpoint
CREATE INDEX "progress_reports_complaint_idx" ON "progress_reports" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "supervisions_complaint_idx" ON "supervisions" USING btree ("complaint_id","opened_at");--> statement-breakpoint
CREATE INDEX "transfer_feedback_complaint_idx" ON "transfer_feedback" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "complaints_supervisor_idx" ON "complaints" USING btree ("supervisor_id") WHERE "complaints"."supervisor_id" is not null;--> statement-breakpoint
CREATE INDEX "complaints_converted_from_idx" ON "complaints" USING btree ("converted_from_id") WHERE "complaints"."converted_from_id" is not null;