#!/usr/bin/env python3
"""Turns this machine's Debian changelogs into a folder of real articles.

    bench/debian_changelogs.py OUT_DIR

Every entry of every /usr/share/doc/*/changelog.Debian.gz becomes one plain
text article, OUT_DIR/<doc folder>/<n>.txt, in broadsheet's format: a header
line with the date, the package as a tag and the distribution as a
category, the package and version as the title, and the entry's lines as
the body. Real text of real sizes (from one line to pages), with real
names, for the benchmarks that compare with newsboat: not generated, and
the same on every Debian machine with the same packages. Prints how many
articles and bytes it wrote.
"""
import email.utils
import glob
import gzip
import os
import re
import sys

HEADER = re.compile(r"^(\S+) \(([^)]*)\) ([^;]*);")
TRAILER = re.compile(r"^ -- (.*?)  (.*)$")


def entries(text):
    """Yields (package, version, distribution, date, body lines) per entry."""
    head = None
    body = []
    for line in text.splitlines():
        match = HEADER.match(line)
        if match:
            head = match.groups()
            body = []
            continue
        trailer = TRAILER.match(line)
        if trailer and head:
            try:
                date = email.utils.parsedate_to_datetime(trailer.group(2)).date()
            except (TypeError, ValueError, IndexError):
                date = None
            yield head[0], head[1], head[2].strip(), date, body
            head = None
            continue
        if head is not None:
            body.append(line.strip())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: debian_changelogs.py OUT_DIR")
    out = sys.argv[1]
    count = 0
    written = 0
    for path in sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz")):
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        # Binary packages of one source share its changelog's entries: each
        # keeps its own copy, under its own doc folder's name.
        doc = os.path.basename(os.path.dirname(path))
        for n, (package, version, dist, date, body) in enumerate(entries(text)):
            folder = os.path.join(out, doc)
            os.makedirs(folder, exist_ok=True)
            header = " date %s | " % date.isoformat() if date else " "
            header += "Posted in: %s | Tagged: %s" % (dist or "unknown", package)
            paragraphs = "\n".join(body).strip()
            article = "%s\n\n%s %s\n\n%s\n" % (header, package, version, paragraphs)
            with open(os.path.join(folder, "%05d.txt" % n), "w", encoding="utf-8") as f:
                f.write(article)
            count += 1
            written += len(article.encode("utf-8"))
    print("%d articles, %d bytes in %s" % (count, written, out))


if __name__ == "__main__":
    main()
