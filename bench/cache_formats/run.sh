#!/usr/bin/env bash
# Measures the candidate cache formats side by side (see BENCHMARKS.md,
# "Cache storage: the choice"). Run from anywhere:
#
#   bench/cache_formats/run.sh [CORPUS] [OUT]
#
# CORPUS defaults to /tmp/corpus100k (generated with gen_corpus when missing),
# OUT to /tmp/cache-bench (about 1.4 GB of cache files). RUNS (default 11)
# sets the runs per median; FTS=1 also builds an SQLite FTS5 trigram index of
# the texts (minutes) and times its queries.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${1:-/tmp/corpus100k}
out=${2:-/tmp/cache-bench}
runs=${RUNS:-11}
fts=()
[[ "${FTS:-0}" == 1 ]] && fts=(--fts)

(cd "$root" && cargo run --release --example gen_corpus -- --keep 100000 "$corpus")
(cd "$here" && cargo build --release)
bin="$here/target/release/cache-formats"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(git -C "$root" rev-parse --short HEAD)"

echo "== write, 100,000 articles"
"$bin" write "$corpus" "$out/100k" --runs 5 "${fts[@]}"
echo "== write, 1,000,000 (the 100,000 summaries ten times)"
"$bin" write "$corpus" "$out/1m" --runs 3 --scale 10

for size in 100k 1m; do
    echo "== open, $size (each in its own process; max RSS by /usr/bin/time -v)"
    for format in custom custom-nosum rkyv postcard sqlite; do
        /usr/bin/time -v "$bin" open "$format" "$out/$size" --runs "$runs" 2>"$out/time.txt"
        grep -E "Maximum resident" "$out/time.txt" | sed "s/^\s*/  $format: /"
    done
done

echo "== checksums"
"$bin" checksum "$out/100k" --runs "$runs"

echo "== search, 100,000"
"$bin" search "$out/100k" --runs "$runs"
