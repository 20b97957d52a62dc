#!/usr/bin/env bash
# Issue 25's read-side benches, one after the other, on one generated database (10M is the point:
# `ROWS=10000000 npm run bench:generate` first, which resumes where a cancelled run stopped), each
# one's output kept in bench/results/issue25-<database>-<time>/ for the README's tables:
#
#   DATABASE_URL=postgres://bench:bench@127.0.0.1:54329/bench_10m bench/issue25.sh
#
# In this order: count (`totalCount` and the duty briefing), stats and assessment (P7, the report's
# figures), search (P8; it marks 0.5 % of the cases with a rare phrase once), portal (P3: with
# COMPARE_URL=<the 10k database> it is run there first, and the run on DATABASE_URL is compared with
# it; or COMPARE=<an earlier run's JSON>) and growth (appends, timelines, the scanner). A failing
# bench is reported and the others still run. Knobs: BENCHES (the list above, comma-separated),
# COMPARE_URL, COMPARE; each bench's own knobs (RUNS…) pass through the environment.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL=postgres://… (a database made by bench/generate.mts)}"
db=${DATABASE_URL##*/}
db=${db%%\?*}
out="bench/results/issue25-$db-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
benches=${BENCHES:-count,stats,assessment,search,portal,growth}
failed=()
for b in ${benches//,/ }; do
  start=$(date +%s)
  echo "== $b ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/summary.txt"
  case $b in
    portal)
      compare=${COMPARE:-}
      if [ -n "${COMPARE_URL:-}" ]; then
        DATABASE_URL=$COMPARE_URL OUT="$out/portal-compare" NODE_ENV=production \
          npx tsx bench/portal.mts >"$out/portal-compare.txt" 2>&1
        compare="$out/portal-compare.json"
      fi
      COMPARE=$compare OUT="$out/portal" NODE_ENV=production npx tsx bench/portal.mts >"$out/$b.txt" 2>&1
      ;;
    search) env NODE_ENV=production npx tsx bench/search.mts >"$out/$b.txt" 2>&1 ;;
    stats | count | assessment | growth) npx tsx "bench/$b.mts" >"$out/$b.txt" 2>&1 ;;
    *)
      echo "unknown bench $b" | tee -a "$out/summary.txt"
      false
      ;;
  esac
  rc=$?
  [ "$rc" -eq 0 ] || failed+=("$b")
  echo "   exit $rc after $(($(date +%s) - start)) s" | tee -a "$out/summary.txt"
done
echo "results in $out; failed: ${failed[*]:-none}" | tee -a "$out/summary.txt"
[ ${#failed[@]} -eq 0 ]
