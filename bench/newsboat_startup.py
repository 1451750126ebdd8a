#!/usr/bin/env python3
"""Times newsboat showing a feed's items from its cache, as a person sees it.

    bench/newsboat_startup.py NEWSBOAT_DIR ITEMS [RUNS]

NEWSBOAT_DIR holds `urls`, `config` and a filled `cache.db` (as
bench/compare.sh makes them, or by hand: one file:// feed, then
`newsboat -x reload`). Starts newsboat in a 120x40 pseudo-terminal RUNS times
(default 5), with HOME=NEWSBOAT_DIR/home, and prints the medians of: the
feed list on screen (a line showing the ITEMS count), and, after Enter, the
feed's articles on screen ("Articles in feed"): the same items broadsheet's
list shows. Uses pyte (`pip install pyte`).
"""
import os
import pty
import select
import statistics
import struct
import sys
import time
import fcntl
import termios

import pyte


def run_once(folder, items):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["HOME"] = os.path.join(folder, "home")
        os.environ["TERM"] = "xterm-256color"
        os.execvp("newsboat", ["newsboat", "-u", os.path.join(folder, "urls"),
                               "-c", os.path.join(folder, "cache.db"),
                               "-C", os.path.join(folder, "config")])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.monotonic()
    screen = pyte.Screen(120, 40)
    stream = pyte.ByteStream(screen)
    feeds = articles = None
    while time.monotonic() - start < 120 and articles is None:
        ready, _, _ = select.select([fd], [], [], 0.02)
        if ready:
            try:
                stream.feed(os.read(fd, 1 << 20))
            except OSError:
                break
        text = "\n".join(screen.display)
        if feeds is None and items in text:
            feeds = time.monotonic() - start
            os.write(fd, b"\r")
        elif feeds is not None and "Articles in feed" in text:
            articles = time.monotonic() - start
    for _ in range(3):
        os.write(fd, b"q")
        time.sleep(0.2)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    return feeds, articles


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    folder, items = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    results = [run_once(folder, items) for _ in range(runs)]
    feeds = [f for f, _ in results if f is not None]
    articles = [a for _, a in results if a is not None]
    if feeds:
        print("feed list on screen (median of %d): %.0f ms" % (len(feeds), statistics.median(feeds) * 1e3))
    if articles:
        print("its articles on screen (median of %d): %.0f ms" % (len(articles), statistics.median(articles) * 1e3))


if __name__ == "__main__":
    main()
