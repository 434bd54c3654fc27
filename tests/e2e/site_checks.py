"""Helpers for the website tests: build it, serve it, read its pages, run axe-core on a page."""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "docs" / "site"
OUT = SITE / "_build" / "html"


def build() -> Path:
    """The same command as `make site`; executed lessons are cached beside the output."""
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", "-W", "--keep-going", str(SITE), str(OUT)],
        capture_output=True, text=True,
    )
    if done.returncode:
        raise AssertionError(f"make site failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return OUT


def pages(out: Path = OUT) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


class Server:
    """A static file server for the built site, in a thread of this process."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Links(HTMLParser):
    """Every href and src of a page, and every id it defines."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None and tag in ("a", "img", "link", "script"):
                self.links.append((tag, attrs[name]))


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def broken_links(out: Path = OUT) -> list[str]:
    """Internal links whose file or #fragment does not exist."""
    parsed = {p: parse(p) for p in pages(out)}
    problems = []
    for page, links in parsed.items():
        for tag, url in links.links:
            if re.match(r"^[a-z]+:", url) or url.startswith("//"):
                continue  # http(s), mailto, data: are not internal
            path, _, fragment = url.partition("#")
            path = path.split("?")[0]
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(out)}: <{tag}> {url} -> missing file")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if fragment not in ids:
                    problems.append(f"{page.relative_to(out)}: <{tag}> {url} -> no id '{fragment}'")
    return problems
