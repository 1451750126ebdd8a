#!/usr/bin/env python3
"""Times how long a file written into the folder takes to show in the reader.

    bench/arrival.py BINARY DIR [RUNS]

Starts `BINARY --articles DIR` in a 120x40 pseudo-terminal, waits until the
list is on screen and the start-up work has settled, then RUNS times (default
5) writes a new article file into DIR and measures the time until the status
line counts it (N+1/N+1), with no key pressed; each file is deleted again
(and its going waited for) before the next. Prints the median and the worst.
Uses pyte (`pip install pyte`) as the terminal. The files are named
`zz-arrival-*.txt`.
"""
import os
import pty
import re
import select
import statistics
import struct
import sys
import time
import fcntl
import termios

import pyte

COUNT = re.compile(r"\b([0-9]+)/\1\b")


class Reader:
    def __init__(self, binary, folder):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ["NO_COLOR"] = "1"
            os.execv(binary, [binary, "--articles", folder])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = pyte.Screen(120, 40)
        self.stream = pyte.ByteStream(self.screen)

    def pump(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                self.stream.feed(os.read(self.fd, 1 << 20))
            except OSError:
                pass

    def count(self):
        match = COUNT.search(self.screen.display[38])
        return int(match.group(1)) if match else None

    def wait_count(self, wanted, limit):
        start = time.monotonic()
        while time.monotonic() - start < limit:
            self.pump(0.005)
            if self.count() == wanted:
                return time.monotonic() - start
        return None

    def quit(self):
        os.write(self.fd, b"q")
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, folder = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    reader = Reader(binary, folder)
    deadline = time.monotonic() + 180
    while reader.count() is None and time.monotonic() < deadline:
        reader.pump(0.05)
    base = reader.count()
    if base is None:
        reader.quit()
        sys.exit("the list never showed")
    # Let the start-up check of the folder and the watch settle.
    settle = time.monotonic() + 8
    while time.monotonic() < settle:
        reader.pump(0.05)
    base = reader.count()
    times = []
    for n in range(runs):
        path = os.path.join(folder, "zz-arrival-%d.txt" % n)
        started = time.monotonic()
        with open(path, "w") as f:
            f.write(" date 2031-01-01 | Tagged: arrival\n\nArrival %d\n\nA new article.\n" % n)
        waited = reader.wait_count(base + 1, 10)
        times.append(None if waited is None else time.monotonic() - started)
        os.remove(path)
        reader.wait_count(base, 10)
        time.sleep(0.5)
    reader.quit()
    seen = [t for t in times if t is not None]
    if len(seen) < len(times):
        print("not seen within 10 s: %d of %d" % (len(times) - len(seen), len(times)))
    if seen:
        print("visible after (median of %d): %.0f ms, worst %.0f ms"
              % (len(seen), statistics.median(seen) * 1e3, max(seen) * 1e3))


if __name__ == "__main__":
    main()
