#!/usr/bin/env python3
"""Times `broadsheet fetch` against a feed server on 127.0.0.1.

    bench/feeds.py BINARY [RUNS] [BINARY2]

Serves 100 RSS 2.0 feeds of 50 items each (about 1.5 KB of HTML per item,
with an ETag, answering 304 to a matching If-None-Match) and one feed of
10,000 items, all from one host (so the client's two connections per host
are the limit). RUNS times (default 5), in a fresh folder each:

- first fetch: `BINARY fetch` of the 100 feeds into an empty folder
  (5,000 articles written);
- second fetch: the same again, every feed answering 304;
- big feed: `BINARY fetch` of the one 10,000-item feed into an empty folder,
  with its peak memory (`/usr/bin/time -v`, maximum resident set size).

Beside them, the file system's own floor: Python creating the same number
of 2 KB files in a fresh folder, each written to a temporary name and
renamed, as broadsheet writes articles (`floor` rows); on a slow disk that
is most of a fetch. Set TMPDIR to run it all on another file system
(`TMPDIR=/dev/shm` for memory). With NEWSBOAT=/usr/bin/newsboat, newsboat's `-x reload` of the same 100
feeds (its defaults: one reload thread, its SQLite cache) is timed in the
same runs, first into an empty cache and then again.
Prints the median and the worst of each. With BINARY2 the two binaries are
run alternately, and their medians side by side.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEEDS = 100
ITEMS = 50
BIG = 10_000

PARAGRAPH = (
    "<p>The council met on Tuesday to talk about the river, the bridge and "
    "the new school; <a href=\"https://news.example/more\">more here</a>. "
    "Neighbours spoke for an hour about the traffic and the trees.</p>"
)


def feed(number, items):
    parts = [
        '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
        f"<title>Feed {number}</title><link>https://news.example/{number}</link>"
        "<description>bench</description>\n"
    ]
    for item in range(items):
        parts.append(
            f"<item><guid>f{number}-i{item}</guid><title>Item {item} of feed {number}</title>"
            f"<link>https://news.example/{number}/{item}</link>"
            "<pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>"
            "<category>bench</category>"
            f"<description><![CDATA[{PARAGRAPH * 5}]]></description></item>\n"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


BODIES = {f"/feed/{n}.xml": feed(n, ITEMS) for n in range(FEEDS)}
BODIES["/big.xml"] = feed(FEEDS, BIG)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, sent at once: without these the
    # server's separate small writes meet the client's delayed ACKs and
    # every answer waits 40 ms, which would time the server, not the fetch.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_GET(self):
        body = BODIES.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{len(body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def folder(port, paths):
    root = tempfile.mkdtemp(prefix="bench-feeds-")
    os.mkdir(os.path.join(root, "articles"))
    with open(os.path.join(root, "config.toml"), "w") as config:
        config.write('[library]\narticles = "articles"\nfeeds = "feeds.toml"\ncache = false\n')
    with open(os.path.join(root, "feeds.toml"), "w") as feeds:
        for number, path in enumerate(paths):
            feeds.write(f'[[feed]]\nurl = "http://127.0.0.1:{port}{path}"\nname = "Feed {number}"\n\n')
    return root


def timed(binary, root, memory=False):
    command = [binary, "--config", os.path.join(root, "config.toml"), "fetch"]
    if memory:
        command = ["/usr/bin/time", "-v"] + command
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{binary} fetch failed: {done.stderr}")
    rss = None
    if memory:
        for line in done.stderr.splitlines():
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) / 1024
    return elapsed, rss


def run(binary, port):
    small = folder(port, list(BODIES)[:FEEDS])
    big = folder(port, ["/big.xml"])
    try:
        first, _ = timed(binary, small)
        written = sum(len(files) for _, _, files in os.walk(os.path.join(small, "articles")))
        if written != FEEDS * ITEMS:
            sys.exit(f"expected {FEEDS * ITEMS} articles, found {written}")
        second, _ = timed(binary, small)
        whole, rss = timed(binary, big, memory=True)
        return first, second, whole, rss
    finally:
        shutil.rmtree(small)
        shutil.rmtree(big)


def floor(count):
    """Seconds to create `count` files by temporary name and rename."""
    root = tempfile.mkdtemp(prefix="bench-floor-")
    text = b"x" * 2048
    try:
        start = time.perf_counter()
        for number in range(count):
            temporary = os.path.join(root, f".tmp-{number}")
            with open(temporary, "wb") as out:
                out.write(text)
            os.rename(temporary, os.path.join(root, f"{number}.md"))
        return time.perf_counter() - start
    finally:
        shutil.rmtree(root)


def newsboat(binary, port):
    """newsboat's first and second reload of the 100 feeds, in seconds."""
    root = tempfile.mkdtemp(prefix="bench-newsboat-")
    urls = os.path.join(root, "urls")
    with open(urls, "w") as out:
        for path in list(BODIES)[:FEEDS]:
            out.write(f"http://127.0.0.1:{port}{path}\n")
    command = [binary, "-u", urls, "-c", os.path.join(root, "cache.db"), "-C", "/dev/null", "-x", "reload"]
    try:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return times
    finally:
        shutil.rmtree(root)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = [sys.argv[1]] + sys.argv[3:4]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    results = {b: [] for b in binaries}
    floors = []
    newsboats = []
    for _ in range(runs):
        for binary in binaries:
            results[binary].append(run(binary, port))
        floors.append((floor(FEEDS * ITEMS), floor(BIG)))
        if os.environ.get("NEWSBOAT"):
            newsboats.append(newsboat(os.environ["NEWSBOAT"], port))
    labels = ["first fetch, 100 x 50 (s)", "second fetch, all 304 (s)",
              "10,000-item feed (s)", "10,000-item feed, max RSS (MB)"]
    for binary in binaries:
        print(binary)
        for index, label in enumerate(labels):
            values = [r[index] for r in results[binary]]
            print(f"  {label:34} median {statistics.median(values):8.3f}  worst {max(values):8.3f}")
    rows = [("floor: 5,000 files (s)", floors, 0), ("floor: 10,000 files (s)", floors, 1)]
    if newsboats:
        rows += [("newsboat first reload (s)", newsboats, 0),
                 ("newsboat second reload (s)", newsboats, 1)]
    for label, values, index in rows:
        values = [v[index] for v in values]
        print(f"  {label:34} median {statistics.median(values):8.3f}  worst {max(values):8.3f}")
    server.shutdown()


if __name__ == "__main__":
    main()
