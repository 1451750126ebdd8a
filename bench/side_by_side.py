#!/usr/bin/env python3
"""Two broadsheet binaries side by side on one folder: each with its own
cache folder (written by a first run), runs interleaved, medians of wall
time, and the size of each one's summaries.bin.

    bench/side_by_side.py BEFORE AFTER DIR RUNS
"""
import os, statistics, subprocess, sys, time
before, after, corpus, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
scratch = "/tmp/times-bench-home"
def env(name):
    home = os.path.join(scratch, name)
    os.makedirs(home, exist_ok=True)
    return {"HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
            "XDG_CACHE_HOME": home + "/cache", "PATH": "/usr/bin:/bin", "TZ": "UTC"}
bins = {"before": (before, env("before")), "after": (after, env("after"))}
commands = [["list", "--count"], ["list", "--sort", "oldest", "--limit", "1"], ["list", "--sort", "date", "--limit", "1"]]
def run(name, args):
    binary, e = bins[name]
    start = time.perf_counter()
    out = subprocess.run([binary, "--articles", corpus] + args, env=e, capture_output=True)
    took = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"{name} {args}: {out.stderr.decode()}")
    return took, out.stdout.decode().strip()
for name in bins:  # write each cache once
    took, _ = run(name, ["list", "--count"])
    print(f"{name}: first run (writes the cache) {took:.2f} s", flush=True)
for args in commands:
    times = {"before": [], "after": []}
    outs = {}
    for _ in range(runs):
        for name in bins:
            took, out = run(name, args)
            times[name].append(took)
            outs[name] = out
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    print(f"{' '.join(args)}: before {b*1000:.0f} ms, after {a*1000:.0f} ms ({a/b:.2f} x)  "
          f"[before {outs['before'][:60]!r} | after {outs['after'][:60]!r}]", flush=True)
for name in bins:
    for root, _, files in os.walk(bins[name][1]["XDG_CACHE_HOME"]):
        for f in files:
            if f == "summaries.bin":
                print(f"{name}: summaries.bin {os.path.getsize(os.path.join(root, f)):,} bytes")
