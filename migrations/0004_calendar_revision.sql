CREATE TABLE "calendar_revision" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "calendar_revision" ("id", "revision") VALUES (1, 0) ON CONFLICT DO NOTHING;
