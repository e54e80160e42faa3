"""Browser fixtures: the bundled site served over HTTP on 127.0.0.1, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (tools/ensure-browser
installs it; `make test` runs that first). A missing browser or axe-core fails the tests with a
message saying what to install; it never skips them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import AXE, PAGE_TYPES, discover


def _quiet_handler(directory: Path) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            pass

    return functools.partial(Handler, directory=str(directory))  # type: ignore[return-value]


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over HTTP (file:// would hide path and MIME problems)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _quiet_handler(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core not found at {AXE}: run `make browser-deps` "
            "(npm ci in tests/browser). Browser tests are never skipped."
        )
    return AXE


@pytest.fixture(scope="session")
def page_paths(site: Path) -> dict[str, str | None]:
    return discover(site)


@pytest.fixture
def page_path(request: pytest.FixtureRequest, page_paths: dict[str, str | None]) -> str:
    """The path of the page type a test is parametrized with (`page_type`)."""
    name = request.node.callspec.params["page_type"]
    path = page_paths.get(name)
    if path is None:
        if dict(PAGE_TYPES)[name]:
            pytest.fail(f"page type {name!r} is missing from the built site")
        pytest.skip(f"page type {name!r} is not built yet (tested as soon as it exists)")
    return path


@pytest.fixture
def open_page(browser, server: str):
    """Open a site path at a viewport width; every page gets a fresh context."""
    contexts = []

    def _open(path: str, width: int = 1280, javascript: bool = True, inject: bool = False):
        # The site's Content-Security-Policy forbids inline script; only a page that must run
        # an injected test script (axe) bypasses it.
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            locale="zh-CN",
            bypass_csp=inject,
        )
        contexts.append(context)
        page = context.new_page()
        response = page.goto(server + path, wait_until="load")
        assert response is not None and response.ok, f"GET /{path}: {response and response.status}"
        return page

    yield _open
    for context in contexts:
        context.close()
