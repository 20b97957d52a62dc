-- complaintStats groups by time buckets with these exact expressions
-- (src/domain/stats.ts, TIME_FORMAT, written as literals so that the
-- planner can match them). Without statistics on an expression PostgreSQL
-- guesses one group per row: a sort and GroupAggregate, no partial
-- (parallel) aggregation. With them it knows a year has 12 months and picks
-- a HashAggregate, in parallel. Filled by ANALYZE (autovacuum, or by hand).
CREATE STATISTICS IF NOT EXISTS "complaints_day_stats" ON (to_char(("registered_at" at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')) FROM "complaints";
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "complaints_week_stats" ON (to_char(("registered_at" at time zone 'Asia/Shanghai'), 'IYYY-"W"IW')) FROM "complaints";
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "complaints_month_stats" ON (to_char(("registered_at" at time zone 'Asia/Shanghai'), 'YYYY-MM')) FROM "complaints";
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "complaints_quarter_stats" ON (to_char(("registered_at" at time zone 'Asia/Shanghai'), 'YYYY-"Q"Q')) FROM "complaints";
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "complaints_year_stats" ON (to_char(("registered_at" at time zone 'Asia/Shanghai'), 'YYYY')) FROM "complaints";
