#!/bin/sh
# The first index of a folder: time and peak memory of `list --count` with
# an empty cache, for each binary given, beside the floor of reading the
# same files (`cat` of every file), in one run, rounds interleaved.
#
#   bench/first_index.sh DIR ROUNDS warm|cold BINARY...
#
# cold drops the page cache before every measurement (needs root); warm
# reads the folder once first. Prints one line per measurement and then
# the medians: seconds and peak resident memory (MB). The cache folders
# are made with mktemp: run with TMPDIR=/dev/shm to keep them in memory,
# or each round's cache (430 MB at 100,000 articles) is still being
# written back to the disk while the next round runs.
set -eu
dir=$1 rounds=$2 mode=$3
shift 3
drop() {
    if [ "$mode" = cold ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
}
results=$(mktemp)
[ "$mode" = warm ] && find "$dir" -type f -print0 | xargs -0 cat > /dev/null
round=0
while [ "$round" -lt "$rounds" ]; do
    round=$((round + 1))
    drop
    /usr/bin/time -f "cat %e %M" sh -c "find '$dir' -type f -print0 | xargs -0 cat > /dev/null" 2>> "$results"
    n=0
    for binary in "$@"; do
        n=$((n + 1))
        cache=$(mktemp -d)
        drop
        XDG_CACHE_HOME=$cache /usr/bin/time -f "binary$n %e %M" \
            "$binary" --articles "$dir" list --count > /dev/null 2>> "$results"
        rm -rf "$cache"
    done
    tail -n $(($# + 1)) "$results"
done
echo "medians of $rounds ($mode): name seconds peak-MB"
awk '{ t[$1] = t[$1] " " $2; m[$1] = m[$1] " " $3 }
     function median(list,   a, n, i, j, x) {
         n = split(list, a, " ")
         for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
         return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
     }
     END { for (k in t) printf "%s %.2f %.0f\n", k, median(t[k]), median(m[k]) / 1024 }' "$results" | sort
rm -f "$results"
