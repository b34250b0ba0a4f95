#!/usr/bin/python3
"""The HTML report opened in headless Chromium (issue 7, deliverable 4).

Writes the report of the hand-made Met assessment (two national comparisons
of 43 forces each) with the fixture binary, opens it in Debian's chromium
headless, and checks what Chromium built and painted:
  * the rendered DOM (--dump-dom, parsed with html.parser) has, in every
    chart, one <rect class="bar"> per force (43) and exactly one highlighted
    bar, the Met's; a <title> and <desc>; a table of 43 force rows beside it;
    and no <script> element, even when findings carry markup (--hostile);
  * the screenshot (--screenshot, 1280 wide) is a PNG of the requested size
    with many colours in it and the highlighted bars' fill painted.
Exits 77 (ctest's SKIP_RETURN_CODE) when chromium is not installed.
"""

import argparse
import html.parser
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77
FORCES = 43
HIGHLIGHT_RGB = (0x1D, 0x4F, 0x91)  # the assessed force's bar fill
WIDTH, HEIGHT = 1280, 4000


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def chromium_args(chromium, profile):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars",
            "--user-data-dir=" + profile]


def run_chromium(chromium, extra, url, workdir, timeout=120):
    # A fresh profile per run: nothing cached, nothing shared between runs.
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=workdir)
    try:
        proc = subprocess.run(chromium_args(chromium, profile) + extra + [url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, cwd=workdir)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-4000:])
        fail("chromium exited with %d for %s" % (proc.returncode, extra))
    return proc.stdout.decode("utf-8", "replace")


class DomSummary(html.parser.HTMLParser):
    """Counts what the checks need in Chromium's serialised DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []        # per <svg class="chart">: dict of counts
        self.tables = []        # per <table class="chart-data">: row counts
        self.scripts = 0
        self.imgs = 0
        self.headings = []
        self.in_chart = None
        self.in_table = None
        self.in_h1 = False
        self.h1_text = ""
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        if tag == "img":
            self.imgs += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
            self.in_h1 = tag == "h1"
        if tag == "svg" and "chart" in classes:
            self.in_chart = {"bars": 0, "highlighted": [], "title": 0,
                             "desc": 0, "role": a.get("role"),
                             "mean": 0, "sd": 0}
            self.charts.append(self.in_chart)
        elif self.in_chart is not None:
            if tag == "rect" and a.get("class") == "bar":
                self.in_chart["bars"] += 1
                if a.get("data-highlighted") == "true":
                    self.in_chart["highlighted"].append(a.get("data-force"))
            elif tag == "title":
                self.in_chart["title"] += 1
            elif tag == "desc":
                self.in_chart["desc"] += 1
            elif tag == "line" and "mean-line" in classes:
                self.in_chart["mean"] += 1
            elif tag == "line" and "sd-line" in classes:
                self.in_chart["sd"] += 1
        if tag == "table" and "chart-data" in classes:
            self.in_table = {"rows": 0, "highlighted": 0}
            self.tables.append(self.in_table)
        elif self.in_table is not None and tag == "tr" and \
                a.get("class") == "force-row":
            self.in_table["rows"] += 1
            if a.get("data-highlighted") == "true":
                self.in_table["highlighted"] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_chart = None
        if tag == "table":
            self.in_table = None
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.in_h1:
            self.h1_text += data
        self.text.append(data)


def check_dom(dom, hostile):
    if "<svg" not in dom:
        fail("no SVG in the rendered DOM:\n" + dom[:2000])
    s = DomSummary()
    s.feed(dom)
    s.close()
    if len(s.charts) != 2:
        fail("expected 2 charts in the rendered DOM, found %d" % len(s.charts))
    for i, c in enumerate(s.charts):
        if c["bars"] != FORCES:
            fail("chart %d: %d bars rendered, expected %d" % (i, c["bars"], FORCES))
        if c["highlighted"] != ["metropolitan"]:
            fail("chart %d: highlighted bars %r, expected ['metropolitan']"
                 % (i, c["highlighted"]))
        if c["role"] != "img" or c["title"] < 1 or c["desc"] != 1:
            fail("chart %d: missing text alternative: %r" % (i, c))
        if c["mean"] != 1 or c["sd"] != 2:
            fail("chart %d: expected one mean line and two SD lines: %r" % (i, c))
    if len(s.tables) != 2:
        fail("expected 2 data tables, found %d" % len(s.tables))
    for i, t in enumerate(s.tables):
        if t["rows"] != FORCES or t["highlighted"] != 1:
            fail("table %d: %r" % (i, t))
    if s.scripts or s.imgs:
        fail("the page grew %d script and %d img elements" % (s.scripts, s.imgs))
    if not s.headings or s.headings[0] != 1 or s.headings.count(1) != 1:
        fail("headings out of order: %r" % s.headings[:10])
    for prev, cur in zip(s.headings, s.headings[1:]):
        if cur > prev + 1:
            fail("heading level jumps from h%d to h%d" % (prev, cur))
    text = "".join(s.text)
    if hostile:
        if '<script>alert("x")</script>' not in text:
            fail("the hostile finding's markup is not shown as text")
        if "Metropolitan <Police>" not in s.h1_text:
            fail("the hostile force name is not shown as text: %r" % s.h1_text)
    else:
        if "Metropolitan Police Service" not in s.h1_text:
            fail("h1 is %r" % s.h1_text)
    return s


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data):
    """(width, height, rows of RGB tuples' bytes, bytes per pixel)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = ihdr
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        return width, height, None, 0
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((x + p) & 0xFF for x, p in zip(line, prev))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + paeth(left, prev[i], upleft)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def check_screenshot(path):
    if not os.path.exists(path):
        fail("chromium wrote no screenshot")
    data = open(path, "rb").read()
    if len(data) < 20000:
        fail("the screenshot is only %d bytes" % len(data))
    width, height, rows, bpp = decode_png(data)
    if (width, height) != (WIDTH, HEIGHT):
        fail("screenshot is %dx%d, expected %dx%d" % (width, height, WIDTH, HEIGHT))
    if rows is None:
        print("note: PNG colour type not decoded; size checks only")
        return
    colours, highlight = set(), 0
    target = bytes(HIGHLIGHT_RGB)
    for row in rows:
        for x in range(0, len(row), bpp):
            px = row[x:x + 3]
            colours.add(px)
            if px == target:
                highlight += 1
    print("screenshot: %d bytes, %d colours, %d highlight pixels"
          % (len(data), len(colours), highlight))
    if len(colours) < 16:
        fail("the screenshot has only %d colours: a blank page?" % len(colours))
    # Two highlighted bars (the stop-and-search one alone is ~200 px tall),
    # plus two small legend keys.
    if highlight < 1500:
        fail("only %d pixels of the highlight fill painted" % highlight)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture-bin", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out-dir", help="keep the page and screenshot here")
    args = parser.parse_args()

    if not (os.path.isfile(args.chromium) and os.access(args.chromium, os.X_OK)):
        print("SKIP: %s not found; install Debian's chromium package "
              "(tools/install-deps does)" % args.chromium)
        return SKIP

    workdir = tempfile.mkdtemp(prefix="peel-report-")
    try:
        out_dir = args.out_dir or workdir
        os.makedirs(out_dir, exist_ok=True)
        for hostile in (False, True):
            name = "report-hostile.html" if hostile else "report.html"
            page = os.path.abspath(os.path.join(out_dir, name))
            cmd = [args.fixture_bin, page] + (["--hostile"] if hostile else [])
            subprocess.run(cmd, check=True, timeout=60)
            url = "file://" + page
            dom = run_chromium(args.chromium, ["--dump-dom"], url, workdir)
            s = check_dom(dom, hostile)
            print("%s: rendered DOM has %s bars per chart, highlighted %s"
                  % (name, [c["bars"] for c in s.charts],
                     [c["highlighted"] for c in s.charts]))
            if not hostile:
                shot = os.path.join(out_dir, "report.png")
                if os.path.exists(shot):
                    os.remove(shot)
                run_chromium(args.chromium,
                             ["--screenshot=" + shot,
                              "--window-size=%d,%d" % (WIDTH, HEIGHT)],
                             url, workdir)
                check_screenshot(shot)
                print("screenshot: " + shot)
        print("PASS")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
