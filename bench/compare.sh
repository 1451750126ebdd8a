#!/usr/bin/env bash
# Compares broadsheet with the cost of reading the files and with newsboat,
# on one generated folder of articles.
#
#   bench/compare.sh [N]        N articles, default 100000 (or N=... in the environment)
#
# Steps: build release; generate the corpus into target/bench-corpus/N unless
# it is there; warm the page cache; time `broadsheet list --count` against
# `find | xargs cat` (the reading floor) with hyperfine (or a loop of timed
# runs when hyperfine cannot be had) and print the medians and their ratio;
# measure peak memory of `list --count` against the target of
# 1.5 x corpus bytes + 300 bytes per article; time newsboat ingesting the same
# articles as one local RSS file and starting up on the filled cache. Prints
# a summary table at the end.
#
# Environment: RUNS (timed runs per command, default 10), NEWSBOAT_RUNS
# (default 3), CORPUS_DIR (use this folder instead of target/bench-corpus/N),
# CARGO_TARGET_DIR, SKIP_NEWSBOAT=1, NO_INSTALL=1 (never call apt-get),
# NO_HYPERFINE=1 (time with the loop of timed runs even when hyperfine is there).
set -euo pipefail

N="${1:-${N:-100000}}"
RUNS="${RUNS:-10}"
NEWSBOAT_RUNS="${NEWSBOAT_RUNS:-3}"

die() {
    printf 'compare.sh: %s\n' "$*" >&2
    exit 1
}

for value in "$N" "$RUNS" "$NEWSBOAT_RUNS"; do
    case "$value" in
        '' | *[!0-9]*) die "N, RUNS and NEWSBOAT_RUNS must be whole numbers, not '$value'" ;;
    esac
done
[ "$N" -gt 0 ] || die "N must be at least 1"
[ "$RUNS" -gt 0 ] || die "RUNS must be at least 1"
[ "$NEWSBOAT_RUNS" -gt 0 ] || die "NEWSBOAT_RUNS must be at least 1"

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in
    /*) ;;
    *) TARGET_DIR="$ROOT/$TARGET_DIR" ;;
esac
CORPUS="${CORPUS_DIR:-$TARGET_DIR/bench-corpus/$N}"
BIN="$TARGET_DIR/release/broadsheet"
GEN="$TARGET_DIR/release/examples/gen_corpus"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/broadsheet-compare.XXXXXX")"
cleanup() {
    rm -rf -- "$WORK"
}
trap cleanup EXIT

say() {
    printf '\n== %s\n' "$*"
}

# ----- tools -------------------------------------------------------------

# Installs a Debian package when the command is missing and installing is
# possible (root or password-less sudo, apt-get present, not NO_INSTALL).
ensure_tool() {
    local command="$1" package="$2"
    command -v "$command" > /dev/null 2>&1 && return 0
    [ "${NO_INSTALL:-0}" = 1 ] && return 1
    command -v apt-get > /dev/null 2>&1 || return 1
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null || return 1
        sudo=(sudo -n)
    fi
    printf 'installing %s with apt-get\n' "$package"
    "${sudo[@]}" apt-get install -y "$package" > "$WORK/apt.log" 2>&1 ||
        { "${sudo[@]}" apt-get update > "$WORK/apt.log" 2>&1 &&
            "${sudo[@]}" apt-get install -y "$package" >> "$WORK/apt.log" 2>&1; } ||
        { printf 'could not install %s (see apt-get output below)\n' "$package"; tail -n 5 "$WORK/apt.log"; return 1; }
    command -v "$command" > /dev/null 2>&1
}

# ----- timing ------------------------------------------------------------

HAVE_HYPERFINE=0
if [ "${NO_HYPERFINE:-0}" != 1 ] && ensure_tool hyperfine hyperfine; then
    HAVE_HYPERFINE=1
fi

# Prints the median of the numbers on stdin (one a line).
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A field (seconds) of the single result of a hyperfine JSON export.
hyperfine_field() {
    grep -o "\"$2\"[[:space:]]*:[[:space:]]*[0-9.eE+-]*" "$1" | head -n 1 | sed 's/.*:[[:space:]]*//'
}

# time_median RUNS WARMUPS PREPARE COMMAND: the median wall time (seconds)
# of RUNS runs of the shell command COMMAND (output discarded), each after
# PREPARE (not timed; ':' for nothing), after WARMUPS untimed runs.
# hyperfine when available, else a loop. With hyperfine, the mean CPU time
# (user + system seconds) is left in $WORK/cpu; CPU time suffers less than
# wall time when other programs share the cores.
time_median() {
    local runs="$1" warmups="$2" prepare="$3" command="$4"
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        local json="$WORK/hyperfine.json"
        hyperfine --shell bash --style basic --runs "$runs" --warmup "$warmups" \
            --prepare "$prepare" --export-json "$json" "$command" >&2
        awk -v u="$(hyperfine_field "$json" user)" -v s="$(hyperfine_field "$json" system)" \
            'BEGIN { printf "%.6f\n", u + s }' > "$WORK/cpu"
        hyperfine_field "$json" median
    else
        echo nan > "$WORK/cpu"
        local i start end
        for ((i = 0; i < warmups; i++)); do
            bash -c "$prepare" > /dev/null 2>&1
            bash -c "$command" > /dev/null 2>&1
        done
        for ((i = 0; i < runs; i++)); do
            bash -c "$prepare" > /dev/null 2>&1
            start="$(date +%s%N)"
            bash -c "$command" > /dev/null 2>&1
            end="$(date +%s%N)"
            awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }'
        done | median
    fi
}

# A shell word list of the arguments, for hyperfine's command strings.
quoted() {
    local out
    printf -v out '%q ' "$@"
    printf '%s' "${out% }"
}

# Seconds with three decimals; bytes as MB (10^6), for the table.
secs() {
    awk -v s="$1" 'BEGIN { if (s == "nan") print "-"; else printf "%.3f s", s }'
}
megabytes() {
    awk -v b="$1" 'BEGIN { if (b == "nan") print "-"; else printf "%.1f MB", b / 1e6 }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'
}

# verdict VALUE LIMIT: "met" when VALUE <= LIMIT.
verdict() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a != "nan" && a <= b) print "met"; else print "MISSED" }'
}

# ----- build and corpus ----------------------------------------------------

say "building release (broadsheet, gen_corpus)"
(cd -- "$ROOT" && cargo build --release --quiet --bin broadsheet --example gen_corpus)

say "corpus of $N articles in $CORPUS"
mkdir -p -- "$CORPUS"
"$GEN" --keep "$N" "$CORPUS"
CORPUS_BYTES="$(du -sb -- "$CORPUS" | cut -f1)"
FILES="$(find "$CORPUS" -type f -name '*.txt' | wc -l)"
printf '%s article files, %s bytes (du -sb)\n' "$FILES" "$CORPUS_BYTES"

# Bookmarks and read state go to the scratch folder, never to the user's.
printf '[library]\nbookmarks = "bookmarks.toml"\nstate = "state.toml"\n' > "$WORK/config.toml"
LIST=("$BIN" --config "$WORK/config.toml" --articles "$CORPUS" list --count)

say "warming the page cache"
find "$CORPUS" -type f -print0 | xargs -0 cat > /dev/null
COUNT="$("${LIST[@]}")"
printf 'list --count says %s\n' "$COUNT"
[ "$COUNT" = "$FILES" ] || printf 'warning: %s files but %s articles listed\n' "$FILES" "$COUNT"

# ----- list --count against the reading floor ------------------------------

FLOOR_CMD="find $(quoted "$CORPUS") -type f -print0 | xargs -0 cat > /dev/null"
LIST_CMD="$(quoted "${LIST[@]}")"

say "list --count ($RUNS runs)"
LIST_S="$(time_median "$RUNS" 1 : "$LIST_CMD")"
LIST_CPU="$(cat "$WORK/cpu")"
say "reading floor: find | xargs cat ($RUNS runs)"
FLOOR_S="$(time_median "$RUNS" 1 : "$FLOOR_CMD")"
FLOOR_CPU="$(cat "$WORK/cpu")"
LIST_RATIO="$(ratio "$LIST_S" "$FLOOR_S")"
printf '\nmedians: list --count %s, reading floor %s, ratio %s\n' "$(secs "$LIST_S")" "$(secs "$FLOOR_S")" "$LIST_RATIO"

# ----- peak memory ---------------------------------------------------------

say "peak memory of list --count (median of 3 runs)"
RSS_KB=nan
if [ -x /usr/bin/time ] || ensure_tool /usr/bin/time time; then
    RSS_KB="$(for _ in 1 2 3; do
        /usr/bin/time -v "${LIST[@]}" 2>&1 > /dev/null |
            awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }'
    done | median)"
else
    printf 'skipped: /usr/bin/time is missing (Debian package "time")\n'
fi
RSS_BYTES="$(awk -v k="$RSS_KB" 'BEGIN { if (k == "nan") print "nan"; else printf "%.0f", k * 1024 }')"
MEM_TARGET="$(awk -v b="$CORPUS_BYTES" -v n="$N" 'BEGIN { printf "%.0f", 1.5 * b + 300 * n }')"
MEM_RATIO="$(ratio "$RSS_BYTES" "$CORPUS_BYTES")"
printf 'max RSS %s = %s x corpus bytes; target %s\n' "$(megabytes "$RSS_BYTES")" "$MEM_RATIO" "$(megabytes "$MEM_TARGET")"

# ----- newsboat ------------------------------------------------------------

NB_INGEST_S=nan
NB_START_S=nan
NB_START_CPU=nan
NB_NOTE=""
if [ "${SKIP_NEWSBOAT:-0}" = 1 ]; then
    NB_NOTE="skipped (SKIP_NEWSBOAT=1)"
elif ! ensure_tool newsboat newsboat; then
    NB_NOTE="skipped: newsboat is not installed and could not be installed (Debian package newsboat)"
else
    say "newsboat $(newsboat -v 2> /dev/null | head -n 1 | awk '{ print $2 }') on the same articles"
    NB="$WORK/newsboat"
    mkdir -p -- "$NB/home"
    "$GEN" --rss "$CORPUS" "$NB/feed.xml"
    # newsboat reads file:// URLs itself; the path is percent-encoded where
    # a URL needs it.
    FEED_URL="file://$(printf '%s' "$NB/feed.xml" | sed 's/%/%25/g; s/ /%20/g')"
    printf '%s\n' "$FEED_URL" > "$NB/urls"
    # One reload thread, as many items as the feed holds, no cleanup work.
    printf 'reload-threads 1\nmax-items 0\ncleanup-on-quit no\n' > "$NB/config"
    NB_CMD="cd $(quoted "$NB") && HOME=$(quoted "$NB/home") newsboat -q -u urls -c cache.db -C config"
    EMPTY_CACHE="rm -f -- $(quoted "$NB/cache.db") $(quoted "$NB/cache.db.lock")"

    say "newsboat ingest: -x reload on an empty cache ($NEWSBOAT_RUNS runs)"
    NB_INGEST_S="$(time_median "$NEWSBOAT_RUNS" 0 "$EMPTY_CACHE" "$NB_CMD -x reload")"
    bash -c "$EMPTY_CACHE && $NB_CMD -x reload" > /dev/null
    ITEMS="$(bash -c "$NB_CMD -x print-unread")"
    printf 'newsboat holds: %s\n' "$ITEMS"

    say "newsboat start-up: -x print-unread on the filled cache ($RUNS runs)"
    NB_START_S="$(time_median "$RUNS" 1 : "$NB_CMD -x print-unread")"
    NB_START_CPU="$(cat "$WORK/cpu")"
fi

# ----- summary -------------------------------------------------------------

say "summary: $N articles, $(megabytes "$CORPUS_BYTES") ($CORPUS_BYTES bytes), $(nproc) cores; medians (the machine may be shared: noisy)"
row() {
    printf '%-44s %18s   %s\n' "$1" "$2" "$3"
}
row "measure" "value" "target"
row "broadsheet list --count" "$(secs "$LIST_S")" ""
row "  its CPU time (user + system, mean)" "$(secs "$LIST_CPU")" ""
row "reading floor (find | xargs cat)" "$(secs "$FLOOR_S")" ""
row "  its CPU time (user + system, mean)" "$(secs "$FLOOR_CPU")" ""
row "list --count / reading floor" "$LIST_RATIO" "<= 1.0: $(verdict "$LIST_RATIO" 1.0)"
row "peak memory of list --count (max RSS)" "$(megabytes "$RSS_BYTES")" ""
row "peak memory / corpus bytes" "$MEM_RATIO" ""
row "memory target 1.5 x bytes + 300 B/article" "$(megabytes "$MEM_TARGET")" "max RSS within it: $(verdict "$RSS_BYTES" "$MEM_TARGET")"
if [ -n "$NB_NOTE" ]; then
    row "newsboat" "-" "$NB_NOTE"
else
    row "newsboat ingest (-x reload, empty cache)" "$(secs "$NB_INGEST_S")" ""
    row "newsboat start-up (-x print-unread)" "$(secs "$NB_START_S")" ""
    row "  its CPU time (user + system, mean)" "$(secs "$NB_START_CPU")" ""
    NB_RATIO="$(ratio "$LIST_S" "$NB_START_S")"
    row "list --count / newsboat start-up" "$NB_RATIO" "<= 0.5: $(verdict "$NB_RATIO" 0.5)"
    row "list --count / newsboat ingest" "$(ratio "$LIST_S" "$NB_INGEST_S")" ""
fi
