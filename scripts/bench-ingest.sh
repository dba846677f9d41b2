#!/usr/bin/env bash
# Ingest benchmark: mailflow on synthetic Exchange logs, against the sqlite3 shell's .import of the
# same rows as a reference. Three input formats (all from mailflow-loggen, seed 1):
#   tracking  Exchange Server message tracking log (MSGTRK, UTF-8 BOM), plain and gzip
#   v2csv     PowerShell 7 Export-Csv of Get-MessageTraceV2 (UTF-8, 10 quoted columns, one row per
#             recipient, ISO Received); format exo-message-trace-csv
#   extended  Exchange Online historical search report "Extended" (UTF-16LE with BOM, 30 quoted
#             snake_case columns); format exo-historical-extended
#
# Usage: scripts/bench-ingest.sh [ROWS...]        (default: 1000000)
#        scripts/bench-ingest.sh 1000000 5000000  (the second size checks that peak RSS stays flat)
#        FORMATS="v2csv extended" scripts/bench-ingest.sh 1000000   (only some formats)
#
# For each ROWS and format the script generates the input in bench-data/ once (msgtrk-<ROWS>.log,
# v2csv-<ROWS>.csv, extended-<ROWS>.csv; reused by later runs) plus what the reference needs
# (preparation is not timed). It then times, ROUNDS times (default 3) in alternation:
#   tracking:
#     plain   mailflow ingest --db fresh.db msgtrk-<ROWS>.log
#     gzip    mailflow ingest --db fresh.db msgtrk-<ROWS>.log.gz        (gzip -6 copy)
#     import  sqlite3 ref.db: CREATE TABLE t (30 TEXT columns); .mode csv; .import rows-<ROWS>.csv t
#             (headerless CSV: BOM and # lines stripped); then the 6 indexes built after the load
#             (message_id, network_message_id, (return_path, date_time), (recipient_address,
#             date_time), (client_ip, date_time), date_time)
#   v2csv:
#     plain   mailflow ingest --db fresh.db v2csv-<ROWS>.csv
#     import  sqlite3 ref.db: CREATE TABLE t (10 TEXT columns); .mode csv; .import --skip 1 of the
#             same file (it has no BOM); then 6 indexes, the analogue of the tracking ones:
#             MessageId, MessageTraceId, (SenderAddress, Received), (RecipientAddress, Received),
#             (FromIP, Received), Received
#   extended:
#     plain   mailflow ingest --db fresh.db extended-<ROWS>.csv         (UTF-16LE as downloaded)
#     import  sqlite3 ref.db: CREATE TABLE t (30 TEXT columns); .mode csv; .import of
#             extended-rows-<ROWS>.csv, a headerless UTF-8 copy made with iconv before timing;
#             then the same 6 indexes as tracking (date_time_utc for date_time)
# Every import uses mailflow's pragmas (WAL, synchronous=NORMAL, 64 MiB cache). The gzip run is
# measured for tracking only. The script prints the median wall time, rows/s (input rows), MB/s
# (input file bytes, 10^6: the UTF-16 file for extended, about twice its UTF-8 size), the largest
# peak RSS of the rounds, CPU, and each run's time relative to that format's import (the target
# for v2csv and extended is <= 1.2) as a markdown table. Every database is deleted before and after
# each run.
#
# Environment:
#   MAILFLOW_BIN  mailflow binary to measure; when set, nothing is built for it
#                 (default: swift build -c release --scratch-path .build-bench, then .build-bench/release/mailflow)
#   LOGGEN_BIN    mailflow-loggen binary (default: .build-bench/release/mailflow-loggen, built if missing)
#   BENCH_DIR     work folder (default: bench-data/, git-ignored)
#   FORMATS       formats to measure, space-separated (default: "tracking v2csv extended")
#   ROUNDS        repetitions per measurement (default: 3)
#   REINGEST=0    skip the re-ingest measurements (tracking only: unchanged tree, grown log, trace)
#   KEEP_DATA=0   delete the generated input files at the end (default: keep them; they are
#                 reused by the next run, so delete bench-data/ after changing mailflow-loggen)
#
# Tools: bash, swift (unless MAILFLOW_BIN and LOGGEN_BIN are set), sqlite3 (3.32+ for
# .import --skip), gzip, iconv, awk, sort and GNU time as /usr/bin/time (for peak RSS; the shell
# keyword `time` cannot report it). On Debian/Ubuntu: apt-get install -y time sqlite3 gzip. The
# script stops with a message if one is missing.
set -euo pipefail

bench_name=bench-ingest
# shellcheck source=scripts/bench-common.sh
source "$(dirname "$0")/bench-common.sh"
bench_check_tools gzip

bench_rounds
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000)
for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "row count must be a positive integer, not '$n'"
done
read -r -a formats <<<"${FORMATS:-tracking v2csv extended}"
[[ ${#formats[@]} -gt 0 ]] || die "FORMATS is empty"
for format in "${formats[@]}"; do
    case $format in
    tracking | v2csv) ;;
    extended) need iconv ;;
    *) die "unknown format '$format' in FORMATS (expected tracking, v2csv or extended)" ;;
    esac
done

bench_make_dir
bench_binaries

# --- helpers --------------------------------------------------------------------------------------
# run_timed OUT_VAR COMMAND...: runs COMMAND under GNU time (stdout discarded), sets OUT_VAR to
# "seconds peak_kib user_s sys_s", fails on a non-zero exit status.
run_timed() {
    local -n result=$1
    shift
    local time_file=$bench_dir/.time.$$
    if ! /usr/bin/time -f '%e %M %U %S' -o "$time_file" "$@" >/dev/null 2>"$bench_dir/.stderr.$$"; then
        cat "$bench_dir/.stderr.$$" >&2
        die "command failed: $*"
    fi
    result=$(tail -n 1 "$time_file")
    rm -f "$time_file" "$bench_dir/.stderr.$$"
}

column_defs() { echo "$1" | tr -d '\n' | sed 's/,/ TEXT,/g; s/$/ TEXT/'; }

tracking_columns="date_time, client_ip, client_hostname, server_ip, server_hostname, source_context, connector_id,
 source, event_id, internal_message_id, message_id, network_message_id, recipient_address, recipient_status,
 total_bytes, recipient_count, related_recipient_address, reference, message_subject, sender_address,
 return_path, message_info, directionality, tenant_id, original_client_ip, original_server_ip, custom_data,
 transport_traffic_type, log_id, schema_version"
v2csv_columns="MessageTraceId, MessageId, Received, SenderAddress, RecipientAddress, FromIP, ToIP, Subject, Status, Size"
extended_columns=${tracking_columns/date_time,/date_time_utc,}

# tracking_indexes / extended_indexes TIME_COLUMN
tracking_indexes() {
    cat <<SQL
CREATE INDEX t_message_id ON t(message_id);
CREATE INDEX t_network_message_id ON t(network_message_id);
CREATE INDEX t_return_path ON t(return_path, $1);
CREATE INDEX t_recipient_address ON t(recipient_address, $1);
CREATE INDEX t_client_ip ON t(client_ip, $1);
CREATE INDEX t_date_time ON t($1);
SQL
}
v2csv_indexes() {
    cat <<SQL
CREATE INDEX t_message_id ON t(MessageId);
CREATE INDEX t_message_trace_id ON t(MessageTraceId);
CREATE INDEX t_sender_address ON t(SenderAddress, Received);
CREATE INDEX t_recipient_address ON t(RecipientAddress, Received);
CREATE INDEX t_from_ip ON t(FromIP, Received);
CREATE INDEX t_received ON t(Received);
SQL
}

# import_sql CSV COLUMNS IMPORT_OPTIONS INDEXES
import_sql() {
    cat <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
CREATE TABLE t ($(column_defs "$2"));
.mode csv
.import $3${3:+ }'$1' t
$4
SQL
}

cpu_share() { awk -v u="$1" -v k="$2" 'BEGIN { print u + k }'; }

table_rows=()
summary_lines=()

# measure FORMAT ROWS: prepares the inputs, runs the rounds, appends to table_rows/summary_lines.
measure() {
    local format=$1 rows=$2
    local input gz="" csv import_options="" columns indexes label import_label
    local db=$bench_dir/fresh.db ref=$bench_dir/ref.db sql=$bench_dir/import-$format-$rows.sql
    case $format in
    tracking)
        input=$bench_dir/msgtrk-$rows.log; gz=$input.gz; csv=$bench_dir/rows-$rows.csv
        columns=$tracking_columns; indexes=$(tracking_indexes date_time)
        label="mailflow ingest (plain)"; import_label="sqlite3 .import + 6 indexes" ;;
    v2csv)
        input=$bench_dir/v2csv-$rows.csv; csv=$input; import_options="--skip 1"
        columns=$v2csv_columns; indexes=$(v2csv_indexes)
        label="mailflow ingest"; import_label="sqlite3 .import + 6 indexes" ;;
    extended)
        input=$bench_dir/extended-$rows.csv; csv=$bench_dir/extended-rows-$rows.csv
        columns=$extended_columns; indexes=$(tracking_indexes date_time_utc)
        label="mailflow ingest (UTF-16)"; import_label="sqlite3 .import (UTF-8 copy) + 6 indexes" ;;
    esac

    # --- inputs (not timed) -----------------------------------------------------------------------
    if [[ ! -s $input ]]; then
        echo "generating $rows $format rows -> $input" >&2
        "$loggen" --format "$format" --rows "$rows" --seed 1 --out "$input.tmp" && mv "$input.tmp" "$input"
    fi
    if [[ -n $gz && ( ! -s $gz || $gz -ot $input ) ]]; then
        echo "compressing -> $gz" >&2
        gzip -6 -c "$input" >"$gz.tmp" && mv "$gz.tmp" "$gz"
    fi
    if [[ $csv != "$input" && ( ! -s $csv || $csv -ot $input ) ]]; then
        echo "preparing headerless UTF-8 CSV -> $csv" >&2
        case $format in
        tracking) LC_ALL=C sed '1s/^\xEF\xBB\xBF//' "$input" | LC_ALL=C grep -v '^#' >"$csv.tmp" ;;
        extended) iconv -f UTF-16LE -t UTF-8 "$input" | tail -n +2 >"$csv.tmp" ;;
        esac
        mv "$csv.tmp" "$csv"
    fi
    import_sql "$csv" "$columns" "$import_options" "$indexes" >"$sql"
    local input_bytes gz_bytes=0
    input_bytes=$(stat -c %s "$input")
    [[ -z $gz ]] || gz_bytes=$(stat -c %s "$gz")
    # Warm the page cache so every round reads the inputs from memory.
    cat "$input" ${gz:+"$gz"} "$csv" >/dev/null

    local plain_t=() plain_m=() plain_cpu=() gzip_t=() gzip_m=() gzip_cpu=() import_t=() import_m=() import_cpu=()
    local events="" lines imported stats s m u k round
    for ((round = 1; round <= rounds; round++)); do
        echo "$format rows=$rows round $round/$rounds" >&2

        remove_db "$db"
        run_timed stats "$mailflow" ingest --db "$db" "$input"
        read -r s m u k <<<"$stats"; plain_t+=("$s"); plain_m+=("$m"); plain_cpu+=("$(cpu_share "$u" "$k")")
        echo "  plain:  $s s, $m KiB, user $u s, sys $k s" >&2
        if [[ -z $events ]]; then
            events=$(sqlite3 "$db" 'SELECT count(*) FROM message_events')
            lines=$(sqlite3 "$db" 'SELECT count(DISTINCT line) FROM message_events')
            [[ $lines -eq $rows ]] || die "$format: mailflow stored events for $lines lines, expected $rows"
        fi
        remove_db "$db"

        if [[ -n $gz ]]; then
            run_timed stats "$mailflow" ingest --db "$db" "$gz"
            read -r s m u k <<<"$stats"; gzip_t+=("$s"); gzip_m+=("$m"); gzip_cpu+=("$(cpu_share "$u" "$k")")
            echo "  gzip:   $s s, $m KiB, user $u s, sys $k s" >&2
            remove_db "$db"
        fi

        remove_db "$ref"
        run_timed stats sqlite3 -bail "$ref" ".read '$sql'"
        read -r s m u k <<<"$stats"; import_t+=("$s"); import_m+=("$m"); import_cpu+=("$(cpu_share "$u" "$k")")
        echo "  import: $s s, $m KiB, user $u s, sys $k s" >&2
        if ((round == 1)); then
            imported=$(sqlite3 "$ref" 'SELECT count(*) FROM t')
            [[ $imported -eq $rows ]] || die "$format: sqlite3 imported $imported rows, expected $rows"
        fi
        remove_db "$ref"
    done

    local mb gz_mb p g="" i ratios
    mb=$(awk -v b="$input_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    p=$(median "${plain_t[@]}"); i=$(median "${import_t[@]}")
    row() { # name seconds peak_kib cpu_seconds
        awk -v format="$format" -v name="$1" -v s="$2" -v kib="$3" -v cpu="$4" -v i="$i" -v n="$rows" -v b="$input_bytes" 'BEGIN {
            printf "| %s | %s | %s | %.2f | %.0f | %.1f | %.0f | %.0f%% | %.2f |\n", n, format, name, s, n / s, b / 1e6 / s, kib / 1024, 100 * cpu / s, s / i }'
    }
    table_rows+=("$(row "$label" "$p" "$(maximum "${plain_m[@]}")" "$(median "${plain_cpu[@]}")")")
    if [[ -n $gz ]]; then
        g=$(median "${gzip_t[@]}")
        table_rows+=("$(row "mailflow ingest (.gz)" "$g" "$(maximum "${gzip_m[@]}")" "$(median "${gzip_cpu[@]}")")")
    fi
    table_rows+=("$(row "$import_label" "$i" "$(maximum "${import_m[@]}")" "$(median "${import_cpu[@]}")")")
    if [[ -n $gz ]]; then
        gz_mb=$(awk -v b="$gz_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
        ratios=$(awk -v p="$p" -v g="$g" -v i="$i" 'BEGIN { printf "plain/import = %.2f, gzip/plain = %.2f", p / i, g / p }')
        summary_lines+=("- $rows rows $format: $mb MB log ($gz_mb MB gzip), $events events stored by mailflow; time ratios $ratios; all times: plain ${plain_t[*]} s, gzip ${gzip_t[*]} s, import ${import_t[*]} s")
    else
        ratios=$(awk -v p="$p" -v i="$i" 'BEGIN { printf "ingest/import = %.2f", p / i }')
        summary_lines+=("- $rows rows $format: $mb MB input ($(awk -v b="$(stat -c %s "$csv")" 'BEGIN { printf "%.1f", b / 1e6 }') MB CSV for sqlite3), $events events stored by mailflow; time ratio $ratios; all times: ingest ${plain_t[*]} s, import ${import_t[*]} s")
    fi

    if [[ ${KEEP_DATA:-1} == 0 ]]; then rm -f "$input" ${gz:+"$gz"} "$csv"; fi
    rm -f "$sql"
}

reingest_lines=()

# measure_reingest ROWS: on the tracking log of ROWS rows, times (once each) a first ingest into a
# fresh store, a re-run over the unchanged tree, a first ingest of the log without its last 2,000
# rows followed by a run over the whole log (the grown file, read from its checkpoint), and
# `mailflow trace` of a Message-ID from the middle of the store (process start included).
measure_reingest() {
    local rows=$1 input=$bench_dir/msgtrk-$1.log tree=$bench_dir/reingest-tree db=$bench_dir/reingest.db
    local first unchanged grown_first grown trace s m u k message_id keep
    [[ -s $input ]] || return 0
    rm -rf "$tree"; mkdir -p "$tree"; ln -s "$input" "$tree/MSGTRK.LOG"
    echo "re-ingest rows=$rows" >&2
    remove_db "$db"
    run_timed first "$mailflow" ingest --db "$db" "$tree"
    run_timed unchanged "$mailflow" ingest --db "$db" "$tree"
    message_id=$(sqlite3 "$db" "SELECT message_id FROM message_events WHERE id = (SELECT max(id) / 2 FROM message_events)")
    run_timed trace "$mailflow" trace --db "$db" "$message_id"
    remove_db "$db"; rm -rf "$tree"; mkdir -p "$tree"
    # The same log without its last 2,000 rows (each row is one line), then the whole log.
    keep=$(( $(wc -l <"$input") - 2000 ))
    head -n "$keep" "$input" >"$tree/MSGTRK.LOG"
    run_timed grown_first "$mailflow" ingest --db "$db" "$tree"
    cat "$input" >"$tree/MSGTRK.LOG"
    run_timed grown "$mailflow" ingest --db "$db" "$tree"
    remove_db "$db"; rm -rf "$tree"
    read -r s m u k <<<"$first"; local f=$s
    read -r s m u k <<<"$unchanged"; local un=$s
    read -r s m u k <<<"$grown_first"; local gf=$s
    read -r s m u k <<<"$grown"; local g=$s
    read -r s m u k <<<"$trace"; local t=$s
    reingest_lines+=("$(awk -v n="$rows" -v f="$f" -v un="$un" -v gf="$gf" -v g="$g" -v t="$t" 'BEGIN {
        printf "| %s | %.2f | %.2f (%.1f %%) | %.2f | %.2f (%.1f %%) | %.3f |", n, f, un, 100 * un / f, gf, g, 100 * g / gf, t }')")
}

for rows in "${sizes[@]}"; do
    for format in "${formats[@]}"; do
        measure "$format" "$rows"
    done
    if [[ " ${formats[*]} " == *" tracking "* && ${REINGEST:-1} == 1 ]]; then measure_reingest "$rows"; fi
done

echo
echo "| rows | format | what | median s | rows/s | MB/s | peak RSS MiB | CPU | × import |"
echo "|---:|---|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${table_rows[@]}"
echo
printf '%s\n' "${summary_lines[@]}"
if [[ ${#reingest_lines[@]} -gt 0 ]]; then
    echo
    echo "| rows | first ingest s | re-run, unchanged tree s (% of first) | first ingest, log minus 2,000 rows s | re-run, 2,000 rows appended s (% of that) | trace by Message-ID s |"
    echo "|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${reingest_lines[@]}"
fi
echo
echo "mailflow: $mailflow ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- Sources 2>/dev/null || echo ', uncommitted changes in Sources/')); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'); $(nproc) cores"
echo "MB/s = input file bytes / median wall time (extended: the UTF-16 file); rows/s = input rows / median wall time; peak RSS = largest of the rounds; CPU = (user + sys) / wall, median; × import = median time / median time of that format's sqlite3 .import."
