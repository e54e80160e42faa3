"""Browser fixtures: the bundled site served over HTTP on 127.0.0.1, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (tools/ensure-browser
installs it; `make test` runs that first). A missing browser or axe-core fails the tests with a
message saying what to install; it never skips them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import AXE, PAGE_TYPES, discover


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
