#!/usr/bin/env bash
# Kill torture: SIGKILLs an ingest of a multi-format corpus again and again at random moments,
# lets it finish, and checks the store is identical to one clean ingest, counters included.
#
#   scripts/kill-torture.sh [kills] [tracking-rows]     (CI: 20 kills, 60,000 rows; larger by hand)
#
# Exit 0 when identical; 1 with a diff of the two dumps otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-20}"; rows="${2:-60000}"
swift build --product mailflow >/dev/null
swift build --product mailflow-loggen >/dev/null
bin=".build/debug"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
cp -r sample-logs "$work/in/"
"$bin/mailflow-loggen" --rows "$rows" --format tracking --out "$work/in/MSGTRK2026112410-1.LOG"
"$bin/mailflow-loggen" --rows $((rows / 4)) --format v2csv --out "$work/in/MessageTraceV2.csv"
"$bin/mailflow-loggen" --rows $((rows / 8)) --format extended --out "$work/in/extended.csv"

"$bin/mailflow" ingest --db "$work/clean.db" "$work/in" >/dev/null || true

# Everything a run stores, without row ids, file ids or wall-clock times that differ between runs.
dump() {
    sqlite3 -readonly "$1" <<'SQL'
.mode list
SELECT 'files', path, size, format, status, checkpoint_offset, checkpoint_line, events, sessions, quarantined FROM files ORDER BY path;
SELECT 'events', count(*), count(DISTINCT event_key), sum(time_ms % 1000003), sum(line), sum(byte_offset) FROM message_events;
SELECT 'sessions', count(*), sum(byte_offset), sum(is_incomplete) FROM smtp_sessions;
SELECT 'transactions', count(*), sum(byte_offset) FROM smtp_transactions;
SELECT 'recipients', count(*), sum(byte_offset), sum(coalesce(reply_code, 0)) FROM smtp_recipients;
SELECT 'quarantine', count(*), sum(byte_offset) FROM quarantine;
SELECT 'configurations', count(*) FROM sqlite_master WHERE name = 'configuration_snapshots';
SQL
}

done_kills=0; attempts=0
while [ "$done_kills" -lt "$kills" ] && [ "$attempts" -lt $((kills * 5)) ]; do
    attempts=$((attempts + 1))
    "$bin/mailflow" ingest --db "$work/tortured.db" "$work/in" >/dev/null 2>&1 &
    pid=$!
    sleep "0.$(( (RANDOM % 9) + 1 ))$(( RANDOM % 10 ))"
    if kill -KILL "$pid" 2>/dev/null; then done_kills=$((done_kills + 1)); fi
    wait "$pid" 2>/dev/null || true
done
"$bin/mailflow" ingest --db "$work/tortured.db" "$work/in" >/dev/null || true
"$bin/mailflow" ingest --db "$work/tortured.db" "$work/in" >/dev/null || true
"$bin/mailflow" ingest --db "$work/clean.db" "$work/in" >/dev/null || true

dump "$work/clean.db" > "$work/clean.txt"
dump "$work/tortured.db" > "$work/tortured.txt"
if diff -u "$work/clean.txt" "$work/tortured.txt"; then
    echo "kill torture: $done_kills SIGKILLs over $attempts runs; store identical to a clean run ($(grep -c '^files' "$work/clean.txt") files)"
else
    echo "kill torture: store differs from a clean run after $done_kills SIGKILLs" >&2
    exit 1
fi
