#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (a separate package, so the main package's build and tests
# stay fast) and runs each for a fixed time, one at a time (the machine may be shared).
#
#   scripts/fuzz.sh [seconds-per-target] [target...]
#
# Seeds come from sample-logs/ and ../shared/corpus/ (each prefixed with a selector byte: the
# targets read their first byte as the chunk size / format choice). Crashes land in
# Fuzz/findings/<target>/; turn each into a test under Tests/MailFlowKitTests/Hostile/.
# The executions each target reached are printed at the end (the README table comes from them).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzSniff FuzzExchangeLogs FuzzTraceCSV FuzzJSON FuzzCliXml FuzzPostfix FuzzGzip)

# -use-ld=lld: gold fails with an internal DWARF error on the sanitizer build.
(cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
bin="Fuzz/.build/debug"
# Foundation (XMLParser errors) leaks a few CF objects per refused document: not ours, and it would stop every run.
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"

seed() {  # seed <dir> <file patterns...>: copy small samples with a selector byte in front
    local dir="$1"; shift
    mkdir -p "$dir"
    local n=0
    while IFS= read -r -d '' f; do
        [ "$(stat -c %s "$f")" -le 262144 ] || continue
        for sel in 0 9 42; do
            { printf "\\x$(printf %02x $sel)"; cat "$f"; } > "$dir/seed-$n-$sel"
        done
        n=$((n + 1))
    done < <(find sample-logs ../shared/corpus -type f \( "$@" \) -print0 2>/dev/null)
}

for target in "${targets[@]}"; do
    corpus="Fuzz/corpus/$target"; findings="Fuzz/findings/$target"
    mkdir -p "$findings"
    case "$target" in
        FuzzExchangeLogs) seed "$corpus" -iname '*.log' -o -iname '*.ndjson' ;;
        FuzzTraceCSV) seed "$corpus" -iname '*.csv' ;;
        FuzzJSON) seed "$corpus" -iname '*.json' -o -iname '*.ndjson' ;;
        FuzzCliXml) seed "$corpus" -iname '*.xml' ;;
        FuzzPostfix) seed "$corpus" -iname '*maillog*' -o -iname '*mail.log*' -o -iname '*postfix*' ;;
        FuzzGzip)
            mkdir -p "$corpus"
            for f in $(find sample-logs -type f -size -64k | head -20); do { printf '\x02'; gzip -c "$f"; } > "$corpus/$(basename "$f").gz"; done ;;
        *) seed "$corpus" -type f ;;
    esac
    echo "== $target: ${seconds}s"
    "$bin/$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -detect_leaks=0 \
        -artifact_prefix="$findings/" -print_final_stats=1 2>&1 | tee "Fuzz/findings/$target.log" | grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' || true
done
echo "executions per target:"
for target in "${targets[@]}"; do
    printf '%-18s %s\n' "$target" "$(grep -h 'stat::number_of_executed_units' "Fuzz/findings/$target.log" 2>/dev/null | awk '{print $2}')"
done
