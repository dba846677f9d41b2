#!/usr/bin/env bash
# Detect benchmark: how long `mailflow detect` takes on a store of N events. The issue asks that
# detect on such a store finish "in seconds"; this measures it on the ingested synthetic tracking
# log of ROWS rows (about 1.33 events per row).
#
# Usage: scripts/bench-detect.sh [ROWS]      (default: 1000000)
#
# Uses the same conventions and files as scripts/bench-ingest.sh: bench-data/msgtrk-<ROWS>.log
# (mailflow-loggen --rows ROWS --seed 1, generated if missing and kept), MAILFLOW_BIN, LOGGEN_BIN,
# BENCH_DIR, ROUNDS. Not timed: `mailflow ingest --db bench-data/detect-<ROWS>.db msgtrk-<ROWS>.log`
# (the database is kept between runs when KEEP_DB=1; by default it is rebuilt, so a changed
# mailflow is measured on its own store). Timed, ROUNDS times (default 3):
#   mailflow detect --db bench-data/detect-<ROWS>.db --format json > /dev/null
# and printed as a markdown row: median wall time, events/s, peak RSS (largest of the rounds),
# CPU = (user + sys) / wall. Needs sqlite3 and GNU time as /usr/bin/time.
#
# Environment:
#   MAILFLOW_BIN  mailflow binary to measure; when set, nothing is built for it
#                 (default: swift build -c release --scratch-path .build-bench, then .build-bench/release/mailflow)
#   LOGGEN_BIN    mailflow-loggen binary (default: .build-bench/release/mailflow-loggen, built if missing)
#   BENCH_DIR     work folder (default: bench-data/, git-ignored)
#   ROUNDS        repetitions (default: 3)
#   KEEP_DB=1     reuse bench-data/detect-<ROWS>.db if it exists (default: re-ingest) and keep it
#                 afterwards (default: deleted at the end)
set -euo pipefail

bench_name=bench-detect
# shellcheck source=scripts/bench-common.sh
source "$(dirname "$0")/bench-common.sh"
bench_check_tools

bench_rounds
[[ $# -le 1 ]] || die "usage: scripts/bench-detect.sh [ROWS]"
rows=${1:-1000000}
[[ $rows =~ ^[1-9][0-9]*$ ]] || die "row count must be a positive integer, not '$rows'"

bench_make_dir
bench_binaries

# --- store (not timed) ----------------------------------------------------------------------------
log=$bench_dir/msgtrk-$rows.log
db=$bench_dir/detect-$rows.db
if [[ ! -s $log ]]; then
    echo "generating $rows rows -> $log" >&2
    "$loggen" --rows "$rows" --seed 1 --out "$log.tmp" && mv "$log.tmp" "$log"
fi
if [[ ${KEEP_DB:-0} == 1 && -s $db ]]; then
    echo "reusing $db" >&2
else
    remove_db "$db"
    echo "ingesting $log -> $db" >&2
    "$mailflow" ingest --db "$db" "$log" >/dev/null || die "ingest failed"
fi
events=$(sqlite3 "$db" 'SELECT count(*) FROM message_events')
db_bytes=$(stat -c %s "$db")

# --- rounds ---------------------------------------------------------------------------------------
times=() peaks=() cpus=()
time_file=$bench_dir/.time.$$
for ((round = 1; round <= rounds; round++)); do
    status=0
    /usr/bin/time -f '%e %M %U %S' -o "$time_file" "$mailflow" detect --db "$db" --format json >/dev/null 2>"$bench_dir/.stderr.$$" || status=$?
    if [[ $status -ne 0 ]]; then
        cat "$bench_dir/.stderr.$$" >&2
        die "mailflow detect failed (exit status $status)"
    fi
    read -r s m u k <"$time_file"
    times+=("$s"); peaks+=("$m"); cpus+=("$(awk -v u="$u" -v k="$k" 'BEGIN { print u + k }')")
    echo "round $round/$rounds: $s s, $m KiB, user $u s, sys $k s" >&2
done
rm -f "$time_file" "$bench_dir/.stderr.$$"
[[ ${KEEP_DB:-0} == 1 ]] || remove_db "$db"

t=$(median "${times[@]}")
echo
echo "| rows | events | what | median s | events/s | peak RSS MiB | CPU |"
echo "|---:|---:|---|---:|---:|---:|---:|"
awk -v n="$rows" -v e="$events" -v s="$t" -v kib="$(maximum "${peaks[@]}")" -v cpu="$(median "${cpus[@]}")" 'BEGIN {
    printf "| %s | %s | mailflow detect --format json | %.2f | %.0f | %.0f | %.0f%% |\n", n, e, s, e / s, kib / 1024, 100 * cpu / s }'
echo
echo "- all times: ${times[*]} s; store $(awk -v b="$db_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
echo "mailflow: $mailflow ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- Sources 2>/dev/null || echo ', uncommitted changes in Sources/')); $(nproc) cores"
