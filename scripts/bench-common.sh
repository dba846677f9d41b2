# Shared by scripts/bench-ingest.sh and scripts/bench-detect.sh; sourced, not run. Set bench_name
# (used in error messages) before sourcing. Changes to the repository root and sets root.
#
# Functions: die, need, bench_check_tools (sqlite3, awk, sort, GNU time), bench_rounds (reads
# ROUNDS into rounds), bench_make_dir (BENCH_DIR into bench_dir), bench_binaries (MAILFLOW_BIN and
# LOGGEN_BIN into mailflow and loggen, building what is missing), median, maximum, remove_db.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

die() { echo "$bench_name: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing tool '$1'${2:+ ($2)}"; }

# bench_check_tools [TOOL...]: the tools every benchmark needs, plus the given ones (after sqlite3).
bench_check_tools() {
    need sqlite3 "apt-get install -y sqlite3"
    local tool
    for tool in "$@" awk sort; do need "$tool"; done
    [[ -x /usr/bin/time ]] || die "missing /usr/bin/time (GNU time, for peak RSS): apt-get install -y time"
    /usr/bin/time -f '%e %M' true 2>/dev/null || die "/usr/bin/time is not GNU time (no -f support)"
}

bench_rounds() {
    rounds=${ROUNDS:-3}
    [[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$rounds'"
}

bench_make_dir() {
    bench_dir=${BENCH_DIR:-$root/bench-data}
    mkdir -p "$bench_dir"
    bench_dir=$(cd "$bench_dir" && pwd)
}

# bench_binaries: sets mailflow (built unless MAILFLOW_BIN is set) and loggen (built if missing).
bench_binaries() {
    if [[ -z ${MAILFLOW_BIN:-} ]]; then
        need swift
        echo "building release (swift build -c release --scratch-path .build-bench)..." >&2
        swift build -c release --scratch-path .build-bench >&2 || die "release build failed"
        mailflow=$root/.build-bench/release/mailflow
    else
        mailflow=$MAILFLOW_BIN
    fi
    [[ -x $mailflow ]] || die "mailflow binary '$mailflow' is missing or not executable"

    loggen=${LOGGEN_BIN:-$root/.build-bench/release/mailflow-loggen}
    if [[ ! -x $loggen ]]; then
        [[ -z ${LOGGEN_BIN:-} ]] || die "mailflow-loggen binary '$loggen' is missing or not executable"
        need swift
        echo "building mailflow-loggen (release)..." >&2
        swift build -c release --scratch-path .build-bench --product mailflow-loggen >&2 || die "mailflow-loggen build failed"
    fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }
remove_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }
