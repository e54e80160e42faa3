"""The site served under a sub-path (https://example.org/budget/ rather than the host's root):
every link of every page stays inside it and finds its file, and search finds pages there."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from support import soup
from test_search import projects_mentioning, search

PREFIX = "/budget/"


@contextlib.contextmanager
def serving_under(site: Path, prefix: str) -> Iterator[str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(site / "no-such-file")  # outside the sub-path: 404
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_every_link_stays_under_the_sub_path(site: Path) -> None:
    base = f"http://example.org{PREFIX}"
    checked = 0
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        # /admin/ is the web editor's; /patterns/' example narrative links to
        # https://example.org/, this test's own host (its links are checked in test_site).
        if relative.startswith(("admin/", "pagefind/", "patterns/")):
            continue
        # 404.html is served at any depth, so a relative SITEURL cannot work there: it links
        # from the root, and a sub-path site sets an absolute SITEURL (publishconf.py), kept.
        if relative == "404.html":
            continue
        address = urllib.parse.urljoin(base, relative)
        for element in soup(page).find_all(["a", "link", "script", "img", "form"]):
            target = element.get("href") or element.get("src") or element.get("action")
            if not target or target.startswith(("#", "mailto:", "data:")):
                continue
            parts = urllib.parse.urlsplit(urllib.parse.urljoin(address, target))
            if parts.netloc != "example.org":
                continue  # another site (a source document): not ours to serve
            assert parts.path.startswith(PREFIX), (relative, target)
            inside = urllib.parse.unquote(parts.path[len(PREFIX) :])
            file = site / inside
            assert file.is_file() or (file / "index.html").is_file(), (relative, target)
            checked += 1
    assert checked > 1000


def test_search_under_the_sub_path(site: Path, browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with serving_under(site, PREFIX) as url:
            found = search(page, url, "满意")
    finally:
        page.close()
    expected = {PREFIX + path.lstrip("/") for path in projects_mentioning(site, "满意")}
    assert expected and set(found) == expected
    assert errors == []
