CREATE TABLE "chain_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"cases" integer NOT NULL,
	"events" integer NOT NULL,
	"broken" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chain_verifications_started_idx" ON "chain_verifications" USING btree ("started_at");