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

The first fetch's and the big feed's CPU (user + system, from the
children's rusage) are printed beside their wall times: on a busy machine
they move far less than wall time.

Beside each, in the same run, its floor: a minimal client (a separate
Python process, `feeds.py --floor`) pulling the same answers over two
persistent HTTP/1.1 connections to the one host (`http.client`, one thread
per connection, feeds taken from one queue as broadsheet's workers take
them), and creating the same files an untimed broadsheet fetch created
before the runs (same paths and sizes, filled from the answer's bytes),
each by temporary name and rename, fsyncing the ones broadsheet fsyncs
(its state files, and their folder); its lock files are only created. It
parses nothing and converts nothing: what is left is the network and the
file system. broadsheet and its floor run alternately (the floor first in
every other run), and the ratio broadsheet/floor is taken per run. The
floor's time is taken inside its process, its start-up left out.

Nothing is deleted until every run is done: on this machine's ext4 (no
journal) creating files just after thousands were deleted is up to 20
times slower (the kernel skips each recently freed inode one by one), and
that cost fell on whichever of broadsheet and its floor created files
first after a deletion, not on the work measured.

Set TMPDIR to run it all on another file system (`TMPDIR=/dev/shm` for
memory). With NEWSBOAT=/usr/bin/newsboat, newsboat's `-x reload` of the
same 100 feeds (its defaults: one reload thread, its SQLite cache) is timed
in the same runs, first into an empty cache and then again. Prints the
median and the worst of each. With BINARY2 the two binaries are run
alternately, and their medians side by side.
"""
import atexit
import json
import os
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEEDS = 100

# Folders to delete once every run is done (see the module comment), even
# when a run fails.
LEFT = []
atexit.register(lambda: [shutil.rmtree(root, ignore_errors=True) for root in LEFT])
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
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The child's own CPU (user + system), which other work on a busy
    # machine stretches far less than its wall time.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"{binary} fetch failed: {done.stderr}")
    rss = None
    if memory:
        for line in done.stderr.splitlines():
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) / 1024
    return elapsed, rss, cpu


def manifest(root, paths):
    """What broadsheet created in `root`, as the floor's work: one job per
    feed address in `paths`, each the files of one feed's folder and state:
    path under the root, size, and how broadsheet makes it ("plain": by
    temporary name and rename; "synced": the same with the file and its
    folder fsynced; "created": only created, as its lock files are)."""
    articles = os.path.join(root, "articles")
    folders, states = [], []
    for name in sorted(os.listdir(articles)):
        files = []
        for parent, _, names in os.walk(os.path.join(articles, name)):
            for file in sorted(names):
                full = os.path.join(parent, file)
                files.append([os.path.relpath(full, root), os.path.getsize(full), "plain"])
        folders.append(files)
    for parent, _, names in os.walk(root):
        if parent.startswith(articles):
            continue
        for file in sorted(names):
            if parent == root and file in ("config.toml", "feeds.toml"):
                continue
            full = os.path.join(parent, file)
            # Outside the articles are store files, replaced synced; their
            # locks are only created.
            how = "created" if file.endswith(".lock") else "synced"
            states.append((file.removesuffix(".lock"), [os.path.relpath(full, root),
                                                        os.path.getsize(full), how]))
    if len(folders) != len(paths):
        sys.exit(f"expected {len(paths)} feed folders, found {len(folders)}")
    jobs = [{"path": path, "files": files} for path, files in zip(paths, folders)]
    stems = sorted({stem for stem, _ in states})
    for stem, state in states:
        jobs[stems.index(stem) % len(jobs)]["files"].append(state)
    return jobs


def floor_client(port, jobs_file, root):
    """The floor (run as `feeds.py --floor PORT JOBS ROOT`): the same answers
    over two persistent connections, the same files created by temporary
    name and rename. Prints its wall and CPU seconds, imports left out."""
    with open(jobs_file) as source:
        jobs = json.load(source)
    start = time.perf_counter()
    cpu = time.process_time()
    waiting = queue.Queue()
    for job in jobs:
        waiting.put(job)
    errors = []

    def connection():
        client = HTTPConnection("127.0.0.1", port)
        made = set()
        while True:
            try:
                job = waiting.get_nowait()
            except queue.Empty:
                break
            client.request("GET", job["path"])
            answer = client.getresponse()
            body = answer.read()
            if answer.status != 200 or not body:
                errors.append(f"{job['path']}: {answer.status}")
                continue
            for path, size, how in job["files"]:
                target = os.path.join(root, path)
                parent, name = os.path.split(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                if how == "created":
                    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o644))
                    continue
                data = body[:size] if size <= len(body) else body * (size // len(body) + 1)
                temporary = os.path.join(parent, f".{name}.tmp-floor")
                out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                os.write(out, data[:size])
                if how == "synced":
                    os.fsync(out)
                os.close(out)
                os.rename(temporary, target)
                if how == "synced":
                    folder_handle = os.open(parent, os.O_RDONLY)
                    os.fsync(folder_handle)
                    os.close(folder_handle)
        client.close()

    threads = [threading.Thread(target=connection) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        sys.exit("floor: " + "; ".join(errors))
    print(f"{time.perf_counter() - start} {time.process_time() - cpu}")


def floor(port, jobs):
    """Seconds the floor client takes to do `jobs` into an empty folder, and
    its CPU seconds."""
    root = tempfile.mkdtemp(prefix="bench-floor-")
    jobs_file = os.path.join(root, "jobs.json")
    with open(jobs_file, "w") as out:
        json.dump(jobs, out)
    try:
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--floor", str(port),
                               jobs_file, os.path.join(root, "out")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"floor client failed: {done.stderr}")
        wall, cpu = done.stdout.split()
        return float(wall), float(cpu)
    finally:
        LEFT.append(root)


def jobs_of(binary, port):
    """The floor's jobs for the 100 feeds and for the big feed, from one
    untimed broadsheet fetch of each (the files are the same every run)."""
    made = []
    for paths in (list(BODIES)[:FEEDS], ["/big.xml"]):
        root = folder(port, paths)
        try:
            timed(binary, root)
            made.append(manifest(root, paths))
        finally:
            LEFT.append(root)
    return made


def run(binary, port, jobs, floor_first):
    """One run: broadsheet's first fetch, second fetch and big feed, and the
    floor of the first fetch and of the big feed, the floor before or after
    broadsheet as `floor_first` says."""
    small = folder(port, list(BODIES)[:FEEDS])
    big = folder(port, ["/big.xml"])
    try:
        floors = []
        if floor_first:
            floors = [floor(port, jobs[0]), floor(port, jobs[1])]
        first, _, first_cpu = timed(binary, small)
        written = sum(len(files) for _, _, files in os.walk(os.path.join(small, "articles")))
        if written != FEEDS * ITEMS:
            sys.exit(f"expected {FEEDS * ITEMS} articles, found {written}")
        second, _, _ = timed(binary, small)
        whole, rss, whole_cpu = timed(binary, big, memory=True)
        if not floor_first:
            floors = [floor(port, jobs[0]), floor(port, jobs[1])]
        return first, second, whole, rss, floors[0], floors[1], first_cpu, whole_cpu
    finally:
        LEFT.extend([small, big])


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


def row(label, values):
    print(f"  {label:38} median {statistics.median(values):8.3f}  worst {max(values):8.3f}")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--floor":
        floor_client(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = [sys.argv[1]] + sys.argv[3:4]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    jobs = jobs_of(binaries[0], port)
    files = [sum(len(job["files"]) for job in made) for made in jobs]
    print(f"floor jobs: {files[0]} files for the 100 feeds, {files[1]} for the big feed")
    results = {b: [] for b in binaries}
    newsboats = []
    for number in range(runs):
        for binary in binaries:
            results[binary].append(run(binary, port, jobs, floor_first=number % 2 == 1))
        if os.environ.get("NEWSBOAT"):
            newsboats.append(newsboat(os.environ["NEWSBOAT"], port))
    labels = ["first fetch, 100 x 50 (s)", "second fetch, all 304 (s)",
              "10,000-item feed (s)", "10,000-item feed, max RSS (MB)"]
    for binary in binaries:
        print(binary)
        runs_of = results[binary]
        for index, label in enumerate(labels):
            row(label, [r[index] for r in runs_of])
        row("first fetch, its CPU (s)", [r[6] for r in runs_of])
        row("10,000-item feed, its CPU (s)", [r[7] for r in runs_of])
        for name, index, whole in (("100 x 50", 4, 0), ("10,000-item feed", 5, 2)):
            row(f"floor: {name} (s)", [r[index][0] for r in runs_of])
            row(f"floor: {name}, its CPU (s)", [r[index][1] for r in runs_of])
            row(f"ratio broadsheet/floor: {name}", [r[whole] / r[index][0] for r in runs_of])
    if newsboats:
        row("newsboat first reload (s)", [v[0] for v in newsboats])
        row("newsboat second reload (s)", [v[1] for v in newsboats])
    server.shutdown()


if __name__ == "__main__":
    main()
