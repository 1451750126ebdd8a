#!/usr/bin/env python3
"""Times broadsheet's reader in a real pseudo-terminal, as a person sees it.

    bench/startup.py BINARY DIR [RUNS]

Starts `BINARY --articles DIR` in a 120x40 pseudo-terminal RUNS times (default
5), feeds its output to a terminal emulator (pyte: `pip install pyte`) and
prints the medians of: the first frame (anything on the screen), the list on
screen and usable (the status shows N/N with N > 0), and the texts loaded
(the status no longer says "reading texts"). Then presses q.
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

import pyte


def run_once(binary, folder):
    pid, fd = pty.fork()
    if pid == 0:
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
    return first_frame, listed, texts


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, folder = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    results = []
    for _ in range(runs):
        times = run_once(binary, folder)
        if None in times:
            sys.exit(f"not seen in time (first frame, list, texts): {times}")
        results.append(times)
    for name, column in zip(["first frame", "list on screen", "texts loaded"], zip(*results)):
        print(f"{name} (median of {runs}): {statistics.median(column) * 1000:.0f} ms")


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    main()
