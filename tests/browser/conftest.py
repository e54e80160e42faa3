"""Browser fixtures: the bundled site served over HTTP on 127.0.0.1, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (tools/ensure-browser
installs it; `make test` runs that first). A missing browser or axe-core fails the tests with a
message saying what to install; it never skips them.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


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
def browser():
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser-deps` "
                    "(or `apt-get install chromium`). Browser tests are never skipped.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - requirements.txt pins it
        pytest.fail(f"playwright is not installed ({error}): run `make setup`.")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run `make browser-deps` "
                    "(npm ci in tests/browser). Browser tests are never skipped.")
    return AXE


# Every page type: (name, required). Optional ones are pages colleagues are adding; until they
# exist the tests say so with a visible skip reason, and run as soon as the page is built.
PAGE_TYPES: list[tuple[str, bool]] = [
    ("home", True), ("year", True), ("unit-year", True), ("unit-all-years", True),
    ("project-shanghai", True), ("project-national", True), ("indicators", True),
    ("editorial", True), ("glossary", True), ("patterns", True),
    ("search", False), ("indicator", False),
]
PAGE_NAMES = [name for name, _ in PAGE_TYPES]


def _first(paths) -> str | None:
    ordered = sorted(paths)
    return ordered[0] if ordered else None


def _project_pages(site: Path) -> dict[str, str]:
    """One Shanghai-form and one national-form project page, told apart by the form title."""
    found: dict[str, str] = {}
    for path in sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")):
        html = path.read_text(encoding="utf-8")
        kind = "project-shanghai" if "财政项目支出绩效目标表" in html else "project-national"
        found.setdefault(kind, path.parent.relative_to(site).as_posix() + "/")
    return found


def discover(site: Path) -> dict[str, str | None]:
    """URL path (below the root, no leading slash) of one example of each page type."""
    rel = lambda p: p.parent.relative_to(site).as_posix() + "/"  # noqa: E731
    year = _first(rel(p) for p in site.glob("[0-9][0-9][0-9][0-9]/index.html"))
    paths: dict[str, str | None] = {
        "home": "",
        "year": year,
        "unit-year": _first(rel(p) for p in site.glob(f"{year}*/index.html")) if year else None,
        "unit-all-years": _first(rel(p) for p in site.glob("units/*/index.html")),
        "indicators": "indicators/",
        "editorial": "pages/about/",
        "glossary": "glossary/",
        "patterns": "patterns/",
        "search": "search/",
        "indicator": _first(rel(p) for p in site.glob("indicators/*/index.html")),
        **_project_pages(site),
    }
    return {name: (path if path is not None and (site / path / "index.html").is_file() else None)
            for name, path in paths.items()}


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
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      java_script_enabled=javascript, locale="zh-CN",
                                      bypass_csp=inject)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(server + path, wait_until="load")
        assert response is not None and response.ok, f"GET /{path}: {response and response.status}"
        return page

    yield _open
    for context in contexts:
        context.close()
