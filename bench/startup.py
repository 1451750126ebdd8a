#!/usr/bin/env python3
"""Times broadsheet's reader in a real pseudo-terminal, as a person sees it.

    bench/startup.py [--fresh-cache] BINARY DIR [RUNS]

Starts `BINARY --articles DIR` in a 120x40 pseudo-terminal RUNS times (default
5), feeds its output to a terminal emulator (pyte: `pip install pyte`) and
prints the medians of: the first frame (anything on the screen), the list on
screen and usable (the status shows N/N with N > 0), and the texts loaded
(the status no longer says "reading texts"). Then presses q.

With --fresh-cache every run gets an empty cache folder of its own
(XDG_CACHE_HOME in a new temp folder, removed after): the first start on a
folder, which indexes it; without it, runs share the person's cache.
"""
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import time
import fcntl
import termios

import shutil
import tempfile

import pyte


def run_once(binary, folder, fresh_cache=False):
    cache = tempfile.mkdtemp(prefix="broadsheet-bench-") if fresh_cache else None
    pid, fd = pty.fork()
    if pid == 0:
        if cache is not None:
            os.environ["XDG_CACHE_HOME"] = cache
        os.environ["TERM"] = "xterm-256color"
        os.environ["NO_COLOR"] = "1"
        os.execv(binary, [binary, "--articles", folder])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.monotonic()
    screen = pyte.Screen(120, 40)
    stream = pyte.ByteStream(screen)
    first_frame = listed = texts = None
    count = re.compile(r"\b([1-9][0-9]*)/\1\b")
    deadline = start + 180
    while time.monotonic() < deadline and texts is None:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1 << 20)
        except OSError:
            break
        stream.feed(chunk)
        now = time.monotonic() - start
        status = screen.display[38]
        if first_frame is None and any(line.strip() for line in screen.display):
            first_frame = now
        if listed is None and count.search(status):
            listed = now
        if listed is not None and "reading texts" not in status:
            texts = now
    os.write(fd, b"q")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)
    return first_frame, listed, texts


def main():
    args = [arg for arg in sys.argv[1:] if arg != "--fresh-cache"]
    fresh_cache = len(args) < len(sys.argv) - 1
    if len(args) < 2:
        sys.exit(__doc__)
    binary, folder = args[0], args[1]
    runs = int(args[2]) if len(args) > 2 else 5
    results = []
    for _ in range(runs):
        times = run_once(binary, folder, fresh_cache)
        if None in times:
            sys.exit(f"not seen in time (first frame, list, texts): {times}")
        results.append(times)
    for name, column in zip(["first frame", "list on screen", "texts loaded"], zip(*results)):
        print(f"{name} (median of {runs}): {statistics.median(column) * 1000:.0f} ms")


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    main()
