#!/usr/bin/env bash
# Where a write's database time goes, statement by statement (issue 25, P6): N registrations, accepts and
# dispatches one after the other through the served path (bench/writes-profile.mts), then pg_stat_statements:
# each top-level statement's execution time (its triggers included) and the sum per write, and with
# pg_stat_statements.track_planning = on the time spent planning them.
#
#   DATABASE_URL=postgres://… (made by bench/generate.mts, on a server with
#     shared_preload_libraries = 'pg_stat_statements' and pg_stat_statements.track = all) bench/write-statements.sh
#
# Knobs: N (1000 of each), WARM (100 of each first, counted here too: the statements' figures are per call).
# The statements called from triggers are listed after the top-level ones.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL=postgres://… names a generated database}"
N=${N:-1000}
WARM=${WARM:-100}
cd "$(dirname "$0")/.."
psql -X -q "$DATABASE_URL" -c 'create extension if not exists pg_stat_statements' -c 'select pg_stat_statements_reset()' >/dev/null
N=$N WARM=$WARM npx tsx bench/writes-profile.mts | grep '^|'
WRITES=$((3 * (N + WARM)))
psql -X "$DATABASE_URL" <<SQL
\pset footer off
select calls, round((total_exec_time / calls)::numeric, 3) as ms_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 90) as statement
from pg_stat_statements where toplevel and calls >= $N order by total_exec_time desc limit 10;
select round((sum(total_exec_time) / $WRITES)::numeric, 3) as "top-level statements, ms per write",
  round((sum(total_plan_time) / $WRITES)::numeric, 3) as "their planning (0 unless pg_stat_statements.track_planning)"
from pg_stat_statements where toplevel;
select calls, round((total_exec_time / calls)::numeric, 4) as ms_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 90) as "called from triggers"
from pg_stat_statements where not toplevel order by total_exec_time desc limit 8;
SQL
