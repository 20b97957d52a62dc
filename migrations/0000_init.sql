CREATE TYPE "public"."callback_result" AS ENUM('SATISFIED', 'BASICALLY_SATISFIED', 'UNSATISFIED', 'UNREACHABLE');--> statement-breakpoint
CREATE TYPE "public"."channel" AS ENUM('PHONE', 'EMAIL', 'LETTER', 'VISIT', 'ONLINE', 'APP', 'SOCIAL_MEDIA', 'BUSINESS_HALL', 'API');--> statement-breakpoint
CREATE TYPE "public"."clock_kind" AS ENUM('REGISTER', 'ACCEPT', 'ANSWER', 'INITIAL_INVESTIGATION', 'INITIAL_RESULT', 'RESOLVE', 'CLOSE', 'REPLY', 'RECONTACT', 'ARCHIVE', 'ASSIGNMENT');--> statement-breakpoint
CREATE TYPE "public"."clock_state" AS ENUM('RUNNING', 'PAUSED', 'WARNING', 'BREACHED', 'MET', 'MISSED');--> statement-breakpoint
CREATE TYPE "public"."contact_method" AS ENUM('PHONE', 'SMS', 'EMAIL', 'LETTER');--> statement-breakpoint
CREATE TYPE "public"."finding_nature" AS ENUM('VALID', 'PARTIALLY_VALID', 'INVALID');--> statement-breakpoint
CREATE TYPE "public"."investigation_kind" AS ENUM('INITIAL', 'DETAILED');--> statement-breakpoint
CREATE TYPE "public"."org_level" AS ENUM('PROVINCE', 'CITY', 'COUNTY', 'CENTER');--> statement-breakpoint
CREATE TYPE "public"."rejection_reason" AS ENUM('DUPLICATE_CONCLUDED', 'EXPIRED', 'NO_DIRECT_INTEREST', 'INSUFFICIENT_INFORMATION', 'OUT_OF_SCOPE');--> statement-breakpoint
CREATE TYPE "public"."remedy_kind" AS ENUM('COMPENSATION', 'SERVICE_RESTORED', 'BILL_ADJUSTED', 'APOLOGY', 'EXPLANATION', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('ADMIN', 'ACCEPTANCE_AGENT', 'LEGAL_OFFICER', 'HANDLER', 'DEPARTMENT_LEADER', 'DUTY_MANAGER', 'AUDITOR');--> statement-breakpoint
CREATE TYPE "public"."severity" AS ENUM('ORDINARY', 'MAJOR', 'URGENT');--> statement-breakpoint
CREATE TYPE "public"."source" AS ENUM('CUSTOMER', 'REGULATOR_TRANSFER', 'GROUP_TRANSFER', 'GOVERNMENT_TRANSFER', 'PARTNER_CARRIER');--> statement-breakpoint
CREATE TYPE "public"."complaint_status" AS ENUM('RECEIVED', 'REJECTED', 'ACCEPTED', 'DISPATCHED', 'INVESTIGATING', 'PENDING_APPROVAL', 'PENDING_REVIEW', 'RESOLVED', 'REPLIED', 'CLOSED', 'ARCHIVED', 'WITHDRAWN');--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"to_unit_id" uuid NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"reported_at" timestamp with time zone,
	"returned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"workday" boolean NOT NULL,
	"name" text
);
--> statement-breakpoint
CREATE TABLE "callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"result" "callback_result" NOT NULL,
	"note" text,
	"second" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_number_sequences" (
	"province_code" text NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_number_sequences_province_code_day_pk" PRIMARY KEY("province_code","day")
);
--> statement-breakpoint
CREATE TABLE "complaint_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" bigint NOT NULL,
	"complaint_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" "complaint_status",
	"to_status" "complaint_status",
	"actor_user_id" uuid,
	"actor_partner_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"status" "complaint_status" NOT NULL,
	"suspended" boolean DEFAULT false NOT NULL,
	"suspended_at" timestamp with time zone,
	"channel" "channel" NOT NULL,
	"source" "source" NOT NULL,
	"business_line" text,
	"category" text,
	"severity" "severity",
	"title" text NOT NULL,
	"description" text NOT NULL,
	"customer_name" text NOT NULL,
	"customer_phone" text NOT NULL,
	"customer_address" text,
	"customer_account" text,
	"anonymised_at" timestamp with time zone,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"contact_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"first_responder_id" uuid,
	"partner_id" uuid,
	"external_ref" text,
	"external_deadline" timestamp with time zone,
	"province_id" uuid NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"handling_path" text NOT NULL,
	"handling_level" "org_level" NOT NULL,
	"legal_owned" boolean DEFAULT false NOT NULL,
	"dispatch_chain" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"reader_units" uuid[] NOT NULL,
	"caller_back_unit_id" uuid,
	"callback_owed" boolean DEFAULT false NOT NULL,
	"second_callback_owed" boolean DEFAULT false NOT NULL,
	"has_finding" boolean DEFAULT false NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalation_pending" boolean DEFAULT false NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"rejection_reason" "rejection_reason",
	"is_repeat" boolean DEFAULT false NOT NULL,
	"due_at" timestamp with time zone,
	"last_event_hash" text
);
--> statement-breakpoint
CREATE TABLE "customer_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"method" "contact_method" NOT NULL,
	"content" text NOT NULL,
	"final" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"note" text NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"approved" boolean,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"partner_id" uuid NOT NULL,
	"key" text NOT NULL,
	"payload_hash" text NOT NULL,
	"complaint_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_partner_id_key_pk" PRIMARY KEY("partner_id","key")
);
--> statement-breakpoint
CREATE TABLE "investigations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" "investigation_kind" NOT NULL,
	"findings" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" "org_level" NOT NULL,
	"parent_id" uuid,
	"path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"carrier_code" text NOT NULL,
	"province_id" uuid NOT NULL,
	"api_key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personal_data_reads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" bigint GENERATED ALWAYS AS IDENTITY (sequence name "personal_data_reads_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"viewer_user_id" uuid,
	"viewer_partner_id" uuid,
	"complaint_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"nature" "finding_nature" NOT NULL,
	"responsible_unit_id" uuid,
	"responsible_person" text,
	"root_cause" text NOT NULL,
	"remedy_kind" "remedy_kind" NOT NULL,
	"remedy_amount" numeric(14, 2),
	"rectification" text,
	"determined_at" timestamp with time zone NOT NULL,
	"determined_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"unit_id" uuid
);
--> statement-breakpoint
CREATE TABLE "sla_clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" "clock_kind" NOT NULL,
	"assignment_id" uuid,
	"budget" jsonb,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"warn_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"state" "clock_state" NOT NULL,
	"warned" boolean DEFAULT false NOT NULL,
	"breached" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"note" text NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"unit_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_from_unit_id_org_units_id_fk" FOREIGN KEY ("from_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_to_unit_id_org_units_id_fk" FOREIGN KEY ("to_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_actor_partner_id_partners_id_fk" FOREIGN KEY ("actor_partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_first_responder_id_users_id_fk" FOREIGN KEY ("first_responder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_province_id_org_units_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_handling_unit_id_org_units_id_fk" FOREIGN KEY ("handling_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_caller_back_unit_id_org_units_id_fk" FOREIGN KEY ("caller_back_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_contacts" ADD CONSTRAINT "customer_contacts_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigations" ADD CONSTRAINT "investigations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_parent_id_org_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_province_id_org_units_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_reads" ADD CONSTRAINT "personal_data_reads_viewer_user_id_users_id_fk" FOREIGN KEY ("viewer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_reads" ADD CONSTRAINT "personal_data_reads_viewer_partner_id_partners_id_fk" FOREIGN KEY ("viewer_partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_reads" ADD CONSTRAINT "personal_data_reads_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_findings" ADD CONSTRAINT "responsibility_findings_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_findings" ADD CONSTRAINT "responsibility_findings_responsible_unit_id_org_units_id_fk" FOREIGN KEY ("responsible_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_findings" ADD CONSTRAINT "responsibility_findings_determined_by_users_id_fk" FOREIGN KEY ("determined_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_notes" ADD CONSTRAINT "supervision_notes_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_notes" ADD CONSTRAINT "supervision_notes_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_complaint_idx" ON "assignments" USING btree ("complaint_id","assigned_at");--> statement-breakpoint
CREATE INDEX "callbacks_complaint_idx" ON "callbacks" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_events_position_key" ON "complaint_events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_idx" ON "complaint_events" USING btree ("complaint_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_number_key" ON "complaints" USING btree ("number");--> statement-breakpoint
CREATE INDEX "complaints_reader_units_idx" ON "complaints" USING gin ("reader_units");--> statement-breakpoint
CREATE INDEX "complaints_registered_idx" ON "complaints" USING btree ("registered_at","id");--> statement-breakpoint
CREATE INDEX "complaints_due_idx" ON "complaints" USING btree ("due_at","id");--> statement-breakpoint
CREATE INDEX "complaints_status_idx" ON "complaints" USING btree ("status","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_first_responder_idx" ON "complaints" USING btree ("first_responder_id");--> statement-breakpoint
CREATE INDEX "complaints_partner_idx" ON "complaints" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "complaints_handling_path_idx" ON "complaints" USING btree ("handling_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "complaints_phone_idx" ON "complaints" USING btree ("customer_phone");--> statement-breakpoint
CREATE INDEX "complaints_archived_idx" ON "complaints" USING btree ("archived_at") WHERE "complaints"."anonymised_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_complaint_idx" ON "customer_contacts" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "escalations_complaint_idx" ON "escalations" USING btree ("complaint_id","requested_at");--> statement-breakpoint
CREATE INDEX "investigations_complaint_idx" ON "investigations" USING btree ("complaint_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "org_units_code_key" ON "org_units" USING btree ("code");--> statement-breakpoint
CREATE INDEX "org_units_path_idx" ON "org_units" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "org_units_parent_idx" ON "org_units" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_carrier_code_key" ON "partners" USING btree ("carrier_code");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_api_key_hash_key" ON "partners" USING btree ("api_key_hash");--> statement-breakpoint
CREATE INDEX "pdr_complaint_idx" ON "personal_data_reads" USING btree ("complaint_id","position");--> statement-breakpoint
CREATE INDEX "pdr_position_idx" ON "personal_data_reads" USING btree ("position");--> statement-breakpoint
CREATE INDEX "responsibility_complaint_idx" ON "responsibility_findings" USING btree ("complaint_id","determined_at");--> statement-breakpoint
CREATE INDEX "role_grants_user_idx" ON "role_grants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "role_grants_unit_idx" ON "role_grants" USING btree ("unit_id","role");--> statement-breakpoint
CREATE INDEX "sla_clocks_complaint_idx" ON "sla_clocks" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "sla_clocks_warn_idx" ON "sla_clocks" USING btree ("warn_at") WHERE "sla_clocks"."stopped_at" is null and "sla_clocks"."paused_at" is null and not "sla_clocks"."warned";--> statement-breakpoint
CREATE INDEX "sla_clocks_due_idx" ON "sla_clocks" USING btree ("due_at") WHERE "sla_clocks"."stopped_at" is null and "sla_clocks"."paused_at" is null and not "sla_clocks"."breached";--> statement-breakpoint
CREATE INDEX "supervision_complaint_idx" ON "supervision_notes" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");